import { isAbortLike } from "../errors/classify-failure.js";
import { isProviderError, ProviderError } from "../errors/provider-error.js";
import type { Attempt } from "../spec/attempt.js";
import type { ProviderRequest } from "../spec/request.js";
import type { ProviderResponse } from "../spec/result.js";
import { isContentPart, type StreamPart } from "../spec/stream.js";
import { DeadlineExceeded, describeDeadline } from "./deadline.js";
import type { ResolvedPolicy } from "./policy-options.js";
import type { ProviderSlot, Ticket } from "./provider-slot.js";
import { scrubProviderError } from "./scrub-echoed-text.js";

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
 * One attempt against one provider, with the engine's deadlines: headers, first content, idle
 * gap. `open()` settles once the first content (or the finish) arrives; `next()` reads the rest.
 * Every wait is raced against the attempt's abort so a misbehaving adapter can never hang a call.
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
  private onOwnAbort: () => void = noop;
  private headersTimer: ReturnType<typeof setTimeout> | undefined;
  private firstContentTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingSince = 0;
  private readonly unlink: () => void;

  constructor(
    readonly slot: ProviderSlot,
    readonly model: string,
    readonly reason: Attempt["reason"],
    /** The provider's admission of this attempt (a probe carries its id). */
    readonly ticket: Ticket,
    private readonly request: ProviderRequest,
    private readonly policy: ResolvedPolicy,
    callSignal: AbortSignal,
    private readonly callDeadline: number,
  ) {
    const signal = this.controller.signal;
    this.onOwnAbort = () => this.rejectWait?.(signal.reason);
    signal.addEventListener("abort", this.onOwnAbort, { once: true });
    if (callSignal.aborted) this.controller.abort(callSignal.reason);
    const onCallAbort = (): void => this.controller.abort(callSignal.reason);
    callSignal.addEventListener("abort", onCallAbort, { once: true });
    this.unlink = () => callSignal.removeEventListener("abort", onCallAbort);
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
    this.firstContentTimer = this.deadline("first-content", deadlines.firstContentMs);
    if (transport === "json") {
      const response = await this.untilAborted(adapter.generate(this.request, context));
      this.clearFirstContent();
      this.firstContentAt = Date.now();
      this.head.push(...responseToParts(response));
      this.queued = [...this.head];
      this.head.length = 0;
      this.head.push(this.queued.shift()!);
      return;
    }
    this.headersTimer = this.deadline("headers", deadlines.headersMs);
    const iterable = await this.untilAborted(adapter.stream(this.request, context));
    clearTimeout(this.headersTimer);
    this.iterator = iterable[Symbol.asyncIterator]();
    for (;;) {
      const result = await this.untilAborted(this.iterator.next());
      if (result.done) throw this.truncated();
      this.head.push(result.value);
      if (isContentPart(result.value) || result.value.type === "finish") break;
    }
    this.clearFirstContent();
    this.firstContentAt = Date.now();
  }

  /** The next part after `head`, with the idle deadline armed while we wait. `undefined` at the end. */
  async next(): Promise<StreamPart | undefined> {
    if (this.queued.length > 0) return this.queued.shift();
    if (!this.iterator) return undefined;
    this.pendingSince = Date.now();
    this.idleTimer ??= this.armIdle(this.policy.deadlines.idleMs);
    try {
      const result = await this.untilAborted(this.iterator.next());
      return result.done ? undefined : result.value;
    } finally {
      this.pendingSince = 0;
    }
  }

  /**
   * A ProviderError for this attempt's failure, with engine deadlines and caller aborts told apart.
   * It never carries what the adapter threw unless it is a `ProviderError` (scrubbed): an SDK's raw
   * error or a parsing error can hold the provider's bytes.
   */
  toProviderError(error: unknown): ProviderError {
    const reason = this.controller.signal.aborted ? this.controller.signal.reason : undefined;
    if (reason instanceof DeadlineExceeded) return this.error("timeout", describeDeadline(reason), reason);
    if (this.controller.signal.aborted) return this.error("aborted", "aborted by the caller");
    if (isProviderError(error)) return scrubProviderError(error, this.request);
    if (isAbortLike(error)) return this.error("aborted", "aborted");
    const name = error instanceof Error ? error.constructor.name || error.name : typeof error;
    return this.error("invalid_response", `unexpected ${name} from the ${this.slot.adapter.kind} adapter`);
  }

  truncated(): ProviderError {
    return this.error("truncated", "stream ended without its terminal event");
  }

  /** Stops the attempt: aborts the request and releases the SDK stream. Idempotent. */
  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    this.finish();
  }

  /**
   * Releases timers, listeners and the SDK stream. The iterator is always returned, even after a
   * clean finish: an SDK stream left suspended after its last event can keep its response body and
   * request signal alive (seen with the Anthropic SDK: ~35 KB per call).
   */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.headersTimer);
    this.clearFirstContent();
    clearTimeout(this.idleTimer);
    this.unlink();
    this.controller.signal.removeEventListener("abort", this.onOwnAbort);
    this.iterator?.return?.()?.catch(noop);
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

  private deadline(kind: "headers" | "first-content", ms: number): ReturnType<typeof setTimeout> {
    return setTimeout(() => this.controller.abort(new DeadlineExceeded(kind, ms)), ms);
  }

  private clearFirstContent(): void {
    clearTimeout(this.firstContentTimer);
    this.firstContentTimer = undefined;
  }

  /** One timer per attempt, re-armed only when it fires early: no timer churn per streamed event. */
  private armIdle(ms: number): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      this.idleTimer = undefined;
      if (this.pendingSince === 0 || this.ended) return;
      const waited = Date.now() - this.pendingSince;
      if (waited >= ms) this.controller.abort(new DeadlineExceeded("idle", ms));
      else this.idleTimer = this.armIdle(ms - waited);
    }, ms);
  }
}
