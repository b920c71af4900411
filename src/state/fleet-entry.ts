import type { HealthKeyId, HealthRecord } from "./health-backend.js";
import type { HealthPeer, HealthSignal, SharedHealthUpdate } from "./health-link.js";
import type { HealthCell } from "./health-state.js";
import { PendingOps } from "./pending-ops.js";

/*
 * What a shared store keeps for one (provider, model): the local view (the cell the engine reads),
 * the writes it still owes the backend, and what it last learnt from the fleet. The decisions about
 * one entry live here as functions; the store wires them to the backend.
 */

export interface FleetEntry {
  readonly id: HealthKeyId;
  readonly cell: HealthCell;
  readonly peers: HealthPeer[];
  pending: PendingOps;
  /** Versions of the fleet's breaker and cooling records last applied (0: none). */
  breakerVersion: number;
  coolingVersion: number;
  /** Failures in a row fleet-wide, as last seen. */
  strikes: number;
  /** The breaker record in force was set by this instance. */
  setBySelf: boolean;
  /**
   * This instance published an open that another instance's probe then refuted: its breaker
   * evidence stays local until it sees a success itself (one sick instance cannot keep a healthy
   * provider out for everybody).
   */
  muted: boolean;
  /** When a call last wanted this provider (took it or skipped it). */
  wantedAt: number;
  /**
   * Fleet changes that came while no engine health was linked yet (a provider registered at
   * `createClient`, not called yet): the first one linked gets what is still in force.
   */
  held: SharedHealthUpdate;
}

export const createFleetEntry = (id: HealthKeyId): FleetEntry => ({
  id,
  cell: { breaker: { state: "closed" }, cooling: { state: "none" } },
  peers: [],
  pending: new PendingOps(),
  breakerVersion: 0,
  coolingVersion: 0,
  strikes: 0,
  setBySelf: false,
  muted: false,
  wantedAt: 0,
  held: {},
});

/** Keeps a fleet change nobody could apply yet (see {@link FleetEntry.held}): the latest of each part. */
export const holdUpdate = (entry: FleetEntry, update: SharedHealthUpdate): void => {
  if (update.breaker) entry.held.breaker = update.breaker;
  if (update.cooling) entry.held.cooling = update.cooling;
};

/**
 * What the first engine health linked to `entry` must be told: the held breaker unless closed, and
 * the held cooling still in force (it starts closed and not cooling, so a close or an ended cooling
 * says nothing to it). A break that has elapsed still counts: the fleet's record stays open until a
 * probe's outcome, and the breaker it opens goes half-open and waits for the fleet's probe (lease)
 * instead of sending calls beside it as a closed one would.
 */
export const takeHeld = (entry: FleetEntry, now: number): SharedHealthUpdate | undefined => {
  const { breaker, cooling } = entry.held;
  entry.held = {};
  const update: SharedHealthUpdate = {};
  if (breaker && breaker.state !== "closed") update.breaker = breaker;
  if (cooling?.state === "cooling" && cooling.until > now) update.cooling = cooling;
  return update.breaker || update.cooling ? update : undefined;
};

/**
 * Turns an engine signal into pending writes; returns whether there is something to send. Cheap on
 * the path every call takes (a success with no strikes to clear writes nothing).
 */
export const queueSignal = (entry: FleetEntry, signal: HealthSignal, now: number): boolean => {
  const pending = entry.pending;
  switch (signal.type) {
    case "success":
      entry.muted = false;
      if (entry.strikes === 0) return false;
      entry.strikes = 0;
      pending.resetStrikes();
      return true;
    case "failure":
      if (entry.muted) return false;
      pending.addStrike(signal.threshold, signal.breakMs, signal.windowMs);
      return true;
    case "open":
    case "disable":
      if (signal.type === "open" && entry.muted) return false;
      pending.breaker = {
        kind: "open",
        state: signal.type === "open" ? "open" : "disabled",
        until: signal.until,
        level: signal.breakLevel,
        reason: signal.reason,
        status: signal.type === "disable" ? signal.status : undefined,
        spent: signal.lastResortSpent,
      };
      dropOwnLease(entry);
      return true;
    case "close":
      pending.breaker = { kind: "close", at: now };
      dropOwnLease(entry);
      return true;
    case "cool":
      pending.cool(signal.until, signal.capped, signal.status);
      return true;
    case "uncool":
      pending.cooling = { kind: "uncool", at: now };
      return true;
    case "probe":
      pending.lease = { kind: "hold", until: signal.until };
      return true;
    case "probe-released":
      if (entry.cell.lease?.holder !== "self") return false;
      pending.lease = { kind: "release" };
      delete entry.cell.lease;
      return true;
    case "last-resort":
      pending.spend = true;
      return true;
  }
};

/** A probe outcome or a new break: the lease this instance held is spent (the backend drops it too). */
const dropOwnLease = (entry: FleetEntry): void => {
  if (entry.cell.lease?.holder === "self") delete entry.cell.lease;
};

/** A call that wanted a provider this recently makes its instance a candidate for the fleet probe. */
const wantWindowMs = 10_000;

/**
 * Milliseconds to claim the probe lease for, or undefined not to claim now. An instance claims the
 * probe of a break that ends within two sync intervals (so that when it ends, every instance
 * already knows who probes), only if its calls want the provider, and not while muted. The
 * instance that set the break (`writesOpen`: it is setting one in this very exchange) lets the others
 * claim first, for one interval after its end; meanwhile its lease is "pending" (no probe from here).
 */
