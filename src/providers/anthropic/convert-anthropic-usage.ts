import type { Usage } from "../../spec/result.js";
import { wireCount as count } from "../shared/wire-fields.js";

/** One entry of `usage.iterations`: a sampling step of the request, discriminated by `type`. */
export interface AnthropicWireIteration {
  type?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** The usage fields Anthropic reports (partial and nullable on purpose: tolerant of new shapes). */
export interface AnthropicWireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** Per-iteration breakdown (server-side compaction, advisor calls, server-tool loops). */
  iterations?: readonly AnthropicWireIteration[] | null;
}

/**
 * Iteration types whose tokens the top-level `usage` leaves out, though the request consumed (and
 * is billed for) them: a server-side `compaction` (summarising a context that reached its trigger,
 * documented as "not included in the top-level usage fields") and an `advisor_message` (a
 * sub-inference of the advisor tool, reported apart from the executor's usage). `message` and
 * `fallback_message` entries are the top-level counts' own parts and are not added again.
 */
const iterationsOutsideTopLevel = new Set(["compaction", "advisor_message"]);

/**
 * Converts Anthropic usage to the unified shape: what the call consumed.
 *
 * Anthropic's `input_tokens` counts only the uncached part of the prompt: tokens read from the
 * cache (`cache_read_input_tokens`) and tokens written to it (`cache_creation_input_tokens`) come
 * on top. `inputTokens` here is their sum, the whole prompt, so it means what OpenAI's and
 * Mistral's `prompt_tokens` mean and totals compare across providers; `cachedInputTokens` is
 * `cache_read_input_tokens`; `totalTokens` is input + output. The `usage.iterations` entries the
 * top-level counts leave out (server-side compaction, advisor calls) are added to each count.
 * A count the provider did not report stays undefined, never 0.
 */
export const convertAnthropicUsage = (usage: AnthropicWireUsage | null | undefined): Usage => {
  let inputTokens = promptTokens(usage);
  let outputTokens = count(usage?.output_tokens);
  let cachedInputTokens = count(usage?.cache_read_input_tokens);
  for (const iteration of usage?.iterations ?? []) {
    if (typeof iteration?.type !== "string" || !iterationsOutsideTopLevel.has(iteration.type)) continue;
    const input = promptTokens(iteration);
    if (input !== undefined) inputTokens = (inputTokens ?? 0) + input;
    const output = count(iteration.output_tokens);
    if (output !== undefined) outputTokens = (outputTokens ?? 0) + output;
    const cached = count(iteration.cache_read_input_tokens);
    if (cached !== undefined) cachedInputTokens = (cachedInputTokens ?? 0) + cached;
  }
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens,
    totalTokens:
      inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined,
  };
};

/** The whole prompt of one usage record: uncached + cache reads + cache writes; undefined if none is reported. */
const promptTokens = (
  usage: AnthropicWireIteration | AnthropicWireUsage | null | undefined,
): number | undefined => {
  const uncached = count(usage?.input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  if (uncached === undefined && cacheRead === undefined && cacheWrite === undefined) return undefined;
  return (uncached ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
};
