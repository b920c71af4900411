import type { LanguageModelV4FinishReason, LanguageModelV4Usage } from "@ai-sdk/provider";
import type { FinishReason, Usage } from "../../spec/result.js";

/**
 * Our usage in the AI SDK's shape. `inputTokens` here counts the whole prompt, cached tokens
 * included (the OpenAI meaning every adapter follows), so `noCache` is the difference when both
 * are known. Output is not split into text and reasoning: the adapters report one count.
 */
export const convertToAiSdkUsage = (usage: Usage): LanguageModelV4Usage => ({
  inputTokens: {
    total: usage.inputTokens,
    noCache:
      usage.inputTokens !== undefined && usage.cachedInputTokens !== undefined
        ? usage.inputTokens - usage.cachedInputTokens
        : undefined,
    cacheRead: usage.cachedInputTokens,
    cacheWrite: undefined,
  },
  outputTokens: { total: usage.outputTokens, text: undefined, reasoning: undefined },
});

/** Usage of a call that produced none we know of (a stream interrupted before its finish). */
export const unknownAiSdkUsage = (): LanguageModelV4Usage => ({
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
});

/** Our finish reason already keeps the unified and the raw value; the unified names are the AI SDK's. */
export const convertToAiSdkFinishReason = (finishReason: FinishReason): LanguageModelV4FinishReason => ({
  unified: finishReason.unified,
  raw: finishReason.raw,
});
