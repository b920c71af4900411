import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";

/** The request passed to `chat()` / `stream()` is malformed. Nothing was sent to any provider. */
export class InvalidRequestError extends AiFailoverError {
  override name = "InvalidRequestError";
  /** Each problem as `path: message` (never the prompt text itself). */
  readonly issues: string[];

  constructor(issues: string[]) {
    super(`Invalid request:\n  - ${issues.join("\n  - ")}`);
    this.issues = issues;
  }
}

export const isInvalidRequestError = (error: unknown): error is InvalidRequestError =>
  hasErrorName(error, "InvalidRequestError");
