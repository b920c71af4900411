import type { BreakerMode } from "../state/health-state.js";
import type { CircuitBreakerSnapshot } from "./circuit-breaker-options.js";
import { FailureWindow, type FailureWindowSnapshot } from "./failure-window.js";

/* A breaker's state as plain JSON (`CircuitBreaker.toJSON` / `initialState`): its mode plus the
   counting that stays local (failures in a row, the sliding window). */

export const snapshotOf = (
  mode: BreakerMode,
  consecutiveFailures: number,
  window: FailureWindowSnapshot,
): CircuitBreakerSnapshot => {
  const snapshot: CircuitBreakerSnapshot = {
    version: 1,
    state: mode.state,
    breakLevel: mode.state === "closed" ? 0 : mode.breakLevel,
    consecutiveFailures,
    window,
  };
  if (mode.state === "open" || mode.state === "disabled") {
    snapshot.openUntil = mode.until;
    snapshot.lastResortSpent = mode.lastResortSpent;
  }
  if (mode.state !== "closed" && mode.probe !== undefined) snapshot.probe = { ...mode.probe };
  if (mode.state === "disabled") snapshot.disabledReason = mode.reason;
  return snapshot;
};

/** Whether `value` is a snapshot this version can load. */
export const isCircuitBreakerSnapshot = (value: unknown): value is CircuitBreakerSnapshot => {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Partial<CircuitBreakerSnapshot>;
  const probe = s.probe;
  return (
    s.version === 1 &&
    (s.state === "closed" || s.state === "open" || s.state === "half-open" || s.state === "disabled") &&
    (s.state === "closed" || s.state === "half-open" || Number.isFinite(s.openUntil)) &&
    Number.isInteger(s.breakLevel) &&
    s.breakLevel! >= 0 &&
    Number.isInteger(s.consecutiveFailures) &&
    s.consecutiveFailures! >= 0 &&
    (probe === undefined || (Number.isInteger(probe?.id) && Number.isFinite(probe?.startedAt))) &&
    (s.disabledReason === undefined || typeof s.disabledReason === "string") &&
    (s.lastResortSpent === undefined || typeof s.lastResortSpent === "boolean") &&
    FailureWindow.isSnapshot(s.window)
  );
};

/**
 * The mode a snapshot describes.
 * @throws TypeError when `snapshot` is not a version-1 snapshot.
 */
export const modeFromSnapshot = (snapshot: CircuitBreakerSnapshot): BreakerMode => {
  if (!isCircuitBreakerSnapshot(snapshot)) {
    throw new TypeError("initialState is not a circuit breaker snapshot (version 1)");
  }
  const probe = snapshot.state !== "closed" && snapshot.probe ? { probe: { ...snapshot.probe } } : {};
  const { breakLevel } = snapshot;
  const lastResortSpent = snapshot.lastResortSpent ?? false;
  switch (snapshot.state) {
    case "closed":
      return { state: "closed" };
    case "half-open":
      return { state: "half-open", breakLevel, ...probe };
    case "open":
      return { state: "open", until: snapshot.openUntil!, breakLevel, lastResortSpent, ...probe };
    case "disabled":
      return {
        state: "disabled",
        until: snapshot.openUntil!,
        breakLevel,
        reason: snapshot.disabledReason ?? "",
        lastResortSpent,
        ...probe,
      };
  }
};
