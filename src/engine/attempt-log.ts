import type { SkippedProvider } from "../errors/all-providers-failed-error.js";
import type { FailureClass } from "../errors/failure-class.js";
import type { ProviderError } from "../errors/provider-error.js";
import type { Attempt } from "../spec/attempt.js";
import type { CallAttempt, FinishedReply } from "./call-attempt.js";
import type { AttemptEndEvent, EngineEvents } from "./events.js";
import type { Outage, ProviderSlot } from "./provider-slot.js";

/** One call's record of what it tried and what it passed over, told to observers as it happens. */
export class AttemptLog {
  readonly attempts: Attempt[] = [];
  readonly skipped: SkippedProvider[] = [];

  constructor(
    private readonly callId: string,
    private readonly events: EngineEvents,
  ) {}

  /**
   * Logs an attempt that ended. `error` gives its status and (sanitized) message; `finished` the
   * reply's usage, model and id for a successful one.
   */
  record(
    attempt: CallAttempt,
    outcome: "ok" | FailureClass,
    details: { error?: ProviderError; message?: string; finished?: FinishedReply } = {},
  ): void {
    const { error, finished } = details;
    const entry: Attempt = {
      provider: attempt.name,
      model: attempt.model,
      outcome,
      status: error?.status,
      durationMs: Date.now() - attempt.startedAt,
      reason: attempt.reason,
    };
    const message = details.message ?? error?.message;
    if (message) entry.message = message;
    this.attempts.push(entry);
    if (!this.events.attemptEnd.active) return;
    const event: AttemptEndEvent = { callId: this.callId, attempt: entry };
    if (attempt.firstContentAt !== undefined)
      event.timeToFirstContentMs = attempt.firstContentAt - attempt.startedAt;
    if (finished) {
      event.usage = finished.usage;
      if (finished.model) event.responseModel = finished.model;
      if (finished.id !== undefined) event.responseId = finished.id;
      if (finished.finishReason) event.finishReason = finished.finishReason;
    }
    this.events.attemptEnd.emit(event);
  }

  /** Notes (once per call and provider) that a provider was passed over without a request. */
  noteSkip(slot: ProviderSlot, model: string, outage: Outage): void {
    if (this.skipped.some((s) => s.provider === slot.name)) return;
    const skipped: SkippedProvider = { provider: slot.name, model, ...outage };
    this.skipped.push(skipped);
    this.events.skip.emit({ callId: this.callId, ...skipped });
  }
}
