import type { ZodType } from "zod";
import { ConfigError } from "../errors/config-error.js";
import { InvalidRequestError } from "../errors/invalid-request-error.js";
import { callerValueError, readCallerValue } from "../internal/read-caller-value.js";
import type { ChatRequest, ChatResult, ChatStream, ObjectOf } from "../spec/chat.js";
import type { EmbeddingSpace, EmbedResult } from "../spec/embed.js";
import type { JsonSchema } from "../spec/request.js";
import { createInMemoryHealthStore } from "../state/health-state.js";
import { attachTelemetry } from "../telemetry/attach-telemetry.js";
import { Call } from "./call.js";
import { chatCallKind } from "./chat-call-kind.js";
import { createChatStream } from "./chat-stream.js";
import { type ClientOptions, parseClientOptions } from "./client-options.js";
import { createEmbedder, type FailoverEmbedRequest } from "./create-embedder.js";
import {
  type AttemptEndEvent,
  type AttemptStartEvent,
  type BreakerStateChangeEvent,
  type BudgetExhaustedEvent,
  type CallEndEvent,
  type CallStartEvent,
  EngineEvents,
  type EventSubscriber,
  type FallbackEvent,
  type HedgeEvent,
  type RetryEvent,
  type SkipEvent,
} from "./events.js";
import { findUnknownProviderKeys } from "./find-unknown-provider-keys.js";
import { normalizeRequest } from "./normalize-request.js";
import { defaultPolicy, mergePolicy, type PolicyOptions } from "./policy-options.js";
import { type ProviderHealth, ProviderSlot } from "./provider-slot.js";
import { resolveCallPolicy } from "./resolve-call-policy.js";
import { restrictSlots } from "./restrict-slots.js";
import { runChat } from "./run-chat.js";
import { type VerifyOptions, type VerifyReport, verifyProviders } from "./verify-providers.js";

export type { FailoverEmbedRequest, ProviderHealth, VerifyOptions, VerifyReport };

/** A request plus optional per-call policy overrides. */
export type FailoverRequest<S extends ZodType | JsonSchema | undefined = ZodType | JsonSchema | undefined> =
  ChatRequest<S> & {
    /** Policy for this call only, layered over the client's and each provider's. */
    policy?: PolicyOptions;
    /**
     * Only these providers (by name) may answer this call, in the client's order: e.g. a request
     * that needs state only one provider holds. The others are not tried, not even as a last resort.
     * @default every provider of the client
     */
    providers?: readonly string[];
  };

export interface FailoverClient {
  /** One chat completion, answered by the first provider that can. */
  chat<S extends ZodType | JsonSchema | undefined = undefined>(
    request: FailoverRequest<S>,
  ): Promise<ChatResult<ObjectOf<S>>>;
  /** A streamed chat completion: content comes from one provider only (see the stream commit rule). */
  stream<S extends ZodType | JsonSchema | undefined = undefined>(
    request: FailoverRequest<S>,
  ): ChatStream<ObjectOf<S>>;
  /**
   * Embeds the input (one text or a batch) in the client's one vector space: the providers that
   * declare that space (`embeddings: { model, dimensions }`), in order, with the same failure
   * classes, breakers, deadlines and budgets as `chat()`. Providers without embeddings (Anthropic)
   * are passed over and listed in `result.excluded`. An attempt is bounded by `deadlines.headersMs`
   * (its answer is one body) and the call by `deadlines.totalMs`.
   */
  embed(request: FailoverEmbedRequest): Promise<EmbedResult>;
  /** The vector space of the client's embedding providers; undefined when none declares one. */
  readonly embeddingSpace: EmbeddingSpace | undefined;
  /** Provider names in configured order. */
  readonly providers: readonly string[];
  /**
   * Breaker state and cooling of every (provider, model) used so far, with who set them (this
   * process or another instance of the fleet) and, with a shared store, the fleet's view.
   */
  health(): ProviderHealth[];
  /**
   * Checks every provider now, side by side, with the cheapest authenticated request its API offers
   * (`GET /models/{model}` for OpenAI, Anthropic and Mistral; `GET /models` for Azure, OpenAI-compatible
   * servers and the drop-in's wrapped client), and reports each as `ok`, its failure class (with
   * status and sanitized message) or `skipped`. For a readiness probe or a deploy check. Never throws
   * for a provider's failure, never retries, and leaves breakers and health as they were.
   */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** A call starts (`chat()`, the first read of a `stream()`). */
  onCallStart: EventSubscriber<CallStartEvent>;
  /** A call ended: answered, failed (with the error's class) or aborted. */
  onCallEnd: EventSubscriber<CallEndEvent>;
  onAttemptStart: EventSubscriber<AttemptStartEvent>;
  onAttemptEnd: EventSubscriber<AttemptEndEvent>;
  onRetry: EventSubscriber<RetryEvent>;
  onFallback: EventSubscriber<FallbackEvent>;
  onBreakerStateChange: EventSubscriber<BreakerStateChangeEvent>;
  onHedge: EventSubscriber<HedgeEvent>;
  onBudgetExhausted: EventSubscriber<BudgetExhaustedEvent>;
  onSkip: EventSubscriber<SkipEvent>;
}

