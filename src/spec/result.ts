import type { ToolCall } from "./request.js";

/** The provider-neutral finish reason, with the provider's raw value kept beside it. */
export type UnifiedFinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "other";

export interface FinishReason {
  unified: UnifiedFinishReason;
  /** What the provider said, e.g. "end_turn", "tool_use", "stop", "content_filter". */
  raw: string | undefined;
}

export interface Usage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens: number | undefined;
  totalTokens: number | undefined;
}

/** What an adapter returns for one successful non-streaming attempt. */
export interface ProviderResponse {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
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

export const emptyUsage = (): Usage => ({
  inputTokens: undefined,
  outputTokens: undefined,
  cachedInputTokens: undefined,
  totalTokens: undefined,
});
