import { hostname } from "node:os";
import type {
  HealthBackend,
  HealthChange,
  HealthKeyId,
  HealthRecord,
  HealthSnapshot,
} from "./health-backend.js";
import { healthKeyId } from "./health-backend.js";
import type { FleetView, HealthLink, HealthPeer, HealthSignal, StoreStatus } from "./health-link.js";
import type { HealthCell, HealthKey, HealthStore } from "./health-state.js";
import { PendingOps } from "./pending-ops.js";
import {
  describeError,
  emitWarning,
  StoreChannel,
  type StoreErrorEvent,
  type StoreStatusEvent,
  type StoreSubscription,
} from "./store-events.js";

/** Options of `createSharedHealthStore` (and of `redisStore`, which passes them on). */
export interface SharedHealthStoreOptions {
  /**
   * This instance's name in the fleet: shown in `health()` as who set a record or holds the probe.
   * @default `<hostname>:<pid>:<4 random hex>`
   */
  instance?: string;
  /**
   * How often the local view is synchronised with the backend (a poll that also carries the claims
   * of the half-open probe). Changes are written at once and pushed to the other instances when the
   * backend can push (Redis pub/sub); the poll is the backstop that bounds staleness.
   * @default 250
   */
  syncIntervalMs?: number;
  /**
   * An exchange with the backend that has not answered after this long is given up (and counts as
   * a failure). Calls never wait for it either way.
   * @default 50
   */
  timeoutMs?: number;
  /**
   * While the backend fails, attempts back off from `syncIntervalMs`, doubling, up to this.
   * @default 5_000
   */
  maxBackoffMs?: number;
}

/** A `HealthStore` shared by a fleet through a backend, with its events and lifecycle. */
export interface SharedHealthStore extends HealthStore {
  readonly instance: string;
  link(key: HealthKey, peer: HealthPeer): HealthLink;
  /** The connection to the backend: `connecting` until the first sync. */
  readonly status: StoreStatus;
  /** The backend could not be reached (a typed event: never a call failure). */
  onError(listener: (event: StoreErrorEvent) => void): StoreSubscription;
  onStatusChange(listener: (event: StoreStatusEvent) => void): StoreSubscription;
  /** Counters for dashboards and tests. */
  stats(): SharedStoreStats;
  /** Stops syncing and closes the store's own connections (never your client). */
  close(): Promise<void>;
}

export interface SharedStoreStats {
  exchanges: number;
  failures: number;
  /** Times the backend had lost its data and the local state was published again. */
  resyncs: number;
  /** Changes received through the backend's push channel. */
  pushed: number;
  lastSyncAt: number | undefined;
}

/** Give up on a backend that has this many exchanges unanswered (timed out, never settled). */
const maxUnsettled = 2;

interface Entry {
  readonly id: HealthKeyId;
  readonly cell: HealthCell;
  readonly peers: HealthPeer[];
  pending: PendingOps;
  breakerVersion: number;
  coolingVersion: number;
  /** Failures in a row fleet-wide, as last seen. */
  strikes: number;
  /** The breaker record now in force was set by this instance. */
  setBySelf: boolean;
  /**
   * This instance published an open that another instance's probe then refuted: its breaker
   * evidence stays local until it sees a success itself (one sick instance cannot keep a healthy
   * provider out for everybody).
   */
  muted: boolean;
  wantedAt: number;
}

/**
 * Makes a `HealthStore` shared through `backend`. The engine reads and writes the local view only;
 * signals become coalesced writes sent in the background; a poll every `syncIntervalMs` (plus the
 * backend's push, if any) brings the fleet's changes in. A backend that is slow, down or black-holed
 * costs calls nothing: exchanges time out after `timeoutMs`, at most one is in flight, attempts back
 * off, failures are `onError` events, and the local view goes on alone until the backend answers again.
 */