export const claimLeaseMs = (
  entry: FleetEntry,
  now: number,
  timing: { syncIntervalMs: number; timeoutMs: number },
  writesOpen: boolean,
): number | undefined => {
  const lease = entry.cell.lease;
  if (lease && lease.holder !== "pending" && lease.until > now) return undefined;
  if (entry.muted || now - entry.wantedAt > wantWindowMs) return undefined;
  const mode = entry.cell.breaker;
  let breakEnd: number;
  if (mode.state === "open" || mode.state === "disabled") breakEnd = mode.until;
  else if (mode.state === "half-open") breakEnd = now;
  else return undefined;
  const { syncIntervalMs, timeoutMs } = timing;
  if (breakEnd - now > 2 * syncIntervalMs) return undefined;
  if ((entry.setBySelf || writesOpen) && now < breakEnd + syncIntervalMs) {
    entry.cell.lease = { holder: "pending", until: breakEnd + syncIntervalMs };
    return undefined;
  }
  entry.cell.lease = { holder: "pending", until: now + timeoutMs };
  // Held until a little after the break ends; the holder's probe extends it to its timeout.
  return Math.max(0, breakEnd - now) + 4 * syncIntervalMs;
};

/**
 * Brings the fleet's record into the local view: a breaker or cooling record newer than the last
 * applied (by version) goes to the engine through `tell` (not this instance's own, except an open or
 * a cooling its cell does not know: see below); strikes and the lease are taken as they are.
 */
export const applyRecord = (
  entry: FleetEntry,
  record: HealthRecord,
  now: number,
  self: string,
  tell: (update: SharedHealthUpdate) => void,
): void => {
  const breaker = record.breaker;
  if (breaker && breaker.version > entry.breakerVersion) {
    entry.breakerVersion = breaker.version;
    const own = breaker.setBy === self;
    if (breaker.state === "closed") {
      // Another instance's probe refuted a break this instance had set: its evidence stays local.
      if (!own && entry.setBySelf) entry.muted = true;
      entry.setBySelf = false;
      // (A write of this instance still pending supersedes the close.)
      if (!own && entry.pending.breaker === undefined)
        tell({ breaker: { state: "closed", setBy: breaker.setBy } });
    } else {
      entry.setBySelf = own;
      // An open this instance wrote is already in its breaker, unless the fleet's strikes reached the
      // threshold in its exchange (its own breaker saw fewer failures in a row, yet the record is
      // set by it) or it is an earlier process of the same name: then its breaker opens too, with
      // the fleet's break. (A write of this instance still pending is newer than the record.)
      const unknown = entry.cell.breaker.state === "closed" && entry.pending.breaker === undefined;
      if (!own || unknown) {
        tell({
          breaker: {
            state: breaker.state,
            until: now + breaker.leftMs,
            breakLevel: breaker.level,
            reason: breaker.reason,
            status: breaker.status,
            lastResortSpent: breaker.lastResortSpent,
            setBy: breaker.setBy,
          },
        });
      }
    }
  }
  const cooling = record.cooling;
  if (cooling && cooling.version > entry.coolingVersion) {
    entry.coolingVersion = cooling.version;
    // A cooling this instance wrote is already in its cell, unless it is an earlier process of the
    // same name (a restarted pod keeps its name): then it cools too. (A write of this instance still
    // pending is newer than the record.)
    const unknown = entry.cell.cooling.state === "none" && entry.pending.cooling === undefined;
    if (cooling.setBy !== self || (cooling.state === "cooling" && unknown)) {
      tell({
        cooling:
          cooling.state === "cooling"
            ? {
                state: "cooling",
                until: now + cooling.leftMs,
                capped: cooling.capped,
                status: cooling.status,
                setBy: cooling.setBy,
              }
            : { state: "none", setBy: cooling.setBy },
      });
    }
  }
  entry.strikes = record.strikes ?? 0;
  const lease = record.lease;
  if (lease && lease.leftMs > 0) {
    entry.cell.lease =
      lease.holder === self
        ? { holder: "self", until: now + lease.leftMs }
        : { holder: "other", instance: lease.holder, until: now + lease.leftMs };
  } else if (entry.cell.lease && entry.cell.lease.holder !== "pending") {
    delete entry.cell.lease;
  }
};

/** The backend lost its data: forget its versions and queue what this instance knows, to publish again. */
export const queueResync = (entry: FleetEntry, now: number): void => {
  entry.breakerVersion = 0;
  entry.coolingVersion = 0;
  entry.strikes = 0;
  entry.setBySelf = false;
  const { breaker, cooling } = entry.cell;
  const pending = entry.pending;
  if ((breaker.state === "open" || breaker.state === "disabled") && breaker.until > now) {
    pending.breaker ??= {
      kind: "open",
      state: breaker.state,
      until: breaker.until,
      level: breaker.breakLevel,
      reason: breaker.state === "disabled" ? breaker.reason : "resync",
      status: undefined,
      spent: breaker.lastResortSpent,
    };
  }
  if (cooling.state === "cooling" && cooling.until > now)
    pending.cool(cooling.until, cooling.capped, cooling.status);
};
