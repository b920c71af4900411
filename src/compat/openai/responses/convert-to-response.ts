import type { ChatResult } from "../../../spec/chat.js";
import type { ToolCall } from "../../../spec/request.js";
import type { FinishReason, Usage } from "../../../spec/result.js";
import { isRecord } from "./convert-responses-input.js";
import { newFunctionCallId, newMessageId, newResponseId } from "./failover-ids.js";
import type {
  FunctionCallItem,
  OutputItem,
  OutputMessageItem,
  OutputTextPart,
  ResponseObject,
  ResponsesParams,
  ResponseUsageWire,
  ResponseWithText,
} from "./responses-wire-types.js";

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A fallback's response object before any output: the request's own settings echoed as OpenAI
 * echoes them, `store: false` (no provider but OpenAI can store a response for `retrieve` or
 * `previous_response_id`), and `model` the model that really answers.
 */
export const createResponseObject = (
  params: ResponsesParams,
  model: string,
  id = newResponseId(),
): ResponseObject => ({
  id,
  object: "response",
  created_at: nowSeconds(),
  status: "in_progress",
  background: false,
  completed_at: null,
  error: null,
  incomplete_details: null,
  instructions: typeof params.instructions === "string" ? params.instructions : null,
  max_output_tokens: typeof params.max_output_tokens === "number" ? params.max_output_tokens : null,
  model,
  output: [],
  parallel_tool_calls: params.parallel_tool_calls ?? true,
  previous_response_id: null,
  store: false,
  temperature: typeof params.temperature === "number" ? params.temperature : null,
  text: { format: { type: "text" }, ...(isRecord(params.text) ? params.text : {}) },
  tool_choice: params.tool_choice ?? "auto",
  tools: Array.isArray(params.tools) ? params.tools : [],
  top_p: typeof params.top_p === "number" ? params.top_p : null,
  truncation: "disabled",
  usage: null,
  metadata: isRecord(params.metadata) ? (params.metadata as Record<string, string>) : {},
  access_programs: null,
});

/**
 * The response's terminal state for a finish reason: a length limit is `incomplete` with reason
 * `max_output_tokens`, a content filter `incomplete` with reason `content_filter`, anything else
 * (a stop, tool calls) `completed` — exactly how OpenAI reports its own.
 */
export const finishStatus = (
  finishReason: FinishReason,
): Pick<ResponseObject, "status" | "incomplete_details" | "completed_at"> => {
  if (finishReason.unified === "length")
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, completed_at: null };
  if (finishReason.unified === "content-filter")
    return { status: "incomplete", incomplete_details: { reason: "content_filter" }, completed_at: null };
  return { status: "completed", incomplete_details: null, completed_at: nowSeconds() };
};

/**
 * OpenAI `usage` from the neutral one, or undefined when the provider reported no input or output
 * count. A detail is present only when the provider reported it: `cached_tokens` when it reported
 * prompt-cache reads; `output_tokens_details` never, as no fallback reports reasoning tokens.
 */
export const toResponseUsage = (usage: Usage): ResponseUsageWire | undefined => {
  if (usage.inputTokens === undefined || usage.outputTokens === undefined) return undefined;
  return {
    input_tokens: usage.inputTokens,
    ...(usage.cachedInputTokens !== undefined
      ? { input_tokens_details: { cached_tokens: usage.cachedInputTokens } }
      : {}),
    output_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens ?? usage.inputTokens + usage.outputTokens,
  };
};

export const outputTextPart = (text: string): OutputTextPart => ({
  type: "output_text",
  annotations: [],
  logprobs: [],
  text,
});

export const messageItem = (
  text: string,
  status: OutputMessageItem["status"],
  id = newMessageId(),
): OutputMessageItem => ({
  id,
  type: "message",
  status,
  content: [outputTextPart(text)],
  role: "assistant",
});

export const functionCallItem = (
  call: ToolCall,
  status: FunctionCallItem["status"],
  id = newFunctionCallId(),
): FunctionCallItem => ({
  id,
  type: "function_call",
  status,
  arguments: call.rawArguments ?? JSON.stringify(call.arguments ?? {}),
  call_id: call.id,
  name: call.name,
});

/** `output_text` as the SDK computes it: the text of every `output_text` part, joined. */
export const outputTextOf = (output: readonly unknown[]): string =>
  output
    .flatMap((item) =>
      isRecord(item) && item.type === "message" && Array.isArray(item.content) ? item.content : [],
    )
    .flatMap((part) =>
      isRecord(part) && part.type === "output_text" && typeof part.text === "string" ? [part.text] : [],
    )
    .join("");

/**
 * A genuine `Response` from a fallback's neutral result: a `message` item with one `output_text`
 * part (when there is text), then one `function_call` item per tool call (the provider's call id
 * as `call_id`), the status and usage, and `output_text` as the SDK adds it.
 */
export const convertToResponse = (result: ChatResult, params: ResponsesParams): ResponseWithText => {
  // A refusal is a completed answer with a refusal part, as OpenAI returns one (not a filtered one).
  const end = result.refusal
    ? finishStatus({ unified: "stop", raw: undefined })
    : finishStatus(result.finishReason);
  const output: OutputItem[] = [];
  const itemStatus = end.status === "completed" ? "completed" : "incomplete";
  if (result.text !== "" || result.refusal) {
    const item = messageItem(result.text, itemStatus);
    if (result.text === "") item.content = [];
    if (result.refusal) item.content.push({ type: "refusal", refusal: result.refusal });
    output.push(item);
  }
  for (const call of result.toolCalls) output.push(functionCallItem(call, "completed"));
  const usage = toResponseUsage(result.usage);
  const response: ResponseObject = {
    ...createResponseObject(params, result.model),
    ...end,
    output,
    usage,
  };
  if (usage === undefined) delete response.usage;
  return { ...response, output_text: result.text };
};
