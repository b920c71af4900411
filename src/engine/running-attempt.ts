import { ProviderError } from "../errors/provider-error.js";
import type { Attempt } from "../spec/attempt.js";
import type { ProviderRequest } from "../spec/request.js";
import type { ProviderResponse } from "../spec/result.js";
import { isContentPart, type StreamPart } from "../spec/stream.js";
import { DeadlineExceeded } from "./deadline.js";
import type { ResolvedPolicy } from "./policy-options.js";
import type { ProviderSlot, Ticket } from "./provider-slot.js";
import { scrubProviderError } from "./scrub-echoed-text.js";
import { toAttemptError } from "./to-attempt-error.js";

const noop = (): void => {};

/** Turns a non-streaming response into the parts a stream would have produced. */
const responseToParts = (response: ProviderResponse): StreamPart[] => {
  const parts: StreamPart[] = [];
  if (response.text) parts.push({ type: "text", text: response.text });
  if (response.refusal) parts.push({ type: "refusal", text: response.refusal });
  response.toolCalls.forEach((toolCall, index) => {
    parts.push({ type: "tool-call", index, toolCall });
  });
  parts.push({
    type: "finish",
    finishReason: response.finishReason,
    usage: response.usage,
    model: response.model,
    ...(response.id !== undefined ? { id: response.id } : {}),
    raw: response.raw,
  });
  return parts;
};

/**
 * Where an attempt is, which says which deadlines apply: waiting for the response headers (stream
 * transport: headers and first content), for the first content, or reading content (idle, while a
 * read is pending).
 */
type Stage = "headers" | "first-content" | "content";

/**
 * One attempt against one provider, with the engine's deadlines: headers, first content, idle
 * gap. `open()` settles once the first content (or the finish) arrives; `next()` reads the rest.
 * Every wait is raced against the attempt's abort so a misbehaving adapter can never hang a call.
 *
 * The deadlines share one timer (a watchdog armed for the earliest one that applies, re-armed
 * only when it fires early: no timer churn per streamed event). When it fires, the deadline is
 * judged only after the event loop's next I/O poll: a process starved by garbage collection or a
 * busy machine runs its expired timers before it reads the sockets, and a reply that arrived in
 * time must not be aborted as a timeout — a deadline measures the provider, not our own stall.
 */
export class RunningAttempt {
  readonly controller = new AbortController();
  readonly startedAt = Date.now();
  /** Parts read before the first content part, plus that part. */
  readonly head: StreamPart[] = [];
  /** Epoch ms of the first content (or the finish), once it arrived. */
  firstContentAt: number | undefined;
  ended = false;
  private iterator: AsyncIterator<StreamPart> | undefined;
  private queued: StreamPart[] = [];
  /** Rejects the wait in progress (one at a time: open() and next() are sequential). */
  private rejectWait: ((reason: unknown) => void) | undefined;
  /** Resolves the `next()` in progress. */
  private resolvePart: ((part: StreamPart | undefined) => void) | undefined;
  private stage: Stage = "headers";
  private headersDeadline = Number.POSITIVE_INFINITY;
  private firstContentDeadline = Number.POSITIVE_INFINITY;
  /**
   * `performance.now()` since which `next()` has been waiting; -1 when no read is pending (0 is a
   * real reading: fake timers start the clock there).
   */
  private pendingSince = -1;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  /** When the armed watchdog fires (+∞ when none is armed). */
  private watchdogAt = Number.POSITIVE_INFINITY;
  private readonly unlink: () => void;

  constructor(
    readonly slot: ProviderSlot,
    readonly model: string,
    readonly reason: Attempt["reason"],
    /** The provider's admission of this attempt (a probe carries its id). */
    readonly ticket: Ticket,
    private readonly request: ProviderRequest,
    private readonly policy: ResolvedPolicy,
    /** Follows the call (see `CallScope.follow`): its abort stops this attempt. */
    followCall: (stop: (reason: unknown) => void) => () => void,
    private readonly callDeadline: number,
  ) {
    this.unlink = followCall(this.stopWithCall);
  }

  get name(): string {
    return this.slot.name;
  }

  /** Sends the request and reads until the first content part or the finish. */
  async open(transport: "stream" | "json"): Promise<void> {
    const { deadlines } = this.policy;
    const adapter = this.slot.adapter;
    const context = {
      signal: this.controller.signal,
      timeoutMs: Math.max(1, this.callDeadline - Date.now()),
    };
    // The stage deadlines run on the monotonic clock: a step of the system clock (NTP, a resumed VM)
    // must neither time out a healthy reply nor keep a black hole waiting.
    const now = performance.now();
    this.firstContentDeadline = now + deadlines.firstContentMs;
    if (transport === "json") {
      this.stage = "first-content";
      this.arm(this.firstContentDeadline);
      const response = await this.untilAborted(adapter.generate(this.request, context));
      this.contentArrived();
      const parts = responseToParts(response);
      this.head.push(parts[0]!);
      this.queued = parts.slice(1);
      return;
    }
    this.headersDeadline = now + deadlines.headersMs;
    this.arm(Math.min(this.headersDeadline, this.firstContentDeadline));
    const iterable = await this.untilAborted(adapter.stream(this.request, context));
    this.stage = "first-content";
    this.iterator = iterable[Symbol.asyncIterator]();
    for (;;) {
      const result = await this.untilAborted(this.iterator.next());
      if (result.done) throw this.truncated();
      this.head.push(result.value);
      if (isContentPart(result.value) || result.value.type === "finish") break;
    }
    this.contentArrived();
  }

