import type { UsageInfo } from "@mistralai/mistralai/models/components";
import { emptyUsage, type Usage } from "../../spec/result.js";

const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/**
 * Maps Mistral usage. The SDK renames the known fields to camelCase and keeps any other field under
 * its wire name, so cached prompt tokens are read from `prompt_tokens_details.cached_tokens`
 * (OpenAI-style, what Mistral's prompt caching reports) or `num_cached_tokens`.
 */
export const convertMistralUsage = (usage: UsageInfo | null | undefined): Usage => {
  if (!usage) return emptyUsage();
  const details = usage.prompt_tokens_details as { cached_tokens?: unknown } | null | undefined;
  const inputTokens = count(usage.promptTokens);
  const outputTokens = count(usage.completionTokens);
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens: count(details?.cached_tokens) ?? count(usage.num_cached_tokens),
    totalTokens:
      count(usage.totalTokens) ||
      (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined),
  };
};
