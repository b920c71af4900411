import type { FinishReason, UnifiedFinishReason } from "../../spec/result.js";

/**
 * Maps Anthropic's `stop_reason` to the unified finish reason, keeping the raw value.
 *
 * `end_turn` / `stop_sequence` → stop, `max_tokens` → length, `tool_use` → tool-calls,
 * `refusal` → content-filter, `model_context_window_exceeded` → length; `pause_turn` (a server-tool
 * turn paused for the caller to resume) and anything new → other. A `refusal` is an answer (the
 * adapter adds its text as `refusal`); `model_context_window_exceeded` is not returned as a finish:
 * the adapter throws a context_length failure (see `convertAnthropicStopFailure`).
 */
export const mapAnthropicStopReason = (raw: string | null | undefined): FinishReason => ({
  unified: unifiedStopReason(raw),
  raw: raw ?? undefined,
});

const unifiedStopReason = (raw: string | null | undefined): UnifiedFinishReason => {
  switch (raw) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool-calls";
    case "refusal":
      return "content-filter";
    default:
      return "other";
  }
};
