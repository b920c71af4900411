import { isAbortLike } from "../errors/classify-failure.js";
import { isProviderError, ProviderError } from "../errors/provider-error.js";
import { DeadlineExceeded, describeDeadline } from "./deadline.js";

/** The attempt a failure belongs to, as `toAttemptError` needs it. */
export interface FailedAttempt {
  provider: string;
  model: string;
  /** The attempt's own signal: aborted by a deadline (`DeadlineExceeded`) or by the caller. */
  signal: AbortSignal;
  adapterKind: string;
  /** Removes the request's own text from a provider's error that quotes it. */
  scrub(error: ProviderError): ProviderError;
}

/**
 * A ProviderError for an attempt's failure (chat or embedding), with engine deadlines and caller
 * aborts told apart. It never carries what the adapter threw unless it is a `ProviderError`
 * (scrubbed): an SDK's raw error or a parsing error can hold the provider's bytes.
 */
export const toAttemptError = (error: unknown, attempt: FailedAttempt): ProviderError => {
  const { provider, model, signal } = attempt;
  const fail = (failureClass: ProviderError["failureClass"], message: string, cause?: unknown) =>
    new ProviderError({ failureClass, provider, model, message, cause });
  const reason = signal.aborted ? signal.reason : undefined;
  if (reason instanceof DeadlineExceeded) return fail("timeout", describeDeadline(reason), reason);
  if (signal.aborted) return fail("aborted", "aborted by the caller");
  if (isProviderError(error)) return attempt.scrub(error);
  if (isAbortLike(error)) return fail("aborted", "aborted");
  const name = error instanceof Error ? error.constructor.name || error.name : typeof error;
  return fail("invalid_response", `unexpected ${name} from the ${attempt.adapterKind} adapter`);
};
