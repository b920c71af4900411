import { ProviderError } from "../errors/provider-error.js";
import { untilAborted } from "../internal/until-aborted.js";
import type { Attempt } from "../spec/attempt.js";
import type { ProviderEmbedRequest, ProviderEmbedResponse } from "../spec/embed.js";
import type { AttemptInit, CallAttempt } from "./call-attempt.js";
import { DeadlineExceeded } from "./deadline.js";
import { reportsAnotherModel } from "./embedding-model-family.js";
import type { ProviderSlot, Ticket } from "./provider-slot.js";
import { scrubProviderErrorOf } from "./scrub-echoed-text.js";
import { toAttemptError } from "./to-attempt-error.js";

/**
 * One embedding attempt against one provider. An embedding has no stream: the answer is one body,
 * so the attempt is bounded by one deadline, `deadlines.headersMs` from sending to the whole
 * answer (a live embeddings endpoint answers in well under a second, a black hole never), and by
 * the call's total deadline. `open()` settles with the answer checked (one vector per input, all of
 * one length, finite numbers): a provider that answers otherwise failed, and the call falls over.
 */
export class EmbedAttempt implements CallAttempt {
  readonly controller = new AbortController();
  readonly startedAt = Date.now();
  readonly slot: ProviderSlot;
  readonly model: string;
  readonly reason: Attempt["reason"];
  readonly ticket: Ticket;
  firstContentAt: number | undefined;
  /** The checked answer, once `open()` resolved. */
  response: ProviderEmbedResponse | undefined;
  private readonly deadlineMs: number;
  private readonly callDeadline: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unlink: () => void;
  private ended = false;

  constructor(
    init: AttemptInit,
    private readonly request: ProviderEmbedRequest,
    /** The request's texts, scrubbed from errors that quote them. */
    private readonly texts: readonly string[],
  ) {
    this.slot = init.slot;
    this.model = init.model;
    this.reason = init.reason;
    this.ticket = init.ticket;
    this.unlink = init.follow((reason) => this.controller.abort(reason));
    this.deadlineMs = init.policy.deadlines.headersMs;
    this.callDeadline = init.deadlineAt;
  }

  get name(): string {
    return this.slot.name;
  }

  async open(): Promise<void> {
    const adapter = this.slot.adapter;
    const signal = this.controller.signal;
    if (signal.aborted) throw signal.reason;
    if (typeof adapter.embed !== "function")
      throw this.error("invalid_response", "the adapter has no embed()");
    this.timer = setTimeout(
      () => this.controller.abort(new DeadlineExceeded("response", this.deadlineMs)),
      this.deadlineMs,
    );
    const context = { signal, timeoutMs: Math.max(1, this.callDeadline - Date.now()) };
    const response = await untilAborted(adapter.embed(this.request, context), this.controller.signal);
    clearTimeout(this.timer);
    this.check(response);
    this.response = response;
    this.firstContentAt = Date.now();
  }

  /** See `toAttemptError`: deadlines and caller aborts told apart, input text scrubbed. */
  toProviderError(error: unknown): ProviderError {
    return toAttemptError(error, {
      provider: this.name,
      model: this.model,
      signal: this.controller.signal,
      adapterKind: this.slot.adapter.kind,
      scrub: (providerError) => scrubProviderErrorOf(providerError, this.texts),
    });
  }

  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    this.finish();
  }

  finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.unlink();
  }

  /**
   * One vector per input, all of one non-zero length, finite numbers, from the space's model as far
   * as the reported name tells: anything else is not an answer.
   */
  private check(response: ProviderEmbedResponse): void {
    const vectors = (response as Partial<ProviderEmbedResponse> | undefined)?.embeddings;
    if (!Array.isArray(vectors)) throw this.error("invalid_response", "no embeddings in the answer");
    const expected = this.request.input.length;
    if (vectors.length !== expected)
      throw this.error("invalid_response", `${vectors.length} vectors for ${expected} inputs`);
    const length = Array.isArray(vectors[0]) ? vectors[0].length : 0;
    for (const vector of vectors) {
      if (!Array.isArray(vector) || vector.length !== length || length === 0)
        throw this.error("invalid_response", "vectors of different or zero lengths in one answer");
      for (const value of vector) {
        if (!Number.isFinite(value)) throw this.error("invalid_response", "a vector holds a non-number");
      }
    }
    // Same length, another model (a gateway serving text-embedding-ada-002 under 3-small's name).
    if (reportsAnotherModel(response.model, this.model))
      throw this.error(
        "invalid_response",
        "the answer reports another embedding model than the vector space's",
      );
  }

  private error(
    failureClass: ProviderError["failureClass"],
    message: string,
    cause?: unknown,
  ): ProviderError {
    return new ProviderError({ failureClass, provider: this.name, model: this.model, message, cause });
  }
}
