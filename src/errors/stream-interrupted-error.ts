import type { Attempt } from "../spec/attempt.js";
import type { ToolCall } from "../spec/request.js";
import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";
import type { FailureClass } from "./failure-class.js";

/**
 * A stream failed after content had reached the caller. Text from two attempts is never stitched
 * together: the caller gets this error with what it already received.
 */
export class StreamInterruptedError extends AiFailoverError {
  override name = "StreamInterruptedError";
  readonly provider: string;
  readonly model: string;
  readonly failureClass: FailureClass;
  /** The text delivered before the failure. */
  readonly partialText: string;
  /** Tool calls completed before the failure. */
  readonly partialToolCalls: ToolCall[];
  readonly attempts: Attempt[];

  constructor(init: {
    provider: string;
    model: string;
    failureClass: FailureClass;
    partialText: string;
    partialToolCalls: ToolCall[];
    attempts: Attempt[];
    cause?: unknown;
  }) {
    super(
      `Stream from ${init.provider} (${init.model}) failed after output began (${init.failureClass}); ` +
        `${init.partialText.length} characters were delivered`,
      { cause: init.cause },
    );
    this.provider = init.provider;
    this.model = init.model;
    this.failureClass = init.failureClass;
    this.partialText = init.partialText;
    this.partialToolCalls = init.partialToolCalls;
    this.attempts = init.attempts;
  }
}

export const isStreamInterruptedError = (error: unknown): error is StreamInterruptedError =>
  hasErrorName(error, "StreamInterruptedError");
