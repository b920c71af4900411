import type { FailureClass } from "../errors/failure-class.js";

/** One try of one provider within a call. Never holds prompt text or keys. */
export interface Attempt {
  /** The provider's name (its `name` option, by default its kind). */
  provider: string;
  /** The model asked for in this attempt. */
  model: string;
  /** "ok", or the failure class that ended this attempt. */
  outcome: "ok" | FailureClass;
  /** HTTP status, when the provider answered with one. */
  status: number | undefined;
  /** Milliseconds from the attempt's start to its end. */
  durationMs: number;
  /** Why the attempt was made: the first try, a retry of the same provider, a fall-over, a hedge. */
  reason: "initial" | "retry" | "fallback" | "hedge";
  /** Short, sanitized description of the failure (no prompt, no key, no HTML). */
  message?: string;
}
