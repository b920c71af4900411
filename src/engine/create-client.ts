import type { ZodType } from "zod";
import { ConfigError } from "../errors/config-error.js";
import { InvalidRequestError } from "../errors/invalid-request-error.js";
import { formatZodIssues } from "../internal/format-zod-issues.js";
import type { ChatRequest, ChatResult, ChatStream, ObjectOf } from "../spec/chat.js";
import type { JsonSchema } from "../spec/request.js";
import type { PartAggregator } from "./aggregate-parts.js";
import { Call } from "./call.js";
import { createChatStream } from "./chat-stream.js";
import { type ClientOptions, parseClientOptions } from "./client-options.js";
import { buildResult, drainAttempt } from "./drain-attempt.js";
import {
  type AttemptEndEvent,
  type AttemptStartEvent,
  type BreakerStateChangeEvent,
  type BudgetExhaustedEvent,
  EngineEvents,
  type EventSubscriber,
  type FallbackEvent,
  type HedgeEvent,
  type RetryEvent,
  type SkipEvent,
} from "./events.js";
import { normalizeRequest } from "./normalize-request.js";
import {
  defaultPolicy,
  mergePolicy,
  type PolicyOptions,
  policySchema,
  type ResolvedPolicy,
} from "./policy-options.js";
import { ProviderSlot } from "./provider-slot.js";

/** A request plus optional per-call policy overrides. */
export type FailoverRequest<S extends ZodType | JsonSchema | undefined = ZodType | JsonSchema | undefined> =
  ChatRequest<S> & {
    /** Policy for this call only, layered over the client's and each provider's. */
    policy?: PolicyOptions;
  };

/** Health of one (provider, model) breaker, for dashboards and health checks. */
export interface ProviderHealth {
  provider: string;
  model: string;
  state: "closed" | "open" | "half-open" | "disabled";
  /** Milliseconds until the provider may take calls again (0 = now). */
  retryInMs: number;
}

export interface FailoverClient {
  /** One chat completion, answered by the first provider that can. */
  chat<S extends ZodType | JsonSchema | undefined = undefined>(
    request: FailoverRequest<S>,
  ): Promise<ChatResult<ObjectOf<S>>>;
  /** A streamed chat completion: content comes from one provider only (see the stream commit rule). */
  stream<S extends ZodType | JsonSchema | undefined = undefined>(
    request: FailoverRequest<S>,
  ): ChatStream<ObjectOf<S>>;
  /** Provider names in configured order. */
  readonly providers: readonly string[];
  /** Breaker state of every (provider, model) used so far. */
  health(): ProviderHealth[];
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
 * const client = createClient({ providers: [openai({ model: "gpt-4.1" }), anthropic({ model: "claude-sonnet-4-5" })] });
 * const res = await client.chat({ messages: [{ role: "user", content: "hi" }] });
 */
export const createClient = (options: ClientOptions): FailoverClient => {
  const { entries, policy } = parseClientOptions(options);
  const events = new EngineEvents();
  const clientPolicy = mergePolicy(defaultPolicy, policy);
  const slots = entries.map((entry, index) => {
    try {
      return new ProviderSlot(
        entry.provider,
        mergePolicy(clientPolicy, entry.policy),
        entry.tier,
        entry.weight,
        events,
      );
    } catch (error) {
      // Option combinations zod cannot see alone (e.g. maxHalfOpenAfterMs below halfOpenAfterMs).
      if (error instanceof RangeError)
        throw new ConfigError([`providers.${index} (${entry.provider.name}): ${error.message}`]);
      throw error;
    }
  });
  const providerPolicies = new Map(slots.map((slot, index) => [slot, entries[index]!.policy] as const));

  /** Validates the request now (bad input throws at once) and returns what starts the call. */
  const prepareCall = (request: FailoverRequest): (() => Call) => {
    const normalized = normalizeRequest(stripPolicy(request));
    let callPolicy = clientPolicy;
    let policyFor = (slot: ProviderSlot): ResolvedPolicy => slot.policy;
    if (request.policy !== undefined) {
      const parsed = policySchema.safeParse(request.policy);
      if (!parsed.success) throw new InvalidRequestError(formatZodIssues(parsed.error, "request.policy"));
      const override = parsed.data as PolicyOptions;
      const shared = [
        override.breaker &&
          "request.policy.breaker: breakers are shared by every call; set them on the client or per provider",
        override.retry?.budget &&
          "request.policy.retry.budget: the retry budget is shared by every call; set it on the client or per provider",
      ].filter((issue): issue is string => typeof issue === "string");
      if (shared.length > 0) throw new InvalidRequestError(shared);
      callPolicy = mergePolicy(clientPolicy, override);
      const merged = new Map(
        slots.map((slot) => [slot, mergePolicy(clientPolicy, providerPolicies.get(slot), override)]),
      );
      policyFor = (slot) => merged.get(slot)!;
    }
    return () => new Call(slots, policyFor, callPolicy, normalized, events, request.signal);
  };

  return {
    providers: slots.map((slot) => slot.name),
    async chat(request) {
      const call = prepareCall(request)();
      try {
        let attempt = await call.acquire();
        for (;;) {
          let drained: PartAggregator;
          try {
            drained = await drainAttempt(attempt);
          } catch (error) {
            // Nothing reached the caller yet, so a failure mid-reply still falls over transparently.
            attempt = await call.reacquireAfter(attempt, error);
            continue;
          }
          call.succeed(attempt);
          return buildResult(drained, attempt, call.attempts, request) as ChatResult<never>;
        }
      } finally {
        call.dispose();
      }
    },
    stream(request) {
      return createChatStream(prepareCall(request), request) as ChatStream<never>;
    },
    health() {
      const now = Date.now();
      return slots.flatMap((slot) =>
        slot.breakerEntries.map(([model, breaker]) => ({
          provider: slot.name,
          model,
          state: breaker.state,
          retryInMs: slot.msUntilAvailable(model, now),
        })),
      );
    },
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

const stripPolicy = (request: FailoverRequest): ChatRequest => {
  if (typeof request !== "object" || request === null)
    throw new InvalidRequestError(["request: expected an object"]);
  if (!("policy" in request)) return request;
  const { policy: _policy, ...rest } = request;
  return rest;
};
