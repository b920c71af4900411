import { hostname } from "node:os";
import { ConfigError } from "../errors/config-error.js";
import { findUnknownOptions } from "../internal/find-unknown-options.js";
import { BackendGuard, StoreTimeoutError } from "./backend-guard.js";
import {
  applyRecord,
  claimLeaseMs,
  createFleetEntry,
  type FleetEntry,
  holdUpdate,
  queueResync,
  queueSignal,
  takeHeld,
} from "./fleet-entry.js";
import type {
  HealthBackend,
  HealthChange,
  HealthKeyId,
  HealthOp,
  HealthRecord,
  HealthSnapshot,
} from "./health-backend.js";
import { healthKeyId } from "./health-backend.js";
import type { FleetView, HealthLink, HealthPeer, SharedHealthUpdate, StoreStatus } from "./health-link.js";
import type { HealthCell, HealthKey, HealthStore } from "./health-state.js";
import { PendingOps } from "./pending-ops.js";
import {
  type ResolvedStoreOptions,
  readSharedStoreOptions,
  sharedStoreOptionKeys,
  throwIssues,
} from "./read-store-options.js";
import {
  describeError,
  emitWarning,
  type StoreErrorEvent,
  type StoreStatusEvent,
  type StoreSubscription,
} from "./store-events.js";

export { StoreTimeoutError };

/**
 * Options of `createSharedHealthStore` (and of `redisStore`, which passes them on). A bad or unknown
 * option is a `ConfigError` naming it.
 */
export interface SharedHealthStoreOptions {
  /**
   * This instance's name in the fleet (a non-empty string): shown in `health()` as who set a record
   * or holds the probe.
   * @default `<hostname>:<pid>:<4 random hex>`
   */
  instance?: string;
  /**
   * How often the local view is synchronised with the backend (a poll that also carries the claims
   * of the half-open probe). Changes are written at once and pushed to the other instances when the
   * backend can push (Redis pub/sub); the poll is the backstop that bounds staleness. Whole
   * milliseconds, at most 2^31 − 1 (as every duration here: a longer timer would fire at once).
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
  /**
   * Stops syncing and closes the store's own connections (never your client). An exchange still in
   * flight is not cancelled, but its answer changes nothing: after `close()` no fleet change reaches
   * the breakers and no event is emitted.
   */
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

/**
 * Makes a `HealthStore` shared through `backend`. The engine reads and writes the local view only;
 * signals become coalesced writes sent in the background; a poll every `syncIntervalMs` (plus the
 * backend's push, if any) brings the fleet's changes in. A backend that is slow, down or black-holed
 * costs calls nothing: exchanges time out after `timeoutMs`, at most one is in flight, attempts back
 * off, failures are `onError` events, and the local view goes on alone until the backend answers again.
 *
 * @throws ConfigError naming each bad or unknown option.
 */
export const createSharedHealthStore = (
  backend: HealthBackend,
  options: SharedHealthStoreOptions = {},
): SharedHealthStore => {
  const label = "createSharedHealthStore";
  if (typeof options !== "object" || options === null)
    throw new ConfigError([`${label}(backend, options): options must be an object`]);
  const issues = findUnknownOptions(label, options, sharedStoreOptionKeys);
  const resolved = readSharedStoreOptions(label, options, issues);
  throwIssues(issues);
  return createCheckedStore(backend, resolved);
};

/** The store of options already checked (`redisStore` checks them with its own). @internal */
export const createCheckedStore = (
  backend: HealthBackend,
  options: ResolvedStoreOptions,
): SharedHealthStore => new FleetStore(backend, options);

class FleetStore implements SharedHealthStore {
  readonly instance: string;
  private readonly timing: { syncIntervalMs: number; timeoutMs: number };
  private readonly guard: BackendGuard;
  private readonly entries = new Map<HealthKeyId, FleetEntry>();
  /**
   * The fleet's records of keys with no entry yet, as last received (`at`: when), to seed the entry
   * made on their first use: a model named per call (the drop-in's `model`, a `models` override)
   * then knows the fleet's state from its first call. Only what the last snapshot returned (and the
   * pushes since), so it holds no more than the backend does.
   */
  private unseen = new Map<HealthKeyId, { record: HealthRecord; at: number }>();
  private generation: string | undefined;
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private readonly interval: ReturnType<typeof setInterval>;
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly counters: SharedStoreStats = {
    exchanges: 0,
    failures: 0,
    resyncs: 0,
    pushed: 0,
    lastSyncAt: undefined,
  };

  constructor(backend: HealthBackend, options: ResolvedStoreOptions) {
    this.instance = options.instance ?? defaultInstanceName();
    const { syncIntervalMs, timeoutMs, maxBackoffMs } = options;
    this.timing = { syncIntervalMs, timeoutMs };
    this.guard = new BackendGuard(backend, {
      instance: this.instance,
      syncIntervalMs,
      timeoutMs,
      maxBackoffMs,
      schedule: () => this.schedule(),
    });
    this.interval = setInterval(() => this.sync(), syncIntervalMs);
    this.interval.unref?.();
    if (backend.subscribe) {
      try {
        this.unsubscribe = backend.subscribe((change) => this.receive(change), {
          onError: (error) => this.guard.reportSubscribeError(error),
          // (Re)subscribed: changes may have been missed meanwhile.
          onReady: () => this.schedule(),
        });
      } catch (error) {
        this.guard.reportSubscribeError(error);
      }
    }
    this.schedule();
  }

  get status(): StoreStatus {
    return this.guard.status;
  }

  cell(key: HealthKey): HealthCell {
    return this.entry(key).cell;
  }

