import type { ProviderError } from "../../../errors/provider-error.js";
import { convertOpenAIInBandError, type OpenAIErrorContext } from "../../../providers/openai/openai-error.js";
import { isRecord } from "./convert-responses-input.js";

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/**
 * The error type a Responses error code stands for. A Responses stream reports failures after HTTP
 * 200 (`event: error`, `response.failed`) by `code` alone, sometimes with the code as `type`:
 * rate limits and spent quotas must still read as `rate_limited` / `quota`, not as a server error.
 */
const typeOf = (code: string | undefined, type: string | undefined): string | undefined => {
  const signal = code ?? type ?? "";
  if (/rate_limit|quota|billing/.test(signal)) return "rate_limit_error";
  if (/^(server_error|vector_store_timeout|internal_error)$/.test(signal)) return "server_error";
  if (
    /^(invalid_|image_|empty_image|unsupported_|failed_to_download|context_length|data_residency|bio_policy|misalignment)/.test(
      signal,
    )
  )
    return "invalid_request_error";
  return type;
};

/**
 * Classifies an error a Responses answer carried in a 200 (the `error` of an `event: error` frame,
 * nested or flat, or of a failed response) with the same table as every other failure.
 */
export const convertResponsesError = (error: unknown, context: OpenAIErrorContext): ProviderError => {
  const body = isRecord(error) ? error : {};
  const code = text(body.code);
  const type = text(body.type) === "error" ? undefined : text(body.type);
  return convertOpenAIInBandError(
    {
      message: text(body.message) ?? "the response failed",
      type: typeOf(code, type),
      code: code ?? type ?? null,
      param: body.param ?? null,
    },
    context,
  );
};
