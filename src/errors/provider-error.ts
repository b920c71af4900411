import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";
import type { FailureClass } from "./failure-class.js";

export interface ProviderErrorInit {
  failureClass: FailureClass;
  provider: string;
  model: string;
  /** Sanitized message: no prompt text, no key, no HTML. */
  message: string;
  status?: number | undefined;
  /** The provider's own error code/type, e.g. "insufficient_quota", "overloaded_error". */
  providerCode?: string | undefined;
  /** Milliseconds until the provider says a retry may succeed (Retry-After & reset headers). */
  retryAfterMs?: number | undefined;
  requestId?: string | undefined;
  /** Content-filter categories that fired, e.g. ["hate", "violence"]. */
  contentFilterCategories?: string[] | undefined;
  cause?: unknown;
}

/** One provider failed one attempt. Adapters throw these; the engine reads `failureClass`. */
export class ProviderError extends AiFailoverError {
  override name = "ProviderError";
  readonly failureClass: FailureClass;
  readonly provider: string;
  readonly model: string;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly contentFilterCategories: string[] | undefined;
  /** The provider's own (sanitized) description, without the "provider (model) class:" prefix. */
  readonly detail: string;

  constructor(init: ProviderErrorInit) {
    super(`${init.provider} (${init.model}) ${init.failureClass}: ${init.message}`, { cause: init.cause });
    this.failureClass = init.failureClass;
    this.provider = init.provider;
    this.model = init.model;
    this.status = init.status;
    this.providerCode = init.providerCode;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
    this.contentFilterCategories = init.contentFilterCategories;
    this.detail = init.message;
  }

  /** @internal The same failure with another detail and cause (used to scrub echoed request text). */
  withDetail(detail: string, cause: unknown): ProviderError {
    return new ProviderError({
      failureClass: this.failureClass,
      provider: this.provider,
      model: this.model,
      message: detail,
      status: this.status,
      providerCode: this.providerCode,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      contentFilterCategories: this.contentFilterCategories,
      cause,
    });
  }
}

export const isProviderError = (error: unknown): error is ProviderError =>
  hasErrorName(error, "ProviderError");
