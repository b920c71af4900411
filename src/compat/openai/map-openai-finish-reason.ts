import type { FinishReason } from "../../spec/result.js";
import type { OpenAIFinishReason } from "./wire-types.js";

const openAIReasons = new Set<string>(["stop", "length", "tool_calls", "content_filter", "function_call"]);

/**
 * The neutral finish reason in OpenAI's vocabulary. A raw value that already is an OpenAI reason
 * (OpenAI, an OpenAI-compatible server or Mistral answered) is kept as is: an OpenAI refusal
 * finishes with "stop", as OpenAI sends it, though its unified reason is "content-filter".
 * Otherwise the unified value decides (Anthropic's refusal reads as "content_filter"), and "other"
 * (a provider-specific reason such as Anthropic's `pause_turn`) reads as "stop".
 */
export const mapOpenAIFinishReason = (reason: FinishReason): OpenAIFinishReason => {
  if (reason.raw !== undefined && openAIReasons.has(reason.raw)) return reason.raw as OpenAIFinishReason;
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
      return "stop";
  }
};
