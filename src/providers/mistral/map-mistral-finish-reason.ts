import type { FinishReason } from "../../spec/result.js";

/**
 * Maps Mistral's `finish_reason` (an open enum: unknown values pass through the SDK as strings).
 * `model_length` means the model's context window filled up mid-answer: a truncation like `length`.
 * `error` and `content_filter` are not successes: the adapter throws for them (see `mistral-error.ts`).
 */
export const mapMistralFinishReason = (raw: string | null | undefined): FinishReason => {
  const value = raw ?? undefined;
  switch (value) {
    case "stop":
      return { unified: "stop", raw: value };
    case "length":
    case "model_length":
      return { unified: "length", raw: value };
    case "tool_calls":
      return { unified: "tool-calls", raw: value };
    case "content_filter":
      return { unified: "content-filter", raw: value };
    default:
      return { unified: "other", raw: value };
  }
};