  /**
   * The next part after `head`, with the idle deadline armed while we wait; `undefined` at the end.
   * Called once per streamed event: one promise per call, no async frame, no closures.
   */
  next(): Promise<StreamPart | undefined> {
    if (this.queued.length > 0) return Promise.resolve(this.queued.shift());
    const iterator = this.iterator;
    if (!iterator) return Promise.resolve(undefined);
    const { signal } = this.controller;
    if (signal.aborted) return Promise.reject(signal.reason);
    const now = performance.now();
    this.pendingSince = now;
    const idleAt = now + this.policy.deadlines.idleMs;
    if (this.watchdogAt > idleAt) this.arm(idleAt);
    let pending: Promise<IteratorResult<StreamPart>>;
    try {
      pending = iterator.next();
    } catch (error) {
      this.pendingSince = -1;
      return Promise.reject(error);
    }
    return new Promise<StreamPart | undefined>((resolve, reject) => {
      this.resolvePart = resolve;
      this.rejectWait = reject;
      pending.then(this.onPart, this.onPartError);
    });
  }

  /** See `toAttemptError`: deadlines and caller aborts told apart, the request's text scrubbed. */
  toProviderError(error: unknown): ProviderError {
    return toAttemptError(error, {
      provider: this.name,
      model: this.model,
      signal: this.controller.signal,
      adapterKind: this.slot.adapter.kind,
      scrub: (providerError) => scrubProviderError(providerError, this.request),
    });
  }

  truncated(): ProviderError {
    return this.error("truncated", "stream ended without its terminal event");
  }

  /** Stops the attempt: aborts the request and releases the SDK stream. Idempotent. */
  abort(reason: unknown): void {
    this.stop(reason);
    this.finish();
  }

  /**
   * Releases the timer, the listener and the SDK stream. The iterator is always returned, even
   * after a clean finish: an SDK stream left suspended after its last event can keep its response
   * body and request signal alive (seen with the Anthropic SDK: ~35 KB per call).
   */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    this.unlink();
    this.iterator?.return?.()?.catch(noop);
  }

  private readonly onPart = (result: IteratorResult<StreamPart>): void => {
    const resolve = this.resolvePart;
    this.pendingSince = -1;
    this.resolvePart = this.rejectWait = undefined;
    resolve?.(result.done ? undefined : result.value);
  };

  private readonly onPartError = (error: unknown): void => {
    const reject = this.rejectWait;
    this.pendingSince = -1;
    this.resolvePart = this.rejectWait = undefined;
    reject?.(error);
  };

  private readonly stopWithCall = (reason: unknown): void => this.stop(reason);

  /** Aborts the request (the adapter sees its signal) and rejects the wait in progress. */
  private stop(reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.rejectWait?.(reason);
  }

  /**
   * `promise`, or the abort reason as soon as the attempt aborts: a misbehaving adapter can never
   * hang a call. One small promise per wait, released when it settles (racing a long-lived abort
   * promise instead would pin a reaction per streamed event until the stream ends).
   */
  private untilAborted<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      promise.catch(noop);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectWait = reject;
      promise.then(
        (value) => {
          this.rejectWait = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.rejectWait = undefined;
          reject(error);
        },
      );
    });
  }

  private error(
    failureClass: ProviderError["failureClass"],
    message: string,
    cause?: unknown,
  ): ProviderError {
    return new ProviderError({ failureClass, provider: this.name, model: this.model, message, cause });
  }

  private contentArrived(): void {
    this.stage = "content";
    this.firstContentAt = Date.now();
  }

  /** Makes sure the watchdog fires no later than `at` (`performance.now()` ms). */
  private arm(at: number): void {
    if (this.ended || at >= this.watchdogAt) return;
    clearTimeout(this.watchdog);
    this.watchdogAt = at;
    this.watchdog = setTimeout(this.onWatchdog, Math.max(0, at - performance.now()));
  }

  private readonly onWatchdog = (): void => {
    this.watchdog = undefined;
    this.watchdogAt = Number.POSITIVE_INFINITY;
    // Judge after the next I/O poll: what already arrived is processed first (see the class doc).
    if (!this.ended) setImmediate(this.check);
  };

  /** Aborts on the deadline that passed, if one did; otherwise re-arms for the next one. */
  private readonly check = (): void => {
    if (this.ended || this.controller.signal.aborted) return;
    const passed = this.passedDeadline(performance.now());
    if (passed) this.stop(passed);
    else if (this.nextDeadline() < Number.POSITIVE_INFINITY) this.arm(this.nextDeadline());
  };

  /** The deadline of the current stage that has passed at `now`, if any (the earliest one first). */
  private passedDeadline(now: number): DeadlineExceeded | undefined {
    const { deadlines } = this.policy;
    if (
      this.stage === "headers" &&
      now >= this.headersDeadline &&
      this.headersDeadline <= this.firstContentDeadline
    )
      return new DeadlineExceeded("headers", deadlines.headersMs);
    if (this.stage !== "content")
      return now >= this.firstContentDeadline
        ? new DeadlineExceeded("first-content", deadlines.firstContentMs)
        : undefined;
    return this.pendingSince !== -1 && now >= this.pendingSince + deadlines.idleMs
      ? new DeadlineExceeded("idle", deadlines.idleMs)
      : undefined;
  }

  /** When the earliest deadline of the current stage falls (+∞ when none applies now). */
  private nextDeadline(): number {
    if (this.stage === "headers") return Math.min(this.headersDeadline, this.firstContentDeadline);
    if (this.stage === "first-content") return this.firstContentDeadline;
    return this.pendingSince !== -1
      ? this.pendingSince + this.policy.deadlines.idleMs
      : Number.POSITIVE_INFINITY;
  }
}
