import type { Meter, ObservableResult } from "@opentelemetry/api";
import type { ProviderHealth } from "../engine/model-health.js";
import { AI_FAILOVER, GEN_AI, METRICS } from "./attribute-names.js";

const breakerStates = ["closed", "half-open", "open", "disabled"] as const;

/**
 * `ai_failover.breaker.state`: 1 for the state each (provider, model) breaker is in, 0 for the
 * others. The callback holds the client's health only weakly and removes itself once it is gone.
 */
export const observeBreakerStates = (
  meter: Meter,
  healthRef: WeakRef<() => ProviderHealth[]>,
): (() => void) => {
  const gauge = meter.createObservableGauge(METRICS.breakerState, {
    description: "Circuit breaker state per provider and model: 1 for the current state, 0 for the others.",
    unit: "1",
  });
  const callback = (result: ObservableResult): void => {
    const health = healthRef.deref();
    if (!health) {
      gauge.removeCallback(callback);
      return;
    }
    for (const entry of health()) {
      for (const state of breakerStates) {
        result.observe(entry.state === state ? 1 : 0, {
          [AI_FAILOVER.provider]: entry.provider,
          [GEN_AI.requestModel]: entry.model,
          [AI_FAILOVER.breakerState]: state,
        });
      }
    }
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
};
