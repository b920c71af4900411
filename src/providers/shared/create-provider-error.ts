import { findNetworkErrorCode } from "../../errors/classify-failure.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { ProviderError } from "../../errors/provider-error.js";
import { redactKnownSecrets, sanitizeIdentifier, sanitizeMessage } from "../../errors/sanitize-message.js";

/** Who failed, the attempt's signal, and what must never be repeated. Every adapter passes one. */
export interface ProviderErrorContext {
  provider: string;
  model: string;
  /** The attempt's signal: once it is aborted, any failure is an abort (the engine knows why). */
  signal?: AbortSignal | undefined;
  /**
   * Credentials this provider knows (its API key, tokens in its configured or per-call headers):
   * redacted from every text of the error because they are known, whatever they look like.
   */
  secrets?: readonly string[] | undefined;
}

/** One failure as an adapter read it, before it becomes a `ProviderError`. */
export interface ProviderFailure {
  failureClass: FailureClass;
  /** A fixed phrase, or provider text already passed through `sanitizeMessage`. */
  message: string;
  status?: number | undefined;
  /** The provider's code or type: kept only when it is a short identifier (see `sanitizeIdentifier`). */
  providerCode?: unknown;
  retryAfterMs?: number | undefined;
  /** Kept only when it is a short identifier. */
  requestId?: unknown;
  /** Kept for `content_filter` failures only, each category a short identifier. */
  contentFilterCategories?: readonly unknown[] | undefined;
  /**
   * What was thrown. Kept only as a sanitized summary (see {@link summarizeCause}). Pass it only for
   * failures below HTTP (network, timeout, abort, a client that cannot be built): an HTTP or
   * in-band error keeps all its useful facts on the `ProviderError` itself.
   */
  cause?: unknown;
}

/**
 * The one place adapters make a `ProviderError`: no raw provider bytes reach it. The message gets
 * a last pass of known-secret redaction; the code, request id and categories must be short
 * identifiers; the cause, if any, is a summary, never the SDK's error object (which holds the
 * response body, headers and the request's details).
 */
export const createProviderError = (
  context: ProviderErrorContext,
  failure: ProviderFailure,
): ProviderError => {
  const { secrets } = context;
  const categories =
    failure.failureClass === "content_filter" && failure.contentFilterCategories
      ? failure.contentFilterCategories
          .map((category) => sanitizeIdentifier(category, secrets, 64))
          .filter((category): category is string => category !== undefined)
      : undefined;
  return new ProviderError({
    failureClass: failure.failureClass,
    provider: context.provider,
    model: context.model,
    message: redactKnownSecrets(failure.message, secrets),
    status: failure.status,
    providerCode: sanitizeIdentifier(failure.providerCode, secrets, 64),
    retryAfterMs: failure.retryAfterMs,
    requestId: sanitizeIdentifier(failure.requestId, secrets),
    contentFilterCategories: categories,
    cause: failure.cause === undefined ? undefined : summarizeCause(failure.cause, secrets),
  });
};

/** The class name of an error: openai-node leaves `name` as "Error", so its constructor is read too. */
export const errorClassNames = (error: unknown): string[] => {
  if (typeof error !== "object" || error === null) return [];
  const names: string[] = [];
  const name = (error as { name?: unknown }).name;
  if (typeof name === "string" && name !== "") names.push(name);
  let proto: unknown = Object.getPrototypeOf(error);
  for (let depth = 0; proto && proto !== Object.prototype && depth < 6; depth++) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === "string" && ctor.name !== "" && !names.includes(ctor.name))
      names.push(ctor.name);
    if (proto === Error.prototype) break;
    proto = Object.getPrototypeOf(proto);
  }
  return names;
};

/**
 * A thrown error reduced to what is safe to log: its class name, its sanitized message, its
 * network code (`ECONNRESET`…), and the same for its own causes, three levels deep. Used for
 * failures below HTTP, whose messages come from the HTTP stack ("fetch failed", "connect
 * ECONNREFUSED 127.0.0.1:443"), never from a response body.
 */
export const summarizeCause = (error: unknown, secrets?: readonly string[], depth = 0): Error => {
  const record = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const message =
    typeof error === "string" ? sanitizeMessage(error, secrets) : sanitizeMessage(record.message, secrets);
  const inner = record.cause;
  const summary = new Error(
    message,
    depth < 2 && inner !== undefined && inner !== null
      ? { cause: summarizeCause(inner, secrets, depth + 1) }
      : {},
  );
  const name = errorClassNames(error).find((n) => n !== "Error") ?? "Error";
  summary.name = sanitizeIdentifier(name, secrets, 64) ?? "Error";
  const code = findNetworkErrorCode(error);
  if (code !== undefined && (depth === 0 || record.code === code)) Object.assign(summary, { code });
  return summary;
};
