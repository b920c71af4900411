import { z } from "zod";
import { ProviderError } from "../../errors/provider-error.js";
import type { ToolCall } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import {
  type AnthropicErrorContext,
  convertAnthropicError,
  convertAnthropicStopFailure,
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
    })
    .nullish()
    .catch(undefined),
});

/**
 * Converts a Messages API response body to a `ProviderResponse`: text blocks concatenated,
 * `tool_use` blocks as tool calls (`input` as the parsed arguments, `JSON.stringify(input)` as
 * `rawArguments`), other blocks (thinking, server tools) skipped. `raw` is the body untouched.
 *
 * Throws a `ProviderError`: invalid_response when the body is not a Message (HTML, truncated,
 * another shape), the error's own class when a 200 carries an Anthropic error object, content_filter
 * for `stop_reason: "refusal"`, context_length for `model_context_window_exceeded`.
 */
export const convertAnthropicResponse = (body: unknown, context: AnthropicErrorContext): ProviderResponse => {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
  if (record?.type === "error") throw convertAnthropicError({ error: body }, context);
  const parsed = anthropicMessageSchema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError({
      failureClass: "invalid_response",
      provider: context.provider,
      model: context.model,
      message:
        typeof body === "string"
          ? "response is not JSON"
          : `response is not an Anthropic Message (${parsed.error.issues[0]?.path.join(".") || "body"})`,
      cause: parsed.error,
    });
  }
  const message = parsed.data;
  const stopFailure = convertAnthropicStopFailure(message.stop_reason, message.stop_details, context);
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
    toolCalls,
    finishReason: mapAnthropicStopReason(message.stop_reason),
    usage: convertAnthropicUsage(message.usage),
    model: message.model ?? context.model,
    ...(message.id ? { id: message.id } : {}),
    raw: body,
  };
};
