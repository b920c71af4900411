import type { Usage } from "../../spec/result.js";
import { wireCount as count } from "../shared/wire-fields.js";

/** The `usage` object of a completion or of the final stream chunk, every field optional. */
export interface OpenAIWireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

/**
 * Converts Chat Completions usage: prompt tokens include the cached ones
 * (`prompt_tokens_details.cached_tokens`), as OpenAI and Azure report them. A missing total is the
 * sum of input and output when both are known. Missing usage gives all-undefined counts.
 */
export const convertOpenAIUsage = (usage: OpenAIWireUsage | null | undefined): Usage => {
  const inputTokens = count(usage?.prompt_tokens);
  const outputTokens = count(usage?.completion_tokens);
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens: count(usage?.prompt_tokens_details?.cached_tokens),
    totalTokens:
      count(usage?.total_tokens) ??
      (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined),
  };
};
