export { defaultSSEErrorMessage, describeSSEError, type SSEErrorDescription } from "./describe-sse-error.js";
export { ClientStalledError, pipeSSE, type ServerResponseLike } from "./pipe-sse.js";
export type { SSEOptions } from "./sse-options.js";
export type {
  SSEErrorCode,
  SSEErrorData,
  SSEEvent,
  SSEEventData,
  SSEEventName,
  SSEUsage,
} from "./sse-protocol.js";
export type { ChatStreamSource } from "./sse-session.js";
export { toSSEResponse } from "./to-sse-response.js";