/**
 * Creates a client that answers every call from the first provider that can, in the order given.
 * Throws `ConfigError` (naming the field) when the options are invalid.
 *
 * @example
 * const client = createClient({ providers: [openai({ model: "gpt-4.1" }), anthropic({ model: "claude-sonnet-4-6" })] });
 * const res = await client.chat({ messages: [{ role: "user", content: "hi" }] });
 */
export const createClient = (options: ClientOptions): FailoverClient => {
  const {
    entries,
    policy,
    onListenerError,
    telemetry,
    store: sharedStore,
  } = readCallerValue(
    () => parseClientOptions(options),
    (kind) => new ConfigError([`options: cannot be read (${kind} while reading them)`]),
  );
  const events = new EngineEvents(onListenerError);
  const clientPolicy = mergePolicy(defaultPolicy, policy);
  const store = sharedStore ?? createInMemoryHealthStore();
  const slots = entries.map((entry, index) => {
    try {
      return new ProviderSlot(
        entry.provider,
        mergePolicy(clientPolicy, entry.policy),
        entry.tier,
        entry.weight,
        store,
        ({ callId, provider, model, from, to, reason, retryInMs, origin }) =>
          events.breakerStateChange.emit({
            callId,
            provider,
            model,
            from,
            to,
            reason,
            ...(retryInMs !== undefined ? { retryInMs } : {}),
            ...(origin !== undefined ? { origin } : {}),
          }),
      );
    } catch (error) {
      // Option combinations zod cannot see alone (e.g. maxHalfOpenAfterMs below halfOpenAfterMs).
      if (error instanceof RangeError)
        throw new ConfigError([`providers[${index}] (${entry.provider.name}): ${error.message}`]);
      throw error;
    }
  });
  const providerNames = slots.map((slot) => slot.name);
  const providerPolicies = new Map(slots.map((slot, index) => [slot, entries[index]!.policy] as const));
  const embedder = createEmbedder(slots, providerPolicies, clientPolicy, events);
  const health = (): ProviderHealth[] => {
    const now = Date.now();
    return slots.flatMap((slot) => slot.healthReport(now));
  };
  attachTelemetry(
    events,
    slots.map((slot) => slot.adapter),
    health,
    telemetry,
  );

  /** Validates the request now (bad input throws at once) and returns what starts the call. */
  const prepareCall = (request: FailoverRequest, operation: "chat" | "stream"): (() => Call) => {
    // A request that cannot be read (a getter throws) is the caller's InvalidRequestError.
    try {
      const normalized = normalizeRequest(stripCallOptions(request));
      const unknownKeys = findUnknownProviderKeys(request, providerNames);
      if (unknownKeys.length > 0) throw new InvalidRequestError(unknownKeys);
      const callSlots = request.providers === undefined ? slots : restrictSlots(slots, request.providers);
      const { policy: callPolicy, policyFor } = resolveCallPolicy(
        request.policy,
        clientPolicy,
        slots,
        providerPolicies,
      );
      const { signal } = request;
      return () =>
        new Call(callSlots, policyFor, callPolicy, normalized, events, signal, operation, chatCallKind);
    } catch (error) {
      throw callerValueError(error, unreadableRequest);
    }
  };

  return {
    providers: slots.map((slot) => slot.name),
    async chat(request) {
      const call = prepareCall(request, "chat")();
      return (await runChat(call, request)) as ChatResult<never>;
    },
    stream(request) {
      return createChatStream(prepareCall(request, "stream"), request) as ChatStream<never>;
    },
    embed: (request) => embedder.embed(request),
    embeddingSpace: embedder.space,
    health,
    verify: (verifyOptions) =>
      verifyProviders(
        slots.map((slot) => slot.adapter),
        verifyOptions,
      ),
    onCallStart: events.callStart.subscribe,
    onCallEnd: events.callEnd.subscribe,
    onAttemptStart: events.attemptStart.subscribe,
    onAttemptEnd: events.attemptEnd.subscribe,
    onRetry: events.retry.subscribe,
    onFallback: events.fallback.subscribe,
    onBreakerStateChange: events.breakerStateChange.subscribe,
    onHedge: events.hedge.subscribe,
    onBudgetExhausted: events.budgetExhausted.subscribe,
    onSkip: events.skip.subscribe,
  };
};

const unreadableRequest = (kind: string): Error =>
  new InvalidRequestError([`request: cannot be read (${kind} while reading it)`]);

/** The request without the engine's own per-call options (`policy`, `providers`). */
const stripCallOptions = (request: FailoverRequest): ChatRequest => {
  if (typeof request !== "object" || request === null)
    throw new InvalidRequestError(["request: expected an object"]);
  if (!("policy" in request) && !("providers" in request)) return request;
  const { policy: _policy, providers: _providers, ...rest } = request;
  return rest;
};
