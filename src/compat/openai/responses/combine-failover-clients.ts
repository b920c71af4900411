import type { FailoverClient, ProviderHealth } from "../../../engine/create-client.js";
import type { EventSubscriber } from "../../../engine/events.js";

/** A row of `health()` for the drop-in: `route: "primary-only"` marks the primary's breaker for calls only it can serve. */
export type DropInProviderHealth = ProviderHealth & { route?: "primary-only" };

/**
 * The engine `getFailoverClient()` returns for a wrapped client: `chat()`, `stream()` and
 * `providers` are the failover engine's; events come from both it and the engine that serves
 * requests only the primary can take (stateful Responses requests), so a subscriber sees every
 * attempt; `health()` lists the breakers of both, the second set marked `route: "primary-only"`.
 */
export const combineFailoverClients = (main: FailoverClient, primaryOnly: FailoverClient): FailoverClient => {
  const both =
    <E>(pick: (client: FailoverClient) => EventSubscriber<E>): EventSubscriber<E> =>
    (listener) => {
      const first = pick(main)(listener);
      const second = pick(primaryOnly)(listener);
      return {
        dispose() {
          first.dispose();
          second.dispose();
        },
      };
    };
  return {
    chat: main.chat.bind(main),
    stream: main.stream.bind(main),
    providers: main.providers,
    health: (): DropInProviderHealth[] => [
      ...main.health(),
      ...primaryOnly.health().map((row) => ({ ...row, route: "primary-only" as const })),
    ],
    onAttemptStart: both((client) => client.onAttemptStart),
    onAttemptEnd: both((client) => client.onAttemptEnd),
    onRetry: both((client) => client.onRetry),
    onFallback: both((client) => client.onFallback),
    onBreakerStateChange: both((client) => client.onBreakerStateChange),
    onHedge: both((client) => client.onHedge),
    onBudgetExhausted: both((client) => client.onBudgetExhausted),
    onSkip: both((client) => client.onSkip),
  };
};