export const createSharedHealthStore = (
  backend: HealthBackend,
  options: SharedHealthStoreOptions = {},
): SharedHealthStore => new FleetStore(backend, options);

class FleetStore implements SharedHealthStore {
  readonly instance: string;
  private readonly syncIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly maxBackoffMs: number;
  private readonly entries = new Map<HealthKeyId, Entry>();
  private readonly errors = new StoreChannel<StoreErrorEvent>();
  private readonly statuses = new StoreChannel<StoreStatusEvent>();
  private currentStatus: StoreStatus = "connecting";
  private generation: string | undefined;
  private inFlight = false;
  private unsettled = 0;
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private readonly interval: ReturnType<typeof setInterval>;
  private failures = 0;
  private retryAt = 0;
  private warned = false;
  private closed = false;
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly counters: SharedStoreStats = {
    exchanges: 0,
    failures: 0,
    resyncs: 0,
    pushed: 0,
    lastSyncAt: undefined,
  };

  constructor(
    private readonly backend: HealthBackend,
    options: SharedHealthStoreOptions,
  ) {
    this.instance = options.instance ?? defaultInstanceName();
    this.syncIntervalMs = positive("syncIntervalMs", options.syncIntervalMs, 250);
    this.timeoutMs = positive("timeoutMs", options.timeoutMs, 50);
    this.maxBackoffMs = positive("maxBackoffMs", options.maxBackoffMs, 5_000);
    this.interval = setInterval(() => this.sync(), this.syncIntervalMs);
    this.interval.unref?.();
    if (backend.subscribe) {
      try {
        this.unsubscribe = backend.subscribe((change) => this.receive(change), {
          onError: (error) => this.reportError("subscribe", error),
          // (Re)subscribed: changes may have been missed meanwhile.
          onReady: () => this.schedule(),
        });
      } catch (error) {
        this.reportError("subscribe", error);
      }
    }
    this.schedule();
  }

  get status(): StoreStatus {
    return this.currentStatus;
  }

  cell(key: HealthKey): HealthCell {
    return this.entry(key).cell;
  }

  link(key: HealthKey, peer: HealthPeer): HealthLink {
    const entry = this.entry(key);
    entry.peers.push(peer);
    return {
      publish: (signal, now) => this.publish(entry, signal, now),
      want: (now) => {
        entry.wantedAt = now;
      },
      view: (now) => this.view(entry, now),
    };
  }

  onError(listener: (event: StoreErrorEvent) => void): StoreSubscription {
    return this.errors.subscribe(listener);
  }

  onStatusChange(listener: (event: StoreStatusEvent) => void): StoreSubscription {
    return this.statuses.subscribe(listener);
  }

