import type { HealthLink, HealthPeer } from "./health-link.js";

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

/**
 * Who may send the fleet's one half-open probe of a (provider, model), as a shared store last learnt
 * it (a lease held in the store, claimed in the background before the break ends):
 * - `self`: this instance holds it: its next call probes.
 * - `other`: another instance holds it until `until`: calls here skip the provider as while a local
 *   probe is out.
 * - `pending`: the store is still deciding (a claim in flight, or this instance lets the others probe
 *   first): no probe here before `until`.
 * No lease (the in-memory store, a store that cannot reach its backend, or once `until` has passed):
 * the probe is this process's own, as without a store.
 */
export type ProbeLease =
  | { holder: "self"; until: number }
  | { holder: "other"; instance: string; until: number }
  | { holder: "pending"; until: number };

/** The shareable health of one (provider, model). Read and written synchronously: nobody waits on it. */
export interface HealthCell {
  breaker: BreakerMode;
  cooling: CoolingMode;
  /** The fleet's probe lease, written by a shared store; absent with the in-memory store. */
  lease?: ProbeLease;
}

/** Identifies one (provider, model): the unit of health. */
export interface HealthKey {
  readonly provider: string;
  readonly model: string;
}

/**
 * Where the health cells live. The engine reads and writes a cell synchronously on every call, so a
 * store is always a local view: the in-memory default is the whole truth; a shared store (a fleet's
 * Redis, see `createSharedHealthStore`) keeps the same view and reconciles it with the fleet in the
 * background, never on a call's path.
 *
 * To write a store: implement `cell` (a local object per key), and `link` when the store is shared.
 * Most shared stores only need a `HealthBackend` (one async round trip) given to
 * `createSharedHealthStore`, which does the local view, the sync loop and the guards.
 */
export interface HealthStore {
  /** The cell of `key`, created (closed, not cooling) on first use; the same object every time. */
  cell(key: HealthKey): HealthCell;
  /**
   * Shared stores only: connects the engine's health of `key` to the fleet. The engine tells the
   * link its strong signals ({@link HealthLink.publish}); the store applies changes made elsewhere
   * through `peer`. Absent on a store that is local only.
   */
  link?(key: HealthKey, peer: HealthPeer): HealthLink;
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
