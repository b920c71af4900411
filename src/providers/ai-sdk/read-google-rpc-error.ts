/**
 * Google's `google.rpc.Status` error body (Gemini, Vertex): `{ error: { code, message, status,
 * details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "37s" }, …] } }`.
 * Gemini states a rate limit's wait in `RetryInfo`, not in a header, and answers a wrong API key
 * with a 400 whose `ErrorInfo.reason` is `API_KEY_INVALID`.
 */
export interface GoogleRpcError {
  /** The status name: `RESOURCE_EXHAUSTED`, `UNAVAILABLE`, `INVALID_ARGUMENT`… */
  status: string;
  message: string | undefined;
  /** `RetryInfo.retryDelay` in milliseconds. */
  retryDelayMs: number | undefined;
  /** `ErrorInfo.reason`, e.g. `API_KEY_INVALID`, `RATE_LIMIT_EXCEEDED`. */
  reason: string | undefined;
}

type Fields = Record<string, unknown>;
const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;

/** "37s", "1.5s", "0.200s" (protobuf Duration JSON) → milliseconds. */
const parseDuration = (value: unknown): number | undefined => {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
};

/** Reads a google.rpc error from a parsed body (or a bare `error` object), if it is one. */
export const readGoogleRpcError = (body: unknown): GoogleRpcError | undefined => {
  const error = isRecord(body) && isRecord(body.error) ? body.error : body;
  if (!isRecord(error) || typeof error.status !== "string" || !/^[A-Z_]+$/.test(error.status))
    return undefined;
  let retryDelayMs: number | undefined;
  let reason: string | undefined;
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (!isRecord(detail)) continue;
    const type = String(detail["@type"] ?? "");
    if (type.endsWith("google.rpc.RetryInfo")) retryDelayMs = parseDuration(detail.retryDelay);
    if (type.endsWith("google.rpc.ErrorInfo") && typeof detail.reason === "string") reason = detail.reason;
  }
  return {
    status: error.status,
    message: typeof error.message === "string" ? error.message : undefined,
    retryDelayMs,
    reason,
  };
};
