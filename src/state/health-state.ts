/*
 * The part of a (provider, model)'s health that says "out until when, and why": the breaker's mode
 * and the rate-limit cooling. It is plain data, kept apart from the counting that decides it (the
 * breaker's sliding window and run of failures, the retry budget, suspicion), so that a store can
 * hold it: in memory by default, shared by a fleet later. Everything that stays local to a process
 * stays in the engine.
 */

/** A half-open (or last-resort) probe in flight: one call let through to test a provider. */
export interface Probe {
  /** Distinguishes a late report from an old probe. */
  id: number;
  /** Epoch ms the probe was admitted; a probe that has not reported after the timeout is presumed lost. */
  startedAt: number;
}

/**
 * The breaker's mode, as a discriminated union on `state`:
 * - `closed`: calls flow.
 * - `open`: refused until `until`; then one probe (half-open). `breakLevel` counts the opens since the
 *   last close (the break grows with it). `lastResortSpent`: whether this break's one early
 *   (last-resort) probe has been used — see `CircuitBreaker.tryAcquireEarly`.
 * - `half-open`: the break is over; one probe may be in flight, everybody else is refused.
 * - `disabled`: switched off (auth failure, spent quota) until `until`, then a probe as from open.
 * `probe` on open and disabled is a probe admitted before the mode was entered (an early probe, or
 * one still out when the provider was disabled): while it is out, no second one goes.
 */
export type BreakerMode =
  | { state: "closed" }
  | { state: "open"; until: number; breakLevel: number; lastResortSpent: boolean; probe?: Probe }
  | { state: "half-open"; breakLevel: number; probe?: Probe }
  | {
      state: "disabled";
      until: number;
      breakLevel: number;
      reason: string;
      lastResortSpent: boolean;
      probe?: Probe;
    };

/**
 * Rate-limit cooling, as a discriminated union on `state`:
 * - `none`: not rate limited.
 * - `cooling`: skipped until `until` (the provider's stated wait, at most the configured maximum).
 *   `capped`: the stated wait was longer than that maximum, so when `until` passes one probe goes
 *   first and decides, instead of every call at once.
 * - `probing`: a capped cooling ended and its probe is in flight; everybody else still skips.
 */
export type CoolingMode =
  | { state: "none" }
  | { state: "cooling"; until: number; capped: boolean; status: number | undefined }
  | { state: "probing"; probe: Probe };

/** The shareable health of one (provider, model). Read and written synchronously: nobody waits on it. */
export interface HealthCell {
  breaker: BreakerMode;
  cooling: CoolingMode;
}

/** Identifies one (provider, model): the unit of health. */
export interface HealthKey {
  readonly provider: string;
  readonly model: string;
}

/**
 * Where the health cells live. The engine reads and writes a cell synchronously on every call, so a
 * store is always a local view: the in-memory default is the whole truth; a shared store (a fleet's
 * Redis) would keep the same view and reconcile it in the background, never on a call's path.
 */
export interface HealthStore {
  /** The cell of `key`, created (closed, not cooling) on first use; the same object every time. */
  cell(key: HealthKey): HealthCell;
}

/** The default store: one process's memory. */
export const createInMemoryHealthStore = (): HealthStore => {
  const cells = new Map<string, HealthCell>();
  return {
    cell({ provider, model }) {
      const id = `${provider}\u0000${model}`;
      let cell = cells.get(id);
      if (!cell) {
        cell = { breaker: { state: "closed" }, cooling: { state: "none" } };
        cells.set(id, cell);
      }
      return cell;
    },
  };
};