  stats(): SharedStoreStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.interval);
    if (this.scheduled) clearTimeout(this.scheduled);
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    if (unsubscribe) await unsubscribe().catch(() => undefined);
  }

  private entry(key: HealthKey): Entry {
    const id = healthKeyId(key.provider, key.model);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = {
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
      };
      this.entries.set(id, entry);
      // Learn what the fleet knows about it without waiting for the next poll.
      this.schedule();
    }
    return entry;
  }

  /** Turns an engine signal into pending writes. Cheap on the paths every call takes (success). */
  private publish(entry: Entry, signal: HealthSignal, now: number): void {
    const pending = entry.pending;
    switch (signal.type) {
      case "success":
        entry.muted = false;
        if (entry.strikes === 0) return;
        entry.strikes = 0;
        pending.resetStrikes();
        break;
      case "failure":
        if (entry.muted) return;
        pending.addStrike(signal.threshold, signal.breakMs, signal.windowMs);
        break;
      case "open":
        if (entry.muted) return;
        pending.breaker = {
          kind: "open",
          state: "open",
          until: signal.until,
          level: signal.breakLevel,
          reason: signal.reason,
          status: undefined,
          spent: signal.lastResortSpent,
        };
        this.dropOwnLease(entry);
        break;
      case "disable":
        pending.breaker = {
          kind: "open",
          state: "disabled",
          until: signal.until,
          level: signal.breakLevel,
          reason: signal.reason,
          status: signal.status,
          spent: signal.lastResortSpent,
        };
        this.dropOwnLease(entry);
        break;
      case "close":
        pending.breaker = { kind: "close", at: now };
        this.dropOwnLease(entry);
        break;
      case "cool":
        pending.cool(signal.until, signal.capped, signal.status);
        break;
      case "uncool":
        pending.cooling = { kind: "uncool", at: now };
        break;
      case "probe":
        pending.lease = { kind: "hold", until: signal.until };
        break;
      case "probe-released":
        if (entry.cell.lease?.holder !== "self") return;
        pending.lease = { kind: "release" };
        delete entry.cell.lease;
        break;
      case "last-resort":
        pending.spend = true;
        break;
    }
    this.schedule();
  }

  private dropOwnLease(entry: Entry): void {
    if (entry.cell.lease?.holder === "self") delete entry.cell.lease;
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.sync();
    }, 0);
    this.scheduled.unref?.();
  }

  /** One exchange with the backend, if none is in flight and the store is not backing off. */
  private sync(): void {
    if (this.closed || this.inFlight) return;
    const now = Date.now();
    if (now < this.retryAt) return;
    if (this.unsettled >= maxUnsettled) {
      this.fail(new StoreTimeoutError(`the backend has not answered ${this.unsettled} exchanges`), now);
      return;
    }
    const sent = new Map<Entry, PendingOps>();
    const ops = [];
    const claimed: Entry[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.pending.empty) {
        sent.set(entry, entry.pending);
        ops.push(...entry.pending.toOps(entry.id, now));
        entry.pending = new PendingOps();
      }
      // An open this very exchange writes is this instance's too: the others claim its probe first.
      const writesOpen = sent.get(entry)?.breaker?.kind === "open";
      const claim = this.claimFor(entry, now, writesOpen);
      if (claim !== undefined) {
        ops.push({ op: "claim" as const, k: entry.id, ms: claim });
        claimed.push(entry);
      }
    }
    this.inFlight = true;
    this.counters.exchanges++;
    const controller = new AbortController();
    let settled = false;
    this.unsettled++;
    const request = { instance: this.instance, generation: newGeneration(), ops };
    const exchange = Promise.resolve()
      .then(() => this.backend.exchange(request, controller.signal))
      .finally(() => {
        this.unsettled--;
      });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onFailure = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.inFlight = false;
      for (const [entry, older] of sent) entry.pending.restore(older);
      for (const entry of claimed) if (entry.cell.lease?.holder === "pending") delete entry.cell.lease;
      this.fail(error, Date.now());
    };
    // After `timeoutMs` the exchange counts as failed and the next one may go; the command itself is
    // abandoned (aborted in the client) only later, so that a reply held up by a busy event loop
    // rather than by Redis still brings its news in.
    timer = setTimeout(
      () => onFailure(new StoreTimeoutError(`no answer within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    timer.unref?.();
    const abandon = setTimeout(
      () => controller.abort(new StoreTimeoutError(`abandoned after ${abandonAfter(this.timeoutMs)} ms`)),
      abandonAfter(this.timeoutMs),
    );
    abandon.unref?.();
    exchange.then(
      (snapshot) => {
        clearTimeout(abandon);
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          this.inFlight = false;
        }
        this.succeed(snapshot);
      },
      (error: unknown) => {
        clearTimeout(abandon);
        onFailure(error);
      },
    );
  }

  /**
   * Milliseconds to claim the probe lease for, or undefined not to claim now. An instance claims the
   * probe of a break that ends within two sync intervals (so that when it ends, every instance
   * already knows who probes), only if its calls want the provider, and not while muted. The
   * instance that set the break lets the others claim first, for one interval after its end.
   */
  private claimFor(entry: Entry, now: number, writesOpen: boolean): number | undefined {
    const lease = entry.cell.lease;
    if (lease && lease.holder !== "pending" && lease.until > now) return undefined;
    if (entry.muted || now - entry.wantedAt > wantWindowMs) return undefined;
    const mode = entry.cell.breaker;
    let breakEnd: number;
    if (mode.state === "open" || mode.state === "disabled") breakEnd = mode.until;
    else if (mode.state === "half-open") breakEnd = now;
    else return undefined;
    if (breakEnd - now > 2 * this.syncIntervalMs) return undefined;
    if ((entry.setBySelf || writesOpen) && now < breakEnd + this.syncIntervalMs) {
      entry.cell.lease = { holder: "pending", until: breakEnd + this.syncIntervalMs };
      return undefined;
    }
    entry.cell.lease = { holder: "pending", until: now + this.timeoutMs };
    // Held until a little after the break ends; the holder's probe extends it to its timeout.
    return Math.max(0, breakEnd - now) + 4 * this.syncIntervalMs;
  }

  private succeed(snapshot: HealthSnapshot): void {
    const now = Date.now();
    this.failures = 0;
    this.retryAt = 0;
    this.counters.lastSyncAt = now;
    this.warned = false;
    const resynchronised = this.generation !== undefined && snapshot.generation !== this.generation;
    if (resynchronised) this.resync(snapshot.generation);
    else this.generation = snapshot.generation;
    for (const entry of this.entries.values()) this.apply(entry, snapshot.records[entry.id] ?? {}, now);
    this.setStatus("available", now, resynchronised);
    if ([...this.entries.values()].some((entry) => !entry.pending.empty)) this.schedule();
  }

  /** The backend lost its data: forget its versions and publish what this instance knows again. */
  private resync(generation: string): void {
    this.generation = generation;
    this.counters.resyncs++;
    const now = Date.now();
    for (const entry of this.entries.values()) {
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
    }
    this.schedule();
  }

  private fail(error: unknown, now: number): void {
    this.failures++;
    this.counters.failures++;
    // One failure is tried again at once; from the second in a row on, attempts back off.
    const backoff =
      this.failures === 1 ? 0 : Math.min(this.maxBackoffMs, this.syncIntervalMs * 2 ** (this.failures - 2));
    const retryInMs = Math.round(backoff * (0.75 + Math.random() * 0.5));
    this.retryAt = now + retryInMs;
    if (this.failures === 1) this.schedule();
    // Unavailable from the second failure in a row: one late reply on a busy machine is not an outage.
    else this.setStatus("unavailable", now);
    this.emitError("sync", error, retryInMs);
  }

  private reportError(operation: "subscribe", error: unknown): void {
    this.emitError(operation, error, 0);
  }

  private emitError(operation: "sync" | "subscribe", error: unknown, retryInMs: number): void {
    if (this.closed) return;
    const message = describeError(error);
    if (this.errors.active) {
      this.errors.emit({
        instance: this.instance,
        operation,
        message,
        error,
        consecutiveFailures: this.failures,
        retryInMs,
      });
    } else if (!this.warned && this.failures >= 2) {
      // Without a listener: one warning per outage, not one per attempt.
      this.warned = true;
      emitWarning(
        `the shared health store cannot reach its backend (${message}); calls go on with this instance's local view. Subscribe to store.onError to see every failure.`,
        "AI_FAILOVER_STORE_UNAVAILABLE",
      );
    }
  }

  private setStatus(to: StoreStatus, at: number, resynchronised = false): void {
    const from = this.currentStatus;
    if (from === to && !resynchronised) return;
    this.currentStatus = to;
    this.statuses.emit({
      instance: this.instance,
      from,
      to,
      at,
      ...(resynchronised ? { resynchronised } : {}),
    });
  }

  /** A change pushed by another instance. */
  private receive(change: HealthChange): void {
    if (this.closed || change.by === this.instance) return;
    this.counters.pushed++;
    if (change.generation !== this.generation) {
      this.schedule();
      return;
    }
    const now = Date.now();
    for (const [id, record] of Object.entries(change.records)) {
      const entry = this.entries.get(id);
      if (entry) this.apply(entry, record, now);
    }
  }

  /** Brings the fleet's record into the local view (and the engine, through the peers). */
  private apply(entry: Entry, record: HealthRecord, now: number): void {
    const breaker = record.breaker;
    if (breaker && breaker.version > entry.breakerVersion) {
      entry.breakerVersion = breaker.version;
      const own = breaker.setBy === this.instance;
      if (breaker.state === "closed") {
        // Another instance's probe refuted a break this instance had set: its evidence stays local.
        if (!own && entry.setBySelf) entry.muted = true;
        entry.setBySelf = false;
        if (!own && entry.pending.breaker === undefined)
          this.tell(entry, { breaker: { state: "closed", setBy: breaker.setBy } }, now);
      } else {
        entry.setBySelf = own;
        if (!own) {
          this.tell(
            entry,
            {
              breaker: {
                state: breaker.state,
                until: now + breaker.leftMs,
                breakLevel: breaker.level,
                reason: breaker.reason,
                status: breaker.status,
                lastResortSpent: breaker.lastResortSpent,
                setBy: breaker.setBy,
              },
            },
            now,
          );
        }
      }
    }
    const cooling = record.cooling;
    if (cooling && cooling.version > entry.coolingVersion) {
      entry.coolingVersion = cooling.version;
      if (cooling.setBy !== this.instance) {
        this.tell(
          entry,
          {
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
          },
          now,
        );
      }
    }
    entry.strikes = record.strikes ?? 0;
    const lease = record.lease;
    if (lease && lease.leftMs > 0) {
      entry.cell.lease =
        lease.holder === this.instance
          ? { holder: "self", until: now + lease.leftMs }
          : { holder: "other", instance: lease.holder, until: now + lease.leftMs };
    } else if (entry.cell.lease && entry.cell.lease.holder !== "pending") {
      delete entry.cell.lease;
    }
  }

  private tell(entry: Entry, update: Parameters<HealthPeer["applyShared"]>[0], now: number): void {
    for (const peer of entry.peers) {
      try {
        peer.applyShared(update, now);
      } catch (error) {
        // A breaker listener of the app threw: the store's work goes on.
        emitWarning(
          `applying a fleet health change failed (${describeError(error)})`,
          "AI_FAILOVER_STORE_APPLY_ERROR",
        );
      }
    }
  }

  private view(entry: Entry, now: number): FleetView {
    const lease = entry.cell.lease;
    const probe =
      lease && lease.holder !== "pending" && lease.until > now
        ? {
            instance: lease.holder === "self" ? this.instance : lease.instance,
            self: lease.holder === "self",
          }
        : undefined;
    const last = this.counters.lastSyncAt;
    return {
      instance: this.instance,
      store: this.currentStatus,
      syncedAgoMs: last === undefined ? undefined : Math.max(0, now - last),
      probe,
    };
  }
}

/** A timed-out exchange's command is aborted in the client this long after it was sent. */
const abandonAfter = (timeoutMs: number): number => Math.max(10 * timeoutMs, 500);

/** A call that wanted a provider this recently makes its instance a candidate for the fleet probe. */
const wantWindowMs = 10_000;

/** The error of an exchange that did not answer in time. */
export class StoreTimeoutError extends Error {
  override readonly name = "StoreTimeoutError";
}

const positive = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`health store option ${name} must be a finite number > 0, got ${value}`);
  return value;
};

const randomHex = (bytes: number): string =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

const defaultInstanceName = (): string => `${hostname()}:${process.pid}:${randomHex(2)}`;

const newGeneration = (): string => randomHex(8);