  link(key: HealthKey, peer: HealthPeer): HealthLink {
    const entry = this.entry(key);
    entry.peers.push(peer);
    // The fleet's state of a key registered ahead (a provider's default model, at createClient) or
    // seeded from the last sync (a model named per call) reaches its engine health now, on the first
    // call: no request is sent to a provider the fleet has out. (Later peers share the cell, which
    // the first one keeps up to date.)
    const now = Date.now();
    const held = entry.peers.length === 1 ? takeHeld(entry, now) : undefined;
    if (held && !this.guard.closed) this.deliver(peer, held, now);
    return {
      publish: (signal, now) => {
        if (queueSignal(entry, signal, now)) this.schedule();
      },
      want: (now) => {
        entry.wantedAt = now;
      },
      view: (now) => this.view(entry, now),
    };
  }

  onError(listener: (event: StoreErrorEvent) => void): StoreSubscription {
    return this.guard.errors.subscribe(listener);
  }

  onStatusChange(listener: (event: StoreStatusEvent) => void): StoreSubscription {
    return this.guard.statuses.subscribe(listener);
  }

  stats(): SharedStoreStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    if (this.guard.closed) return;
    this.guard.close();
    clearInterval(this.interval);
    if (this.scheduled) clearTimeout(this.scheduled);
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    if (unsubscribe) await unsubscribe().catch(() => undefined);
  }

  private entry(key: HealthKey): FleetEntry {
    const id = healthKeyId(key.provider, key.model);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = createFleetEntry(id);
      this.entries.set(id, entry);
      // What the fleet last said of it is held for the first engine health linked (see `link`).
      const seen = this.unseen.get(id);
      if (seen) {
        this.unseen.delete(id);
        this.apply(entry, seen.record, seen.at);
      }
      // Learn what the fleet knows about it now without waiting for the next poll.
      this.schedule();
    }
    return entry;
  }

  private schedule(): void {
    if (this.scheduled || this.guard.closed) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.sync();
    }, 0);
    this.scheduled.unref?.();
  }

  /** One exchange: the pending writes of every entry, the probe claims due, and every record back. */
  private sync(): void {
    const now = Date.now();
    if (!this.guard.ready(now)) return;
    const sent = new Map<FleetEntry, PendingOps>();
    const ops: HealthOp[] = [];
    const claimed: FleetEntry[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.pending.empty) {
        sent.set(entry, entry.pending);
        ops.push(...entry.pending.toOps(entry.id, now));
        entry.pending = new PendingOps();
      }
      // An open this very exchange writes is this instance's too: the others claim its probe first.
      const writesOpen = sent.get(entry)?.breaker?.kind === "open";
      const claim = claimLeaseMs(entry, now, this.timing, writesOpen);
      if (claim !== undefined) {
        ops.push({ op: "claim", k: entry.id, ms: claim });
        claimed.push(entry);
      }
    }
    this.counters.exchanges++;
    this.guard.send(
      { instance: this.instance, generation: newGeneration(), ops },
      (snapshot) => this.succeed(snapshot),
      () => {
        this.counters.failures++;
        // Put the writes back under the newer ones; the claims are decided again next time.
        for (const [entry, older] of sent) entry.pending.restore(older);
        for (const entry of claimed) if (entry.cell.lease?.holder === "pending") delete entry.cell.lease;
      },
    );
  }

  private succeed(snapshot: HealthSnapshot): void {
    const now = Date.now();
    this.counters.lastSyncAt = now;
    const resynchronised = this.generation !== undefined && snapshot.generation !== this.generation;
    if (resynchronised) {
      // The backend lost its data: publish what this instance knows again.
      this.counters.resyncs++;
      for (const entry of this.entries.values()) queueResync(entry, now);
      this.schedule();
    }
    this.generation = snapshot.generation;
    for (const entry of this.entries.values()) this.apply(entry, snapshot.records[entry.id] ?? {}, now);
    this.unseen = new Map();
    for (const [id, record] of Object.entries(snapshot.records))
      if (!this.entries.has(id)) this.unseen.set(id, { record, at: now });
    this.guard.setStatus("available", now, resynchronised);
    if ([...this.entries.values()].some((entry) => !entry.pending.empty)) this.schedule();
  }

  /** A change pushed by another instance. */
  private receive(change: HealthChange): void {
    if (this.guard.closed || change.by === this.instance) return;
    this.counters.pushed++;
    if (change.generation !== this.generation) {
      this.schedule();
      return;
    }
    const now = Date.now();
    for (const [id, record] of Object.entries(change.records)) {
      const entry = this.entries.get(id);
      if (entry) this.apply(entry, record, now);
      else this.unseen.set(id, { record, at: now });
    }
  }

  private apply(entry: FleetEntry, record: HealthRecord, now: number): void {
    applyRecord(entry, record, now, this.instance, (update) => this.tell(entry, update, now));
  }

  private tell(entry: FleetEntry, update: SharedHealthUpdate, now: number): void {
    if (entry.peers.length === 0) holdUpdate(entry, update);
    for (const peer of entry.peers) this.deliver(peer, update, now);
  }

  private deliver(peer: HealthPeer, update: SharedHealthUpdate, now: number): void {
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

  private view(entry: FleetEntry, now: number): FleetView {
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
      store: this.guard.status,
      syncedAgoMs: last === undefined ? undefined : Math.max(0, now - last),
      probe,
    };
  }
}

const randomHex = (bytes: number): string =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

const defaultInstanceName = (): string => `${hostname()}:${process.pid}:${randomHex(2)}`;

const newGeneration = (): string => randomHex(8);
