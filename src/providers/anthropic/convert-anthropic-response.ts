import { z } from "zod";
import type { ToolCall } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import { createProviderError } from "../shared/create-provider-error.js";
import {
  type AnthropicErrorContext,
  convertAnthropicInBandError,
  convertAnthropicStopFailure,
  describeAnthropicRefusal,
} from "./anthropic-error.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

const count = z.number().nullish();

type ContentBlock = { type: string; text?: unknown; id?: unknown; name?: unknown; input?: unknown };

/**
 * The parts of a Messages API response we read. Deliberately partial and tolerant: unknown fields
 * and block types pass, and every field but `content` may be missing or null.
 */
const anthropicMessageSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  content: z.array(
    // text / id / name / input are read per block type below; anything else passes through.
    z.looseObject({ type: z.string() }),
  ),
  stop_reason: z.string().nullish(),
  stop_details: z
    .looseObject({ category: z.string().nullish(), explanation: z.string().nullish() })
    .nullish()
    .catch(undefined),
  usage: z
    .looseObject({
      input_tokens: count,
      output_tokens: count,
      cache_creation_input_tokens: count,
      cache_read_input_tokens: count,
      iterations: z
        .array(
          z.looseObject({
            type: z.string().nullish(),
            input_tokens: count,
            output_tokens: count,
            cache_creation_input_tokens: count,
            cache_read_input_tokens: count,
          }),
        )
        .nullish()
        .catch(undefined),
    })
    .nullish()
    .catch(undefined),
});

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
  const parsed = anthropicMessageSchema.safeParse(body);
  if (!parsed.success) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message:
        typeof body === "string"
          ? "response is not JSON"
          : `response is not an Anthropic Message (${parsed.error.issues[0]?.path.join(".") || "body"})`,
    });
  }
  const message = parsed.data;
  const stopFailure = convertAnthropicStopFailure(message.stop_reason, context);
  if (stopFailure !== undefined) throw stopFailure;

  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of message.content as ContentBlock[]) {
    if (block.type === "text" && typeof block.text === "string") {
      text += block.text;
    } else if (block.type === "tool_use") {
      const input = block.input ?? {};
      toolCalls.push({
        id: String(block.id ?? ""),
        name: String(block.name ?? ""),
        arguments: input,
        rawArguments: JSON.stringify(input),
      });
    }
  }

  return {
    text,
    ...(message.stop_reason === "refusal" ? { refusal: describeAnthropicRefusal(message.stop_details) } : {}),
    toolCalls,
    finishReason: mapAnthropicStopReason(message.stop_reason),
    usage: convertAnthropicUsage(message.usage),
    model: message.model ?? context.model,
    ...(message.id ? { id: message.id } : {}),
    raw: body,
  };
};
