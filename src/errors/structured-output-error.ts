import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";

/**
 * The model replied, but its reply is not JSON matching the requested schema, or the model refused
 * to answer (`refusal` holds its explanation).
 */
export class StructuredOutputError extends AiFailoverError {
  override name = "StructuredOutputError";
  /** The schema issues as `path: message`. */
  readonly issues: string[];
  /** The reply text that failed validation (model output, not the prompt). */
  readonly text: string;
  readonly provider: string;
  readonly model: string;
  /** The model's refusal (model output), when it declined instead of answering; otherwise undefined. */
  readonly refusal: string | undefined;

  constructor(init: {
    issues: string[];
    text: string;
    provider: string;
    model: string;
    refusal?: string | undefined;
    cause?: unknown;
  }) {
    super(
      `The reply from ${init.provider} (${init.model}) does not match the schema: ${init.issues.join("; ")}`,
      { cause: init.cause },
    );
    this.issues = init.issues;
    this.text = init.text;
    this.provider = init.provider;
    this.model = init.model;
    this.refusal = init.refusal;
  }
}

export const isStructuredOutputError = (error: unknown): error is StructuredOutputError =>
  hasErrorName(error, "StructuredOutputError");
