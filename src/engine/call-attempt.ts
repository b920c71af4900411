import type { ProviderError } from "../errors/provider-error.js";
import type { Attempt } from "../spec/attempt.js";
import type { ChatRequest } from "../spec/chat.js";
import type { FinishReason, Usage } from "../spec/result.js";
import type { CallStartEvent } from "./events.js";
import type { ResolvedPolicy } from "./policy-options.js";
import type { ProviderSlot, Ticket } from "./provider-slot.js";

/**
 * One attempt as a `Call` drives it, whatever the operation: a chat attempt (`RunningAttempt`) or
 * an embedding attempt (`EmbedAttempt`). The call opens it, races it, and records how it ended.
 */
export interface CallAttempt {
  readonly slot: ProviderSlot;
  /** The model asked for in this attempt. */
  readonly model: string;
  readonly reason: Attempt["reason"];
  /** The provider's admission of this attempt (a probe carries its id). */
  readonly ticket: Ticket;
  /** Epoch ms of the start. */
  readonly startedAt: number;
  /** Epoch ms of the first content (the whole answer, for an embedding), once it arrived. */
  readonly firstContentAt: number | undefined;
  /** The provider's name. */
  readonly name: string;
  /** Sends the request; settles at the first content (chat) or the whole answer (embeddings). */
  open(transport: "stream" | "json"): Promise<void>;
  /** The attempt's failure as callers may see it: engine deadlines and caller aborts told apart, request text scrubbed. */
  toProviderError(error: unknown): ProviderError;
  /** Stops the attempt (aborts its request). Idempotent. */
  abort(reason: unknown): void;
  /** Releases its timers and listeners. Idempotent. */
  finish(): void;
}

/** What a call knows when it starts an attempt. */
export interface AttemptInit {
  slot: ProviderSlot;
  model: string;
  reason: Attempt["reason"];
  ticket: Ticket;
  policy: ResolvedPolicy;
  /**
   * Calls `stop` when the call stops (caller abort, total deadline; see `CallScope.follow`);
   * returns what stops following it.
   */
  follow(stop: (reason: unknown) => void): () => void;
  /** Epoch ms of the call's total deadline. */
  deadlineAt: number;
}

/** What a successful attempt reports for the log and `onAttemptEnd`. */
export interface FinishedReply {
  usage: Usage;
  model: string | undefined;
  id: string | undefined;
  finishReason: FinishReason | undefined;
}

/**
 * What a call does with its request `R`, per operation: what `onCallStart` tells, the model it uses
 * on each provider, and how it starts an attempt `A`. Chat calls are `chatCallKind`
 * (`RunningAttempt`s over a `NormalizedRequest`); embedding calls have their own.
 */
export interface CallKind<R, A extends CallAttempt> {
  startEvent(request: R): CallStartEvent["request"];
  /** The chat request behind a call, kept beside its start event for telemetry's opt-in content capture. */
  content?(request: R): ChatRequest | undefined;
  modelFor(request: R, slot: ProviderSlot): string;
  startAttempt(request: R, init: AttemptInit): A;
}
