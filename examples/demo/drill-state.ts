import type { DemoApp } from "./app-client.js";
import type { DrillMocks } from "./mocks.js";
import type { Scenario } from "./scenarios.js";
import type { DrillStats } from "./stats.js";

/** The running drill, as the live view and the summary see it. */
export interface DrillState {
  scenario: Scenario;
  app: DemoApp;
  stats: DrillStats;
  mocks: DrillMocks | undefined;
  durationMs: number;
  concurrency: number;
  startedAt: number;
  /** Index of the current phase. */
  phase: number;
  /** When each phase started (epoch ms), filled in as they start. */
  phaseStarts: number[];
  /** When the failing providers became healthy again. */
  recoveryAt: number | undefined;
  /** When the load stopped (end of the drill, or Ctrl-C). */
  endedAt: number | undefined;
  interrupted: boolean;
}

export type BreakerView = { state: string; retryInMs: number };

const severity: Record<string, number> = { closed: 0, "half-open": 1, disabled: 2, open: 3 };

/** The breaker state of each provider (its worst model), from `health()`. */
export const breakerStates = (state: DrillState): Map<string, BreakerView> => {
  const result = new Map<string, BreakerView>();
  for (const h of state.app.engine.health()) {
    const prev = result.get(h.provider);
    if (!prev || (severity[h.state] ?? 0) > (severity[prev.state] ?? 0))
      result.set(h.provider, { state: h.state, retryInMs: h.retryInMs });
  }
  return result;
};
