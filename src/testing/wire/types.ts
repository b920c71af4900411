import type { ReplyContext, ResolvedReply } from "../reply.js";
import type { StreamPlan } from "../sse.js";
import type { MockContentFilterStreamFault, MockInBandErrorFault } from "../types.js";

/** One provider's wire format: every body and frame the mock can send on success paths. */
export interface WireFormat {
  /** A new response id (`chatcmpl-…`, `msg_…`, …). */
  newId(): string;
  /** Headers every response carries (request id and the like), besides content-type. */
  responseHeaders(): Record<string, string>;
  /** Non-stream success body. */
  replyBody(reply: ResolvedReply, ctx: ReplyContext): unknown;
  /** Stream success. */
  replyStream(reply: ResolvedReply, ctx: ReplyContext): StreamPlan;
  /** Output stopped by the safety system, non-stream. */
  filteredBody(reply: ResolvedReply, ctx: ReplyContext, fault: MockContentFilterStreamFault): unknown;
  /** Output stopped by the safety system, stream. */
  filteredStream(reply: ResolvedReply, ctx: ReplyContext, fault: MockContentFilterStreamFault): StreamPlan;
  /** The in-band error frames (sent after HTTP 200), ending the stream as the provider does. */
  inBandErrorFrames(fault: MockInBandErrorFault, ctx: ReplyContext): string;
  /** The in-band error as a whole JSON body (non-stream). */
  inBandErrorBody(fault: MockInBandErrorFault, ctx: ReplyContext): unknown;
  /** A frame whose data is not valid JSON. */
  malformedFrame(ctx: ReplyContext): string;
  /** What a stalled stream sends to keep the connection alive. */
  keepAlive: string;
}
