import type { FinishReason, UnifiedFinishReason } from "../../spec/result.js";

/**
 * Maps a Chat Completions `finish_reason` to the unified one, keeping the raw value.
 * `function_call` is the deprecated spelling of `tool_calls`; unknown values become "other".
 */
export const mapOpenAIFinishReason = (raw: string | null | undefined): FinishReason => ({
  unified: unifiedOf(raw),
  raw: raw ?? undefined,
});

const unifiedOf = (raw: string | null | undefined): UnifiedFinishReason => {
  switch (raw) {
    case "stop":
    case "end_turn":
      return "stop";
    case "length":
    case "max_tokens":
      return "length";
    case "tool_calls":
    case "function_call":
    case "tool_use":
      return "tool-calls";
    case "content_filter":
      return "content-filter";
    default:
      return "other";
  }
};
