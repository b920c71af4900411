import type { ChatResult } from "../../spec/chat.js";
import type { ToolCall } from "../../spec/request.js";
import type { Usage } from "../../spec/result.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import type { OpenAIChatCompletion, OpenAIToolCall, OpenAIUsage } from "./wire-types.js";

/** True when `raw` is an untouched Chat Completions body (the primary answered over JSON). */
export const isChatCompletionBody = (raw: unknown): raw is OpenAIChatCompletion =>
  typeof raw === "object" &&
  raw !== null &&
  (raw as { object?: unknown }).object === "chat.completion" &&
  Array.isArray((raw as { choices?: unknown }).choices);

/**
 * A completion id in OpenAI's style. The provider's own id is kept inside it (`chatcmpl-msg_01…`)
 * so logs can be matched with the provider's; a random one is made when there is none.
 */
export const toCompletionId = (raw: unknown): string => {
  const id = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
  if (typeof id === "string" && /^[\w.:-]{1,200}$/.test(id))
    return id.startsWith("chatcmpl-") ? id : `chatcmpl-${id}`;
  return `chatcmpl-${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
};

/**
 * OpenAI `usage`, only from counts the provider reported: undefined unless both prompt and
 * completion tokens are known (OpenAI's type requires every count, and a 0 standing in for "not
 * reported" would be a lie a bill is computed from); `prompt_tokens_details` only when cached
 * tokens were reported.
 */
export const toOpenAIUsage = (usage: Usage): OpenAIUsage | undefined => {
  const { inputTokens, outputTokens, cachedInputTokens } = usage;
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: usage.totalTokens ?? inputTokens + outputTokens,
    ...(cachedInputTokens !== undefined
      ? { prompt_tokens_details: { cached_tokens: cachedInputTokens } }
      : {}),
  };
};

export const toOpenAIToolCall = (call: ToolCall): OpenAIToolCall => ({
  id: call.id,
  type: "function",
  function: { name: call.name, arguments: call.rawArguments ?? JSON.stringify(call.arguments ?? {}) },
});

/**
 * A genuine `ChatCompletion` built from a neutral result, whoever answered: one choice, the text
 * as `content` (`null` when the reply is only tool calls or a refusal, like OpenAI), the model's
 * refusal as `refusal` (Anthropic's `stop_reason: "refusal"` included), tool calls with their
 * arguments as JSON text, the finish reason in OpenAI's vocabulary, usage only as reported.
 * `model` is the model that really answered (e.g. `claude-sonnet-4-6`), not the one asked for.
 */
export const convertToChatCompletion = (result: ChatResult, fromPrimary: boolean): OpenAIChatCompletion => {
  const toolCalls = result.toolCalls.map(toOpenAIToolCall);
  const usage = toOpenAIUsage(result.usage);
  // The primary's streamed answer keeps its own timestamp, fingerprint and tier (see `rawStreamFields`).
  const raw = (
    fromPrimary && typeof result.raw === "object" && result.raw !== null ? result.raw : {}
  ) as Record<string, unknown>;
  const completion: OpenAIChatCompletion = {
    id: toCompletionId(result.raw),
    object: "chat.completion",
    created: typeof raw.created === "number" ? raw.created : Math.floor(Date.now() / 1000),
    model: result.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content:
            result.text === "" && (toolCalls.length > 0 || result.refusal !== undefined) ? null : result.text,
          refusal: result.refusal ?? null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          annotations: [],
        },
        logprobs: null,
        finish_reason: mapOpenAIFinishReason(result.finishReason),
      },
    ],
    ...(usage ? { usage } : {}),
    ...(typeof raw.system_fingerprint === "string" ? { system_fingerprint: raw.system_fingerprint } : {}),
    ...(typeof raw.service_tier === "string"
      ? { service_tier: raw.service_tier as NonNullable<OpenAIChatCompletion["service_tier"]> }
      : {}),
  };
  return completion;
};
