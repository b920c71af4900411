/**
 * Every failure the engine can see falls into one of these classes; the class alone decides
 * whether to retry, fall over, count against the breaker, or stop: see `defaultFailureActions` below
 * and the table in docs/concepts.md ("Failure classes").
 */
export const failureClasses = [
  "rate_limited",
  "quota",
  "server_error",
  "overloaded",
  "connection",
  "timeout",
  "auth",
  "context_length",
  "content_filter",
  "bad_request",
  "invalid_response",
  "truncated",
  "aborted",
] as const;

export type FailureClass = (typeof failureClasses)[number];

/** What the engine does with one failure class. Users may override any field per class. */
export interface FailureAction {
  /** Try the same provider again: only when no other provider can take the call (or `retry.preferPrimary`), within attempts, retry budget and deadline. */
  retry: boolean;
  /** Move on to the next provider. */
  fallover: boolean;
  /** Count the failure against the provider's circuit breaker. */
  countsForBreaker: boolean;
  /** Take the provider out of rotation for `disableForMs` (auth, quota). */
  disableProvider: boolean;
}

/** The default policy: the failure-class table of docs/concepts.md ("Failure classes"). */
export const defaultFailureActions: Readonly<Record<FailureClass, Readonly<FailureAction>>> = {
  // 429 with a reset time: fall over at once; retry only after the stated wait, only if nobody else can answer.
  rate_limited: { retry: true, fallover: true, countsForBreaker: false, disableProvider: false },
  // 429 insufficient_quota / spend limit: retrying cannot help until someone pays.
  quota: { retry: false, fallover: true, countsForBreaker: false, disableProvider: true },
  server_error: { retry: true, fallover: true, countsForBreaker: true, disableProvider: false },
  overloaded: { retry: true, fallover: true, countsForBreaker: true, disableProvider: false },
  connection: { retry: true, fallover: true, countsForBreaker: true, disableProvider: false },
  // A black hole: retrying the same provider costs another full deadline.
  timeout: { retry: false, fallover: true, countsForBreaker: true, disableProvider: false },
  auth: { retry: false, fallover: true, countsForBreaker: false, disableProvider: true },
  // Falls over only to a provider with a larger context window (the engine checks that).
  context_length: { retry: false, fallover: true, countsForBreaker: false, disableProvider: false },
  // Opt-in fall-over: another provider answering what one provider filtered is a policy decision.
  content_filter: { retry: false, fallover: false, countsForBreaker: false, disableProvider: false },
  bad_request: { retry: false, fallover: false, countsForBreaker: false, disableProvider: false },
  // A garbage reply (malformed JSON, missing fields) is the provider's fault, like a 5xx.
  invalid_response: { retry: true, fallover: true, countsForBreaker: true, disableProvider: false },
  // A stream that ended without its terminal event.
  truncated: { retry: true, fallover: true, countsForBreaker: true, disableProvider: false },
  aborted: { retry: false, fallover: false, countsForBreaker: false, disableProvider: false },
};
