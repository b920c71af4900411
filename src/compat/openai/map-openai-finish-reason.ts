import type { FinishReason } from "../../spec/result.js";
import type { OpenAIFinishReason } from "./wire-types.js";

const openAIReasons = new Set<string>(["stop", "length", "tool_calls", "content_filter", "function_call"]);

/**
 * The neutral finish reason in OpenAI's vocabulary. A raw value that already is an OpenAI reason
 * (the primary answered) is kept as is; otherwise the unified value decides, and "other" (a
 * provider-specific reason such as Anthropic's `pause_turn`) reads as "stop".
 */
export const mapOpenAIFinishReason = (reason: FinishReason): OpenAIFinishReason => {
  switch (reason.unified) {
    case "length":
      return "length";
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    case "stop":
      return "stop";
    default:
      return reason.raw !== undefined && openAIReasons.has(reason.raw)
        ? (reason.raw as OpenAIFinishReason)
        : "stop";
  }
};
