import type { FinishReason, UnifiedFinishReason, Usage } from "../../spec/result.js";
import { wireCount as count } from "../shared/wire-fields.js";

type Fields = Record<string, unknown>;
const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;

/** A finish reason read from any version; `interrupted`: the provider never said why it stopped. */
export interface AiSdkFinish {
  unified: string;
  raw: string | undefined;
  interrupted: boolean;
}

/**
 * An AI SDK finish reason, whatever the version. Each says "the provider sent no finish reason"
 * its own way, and that is a truncation, never a success:
 * - v4 `{ unified, raw }` with `"interrupted"` (the stream ended without its completion signal);
 * - v3 `{ unified: "other", raw: undefined }` (the value providers start from and keep when no
 *   finish reason arrives; a real "other" carries the provider's raw reason);
 * - v2 the string `"unknown"` ("the model has not transmitted a finish reason").
 */
export const readAiSdkFinishReason = (value: unknown, version: string): AiSdkFinish => {
  if (typeof value === "string") {
    return value === "unknown"
      ? { unified: "other", raw: undefined, interrupted: true }
      : { unified: value, raw: undefined, interrupted: false };
  }
  if (isRecord(value) && typeof value.unified === "string") {
    const raw = typeof value.raw === "string" ? value.raw : undefined;
    const interrupted =
      value.unified === "interrupted" || (version === "v3" && value.unified === "other" && raw === undefined);
    return { unified: value.unified, raw, interrupted };
  }
  return { unified: "other", raw: undefined, interrupted: true };
};

const unifiedNames = new Set<UnifiedFinishReason>([
  "stop",
  "length",
  "tool-calls",
  "content-filter",
  "other",
]);

/** Our finish reason from a successful AI SDK one (the raw value is the provider's, when it gave one). */
export const toFinishReason = (unified: string, raw: string | undefined): FinishReason => ({
  unified: unifiedNames.has(unified as UnifiedFinishReason) ? (unified as UnifiedFinishReason) : "other",
  raw: raw ?? unified,
});

/**
 * AI SDK usage → ours. v2 is flat (`inputTokens`, `cachedInputTokens`…); v3 and v4 nest it
 * (`inputTokens.total`, `inputTokens.cacheRead`, `outputTokens.total`). `inputTokens` counts the
 * whole prompt, cached tokens included, in both.
 */
export const convertAiSdkUsage = (usage: unknown): Usage => {
  const fields = isRecord(usage) ? usage : {};
  const input = fields.inputTokens;
  const output = fields.outputTokens;
  const inputTokens = isRecord(input) ? count(input.total) : count(input);
  const outputTokens = isRecord(output) ? count(output.total) : count(output);
  const cachedInputTokens = isRecord(input) ? count(input.cacheRead) : count(fields.cachedInputTokens);
  const total = count(fields.totalTokens);
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens,
    totalTokens:
      total ??
      (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined),
  };
};

/** A tool call's input text parsed: `{}` for none, the text itself when it is not JSON. */
export const parseToolInput = (input: string): unknown => {
  if (input.trim() === "") return {};
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
};
