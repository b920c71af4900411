import type { ToolCall } from "./request.js";

/** The provider-neutral finish reason, with the provider's raw value kept beside it. */
export type UnifiedFinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "other";

export interface FinishReason {
  /** The same across providers: `stop`, `length` (hit `maxTokens`), `tool-calls`, `content-filter`, `other`. */
  unified: UnifiedFinishReason;
  /** What the provider said, e.g. "end_turn", "tool_use", "stop", "content_filter". */
  raw: string | undefined;
}

/** Token counts of one reply; `undefined` where the provider did not report one. */
export interface Usage {
  /** Prompt tokens, cached ones included. */
  inputTokens: number | undefined;
  /** Reply tokens (reasoning tokens included, where the provider counts them). */
  outputTokens: number | undefined;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens: number | undefined;
  /** Input plus output tokens. */
  totalTokens: number | undefined;
}

/** What an adapter returns for one successful non-streaming attempt. */
export interface ProviderResponse {
  /** The reply text. */
  text: string;
  /** The tool calls of the reply, arguments parsed. */
  toolCalls: ToolCall[];
  /** Why the reply ended. */
  finishReason: FinishReason;
  /** Token counts. */
  usage: Usage;
  /**
   * The model's refusal, when it declined to answer: OpenAI's `message.refusal`, Anthropic's
   * `stop_reason: "refusal"` (its `stop_details.explanation`). A refusal is an answer, not a
   * failure: `finishReason.unified` is then "content-filter", with the provider's raw reason.
   */
  refusal?: string;
  /** The model the provider reports having used. */
  model: string;
  /** Provider response id, if any. */
  id?: string;
  /** The provider's raw response body, untouched (Perplexity citations live here). */
  raw: unknown;
}

/** @internal Usage with nothing reported, for adapters. */
export const emptyUsage = (): Usage => ({
  inputTokens: undefined,
  outputTokens: undefined,
  cachedInputTokens: undefined,
  totalTokens: undefined,
});
