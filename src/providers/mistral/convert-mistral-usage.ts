import type { UsageInfo } from "@mistralai/mistralai/models/components";
import { emptyUsage, type Usage } from "../../spec/result.js";
import { wireCount as count } from "../shared/wire-fields.js";

/** Usage as the wire sends it (snake_case), every field optional. */
export interface MistralWireUsage {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  total_tokens?: unknown;
  prompt_tokens_details?: unknown;
  num_cached_tokens?: unknown;
}

/**
 * Maps Mistral usage, as the wire sends it (the stream the adapter reads itself) or as the SDK
 * parsed it. The SDK renames the known fields to camelCase and keeps any other field under its
 * wire name, so cached prompt tokens are read from `prompt_tokens_details.cached_tokens`
 * (OpenAI-style, what Mistral's prompt caching reports) or `num_cached_tokens` either way.
 */
export const convertMistralUsage = (usage: UsageInfo | MistralWireUsage | null | undefined): Usage => {
  if (!usage || typeof usage !== "object") return emptyUsage();
  const fields = usage as UsageInfo & MistralWireUsage;
  const details = fields.prompt_tokens_details as { cached_tokens?: unknown } | null | undefined;
  const inputTokens = count(fields.promptTokens ?? fields.prompt_tokens);
  const outputTokens = count(fields.completionTokens ?? fields.completion_tokens);
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens: count(details?.cached_tokens) ?? count(fields.num_cached_tokens),
    totalTokens:
      count(fields.totalTokens ?? fields.total_tokens) ||
      (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined),
  };
};
