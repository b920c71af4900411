import type { Usage } from "../../spec/result.js";

/** The usage fields Anthropic reports (partial and nullable on purpose: tolerant of new shapes). */
export interface AnthropicWireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

const count = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/**
 * Converts Anthropic usage to the unified shape.
 *
 * Anthropic's `input_tokens` counts only the uncached part of the prompt: tokens read from the
 * cache (`cache_read_input_tokens`) and tokens written to it (`cache_creation_input_tokens`) come
 * on top. `inputTokens` here is their sum, the whole prompt, so it means what OpenAI's and
 * Mistral's `prompt_tokens` mean and totals compare across providers; `cachedInputTokens` is
 * `cache_read_input_tokens`; `totalTokens` is input + output.
 */
export const convertAnthropicUsage = (usage: AnthropicWireUsage | null | undefined): Usage => {
  const uncached = count(usage?.input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  const outputTokens = count(usage?.output_tokens);
  const inputTokens =
    uncached === undefined && cacheRead === undefined && cacheWrite === undefined
      ? undefined
      : (uncached ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens: cacheRead,
    totalTokens:
      inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined,
  };
};
