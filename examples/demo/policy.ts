import type { PolicyOptions } from "../../src/index.js";

/** The drill's policy, and the lines that explain how it differs from the production defaults. */
export interface DrillPolicy {
  policy: PolicyOptions;
  headersMs: number;
  explanation: string[];
}

const clamp = (n: number, min: number, max: number): number => Math.round(Math.min(max, Math.max(min, n)));

const seconds = (ms: number): string => `${ms >= 10_000 ? (ms / 1000).toFixed(0) : (ms / 1000).toFixed(1)} s`;

/**
 * Deadlines and breaker timings scaled to the drill, so that in a 30-second drill the black hole is
 * found in 1.5 s and a recovered OpenAI gets its traffic back within a few seconds. The production
 * defaults (10 s to headers, breaks of 5 s growing to 60 s) would make a 30-second drill mostly wait.
 */
export const drillPolicy = (durationMs: number): DrillPolicy => {
  const headersMs = clamp(durationMs * 0.05, 500, 1_500);
  const firstContentMs = headersMs * 2;
  const halfOpenAfterMs = clamp(durationMs * 0.03, 200, 5_000);
  const maxHalfOpenAfterMs = clamp(durationMs * 0.1, 500, 60_000);
  const windowMs = clamp(durationMs * 0.2, 2_000, 30_000);
  const policy: PolicyOptions = {
    deadlines: {
      headersMs,
      firstContentMs,
      idleMs: firstContentMs,
      totalMs: Math.max(10_000, headersMs * 8),
    },
    breaker: { windowMs, halfOpenAfterMs, maxHalfOpenAfterMs },
    suspectHedgeDelayMs: Math.round((headersMs * 2) / 3),
  };
  return {
    policy,
    headersMs,
    explanation: [
      `Policy scaled to this ${seconds(durationMs)} drill (production defaults in brackets): no response headers within`,
      `${seconds(headersMs)} [10 s] or no first token within ${seconds(firstContentMs)} [90 s] = a black hole, fall over;`,
      `breaker window ${seconds(windowMs)} [30 s], first probe after ${seconds(halfOpenAfterMs)} [5 s], backing off to ${seconds(maxHalfOpenAfterMs)} [60 s].`,
    ],
  };
};
