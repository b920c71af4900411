import type { ToolCall } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import { unnamedToolCall } from "../shared/accumulate-tool-call-deltas.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { isNullishString, isWireObject } from "../shared/wire-fields.js";
import {
  type AnthropicErrorContext,
  convertAnthropicInBandError,
  convertAnthropicStopFailure,
  describeAnthropicRefusal,
} from "./anthropic-error.js";
import { type AnthropicWireUsage, convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

type ContentBlock = { type: string; text?: unknown; id?: unknown; name?: unknown; input?: unknown };

/**
 * The parts of a Messages API response we read. Deliberately partial and tolerant: unknown fields
 * and block types pass, and every field but `content` may be missing or null. `usage` and
 * `stop_details` are read when they are objects and ignored otherwise (their counts and texts are
 * read one by one, each when it has the right type).
 */
interface AnthropicWireMessage {
  id?: string | null;
  model?: string | null;
  content: ContentBlock[];
  stop_reason?: string | null;
  stop_details?: unknown;
  usage?: unknown;
}

/**
 * Where the body stops being a Message (a dotted path, "" for the body itself), or undefined when
 * it is one. Checked by hand, not with a schema library: a JSON call crosses this once, cold (the
 * process idled while the reply was generated), where a schema parse costs tens of µs.
 */
export const findMessageIssue = (body: unknown): string | undefined => {
  if (!isWireObject(body)) return "";
  if (!isNullishString(body.id)) return "id";
  if (!isNullishString(body.model)) return "model";
  const { content } = body;
  if (!Array.isArray(content)) return "content";
  for (let i = 0; i < content.length; i++) {
    const block: unknown = content[i];
    if (!isWireObject(block)) return `content.${i}`;
    if (typeof block.type !== "string") return `content.${i}.type`;
  }
  if (!isNullishString(body.stop_reason)) return "stop_reason";
  return undefined;
};

/** `usage` with its `iterations` only when they are a list (anything else is not read). */
const usageOf = (usage: unknown): AnthropicWireUsage | undefined => {
  if (!isWireObject(usage)) return undefined;
  const { iterations } = usage;
  if (iterations == null || Array.isArray(iterations)) return usage as AnthropicWireUsage;
  const { iterations: _ignored, ...rest } = usage;
  return rest as AnthropicWireUsage;
};

/**
 * Converts a Messages API response body to a `ProviderResponse`: text blocks concatenated,
 * `tool_use` blocks as tool calls (`input` as the parsed arguments, `JSON.stringify(input)` as
 * `rawArguments`), other blocks (thinking, server tools) skipped. `raw` is the body untouched.
 *
 * A `stop_reason: "refusal"` is an answer: its explanation is `refusal`, the finish reason
 * `content-filter` (raw `refusal`), and the text written before it is kept. Usage includes the
 * `usage.iterations` the top-level counts leave out (see `convertAnthropicUsage`).
 *
 * Throws a `ProviderError`: invalid_response when the body is not a Message (HTML, truncated,
 * another shape), the error's own class (by its `type`) when a 200 carries an Anthropic error
 * object, context_length for `model_context_window_exceeded`.
 */
export const convertAnthropicResponse = (body: unknown, context: AnthropicErrorContext): ProviderResponse => {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
  if (record?.type === "error") throw convertAnthropicInBandError(body, context);
  const issue = findMessageIssue(body);
  if (issue !== undefined) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message:
        typeof body === "string"
          ? "response is not JSON"
          : `response is not an Anthropic Message (${issue || "body"})`,
    });
  }
  const message = body as AnthropicWireMessage;
  const stopFailure = convertAnthropicStopFailure(message.stop_reason, context);
  if (stopFailure !== undefined) throw stopFailure;

  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of message.content as ContentBlock[]) {
    if (block.type === "text" && typeof block.text === "string") {
      text += block.text;
    } else if (block.type === "tool_use") {
      if (typeof block.name !== "string" || block.name === "") throw unnamedToolCall(context);
      const input = block.input ?? {};
      toolCalls.push({
        id: String(block.id ?? ""),
        name: block.name,
        arguments: input,
        rawArguments: JSON.stringify(input),
      });
    }
  }

  return {
    text,
    ...(message.stop_reason === "refusal"
      ? {
          refusal: describeAnthropicRefusal(
            isWireObject(message.stop_details) ? message.stop_details : undefined,
          ),
        }
      : {}),
    toolCalls,
    finishReason: mapAnthropicStopReason(message.stop_reason),
    usage: convertAnthropicUsage(usageOf(message.usage)),
    model: message.model ?? context.model,
    ...(message.id ? { id: message.id } : {}),
    raw: body,
  };
};
