/*
 * The seam between the engine's health of one (provider, model) and a shared store: what the engine
 * tells the fleet (signals), and what the fleet tells the engine (shared updates). Times are epoch
 * ms on this process's clock; a store converts them to durations before they leave the process, so
 * the clocks of other instances never matter.
 */

/**
 * A strong signal about a (provider, model), told by the engine as it happens. The store decides
 * what to share: never waits, never throws.
 * - `open`: this instance's breaker opened (its own window or run of failures, or its probe failed).
 * - `disable`: an auth or quota failure switched the provider off until `until`.
 * - `close`: this instance's probe succeeded: the provider answers again.
 * - `cool`: a 429 with a stated wait (Retry-After or a reset header), until `until`.
 * - `uncool`: the probe that ended a capped cooling got an answer other than a 429.
 * - `failure`: a failure that counts for the breaker, while it is closed (fleet evidence: the
 *   failures in a row of every instance add up; `threshold` of them open the breaker fleet-wide for
 *   `breakMs`; they are forgotten after `windowMs` without one).
 * - `success`: the provider answered this instance.
 * - `probe`: this instance's half-open probe is out, until `until` at the latest.
 * - `probe-released`: that probe ended without an outcome (the caller left).
 * - `last-resort`: this instance sent the break's one early (last-resort) probe.
 */
export type HealthSignal =
  | { type: "open"; until: number; breakLevel: number; reason: string; lastResortSpent: boolean }
  | {
      type: "disable";
      until: number;
      breakLevel: number;
      reason: string;
      status: number | undefined;
      lastResortSpent: boolean;
    }
  | { type: "close" }
  | { type: "cool"; until: number; capped: boolean; status: number | undefined }
  | { type: "uncool" }
  | { type: "failure"; threshold: number; breakMs: number; windowMs: number }
  | { type: "success" }
  | { type: "probe"; until: number }
  | { type: "probe-released" }
  | { type: "last-resort" };

/** The breaker as the fleet last set it, converted to this process's clock. */
export type SharedBreaker =
  | {
      state: "open" | "disabled";
      until: number;
      breakLevel: number;
      /** Why it opened (a breaker transition reason, or the failure class that disabled it). */
      reason: string;
      status: number | undefined;
      lastResortSpent: boolean;
      /** The instance that set it. */
      setBy: string;
    }
  | { state: "closed"; setBy: string };

/** The rate-limit cooling as the fleet last set it, converted to this process's clock. */
export type SharedCooling =
  | { state: "cooling"; until: number; capped: boolean; status: number | undefined; setBy: string }
  | { state: "none"; setBy: string };

/** A change made elsewhere in the fleet, for the engine to apply to its local view. */
export interface SharedHealthUpdate {
  breaker?: SharedBreaker;
  cooling?: SharedCooling;
}

/** The engine's side of a link: applies what the fleet decided. Called from the store's background work. */
export interface HealthPeer {
  applyShared(update: SharedHealthUpdate, now: number): void;
}

/** Who set a state: this process's own calls, or another instance of the fleet (through a shared store). */
export type HealthOrigin = { source: "local" } | { source: "shared"; instance: string };

/** The state of a shared store's connection to its backend. */
export type StoreStatus = "connecting" | "available" | "unavailable";

/** What `health()` shows about the fleet for one (provider, model). */
export interface FleetView {
  /** This instance's id in the fleet. */
  instance: string;
  /** Whether the store reaches its backend (when not, this instance runs on its local view). */
  store: StoreStatus;
  /** Milliseconds since the last successful sync with the backend (undefined: never). */
  syncedAgoMs: number | undefined;
  /** Who holds the fleet's half-open probe, when someone does. */
  probe: { instance: string; self: boolean } | undefined;
}

/** The store's side of a link, for one (provider, model). */
export interface HealthLink {
  /** Tells the store a signal (see {@link HealthSignal}). Never waits, never throws. */
  publish(signal: HealthSignal, now: number): void;
  /** A call wanted this (provider, model) (took it or skipped it): the store may claim its probe ahead. */
  want(now: number): void;
  /** The fleet side of `health()`. */
  view(now: number): FleetView;
}
