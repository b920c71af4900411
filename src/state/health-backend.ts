/*
 * What a shared store needs from the outside world (Redis, or anything else): one atomic round trip
 * that applies this instance's pending operations and returns the fleet's records, plus an optional
 * push of changes. `createSharedHealthStore` does everything else (the local view, the sync loop,
 * timeouts, backoff, resynchronisation), so a backend is small: see `redisStore` for the reference.
 *
 * Times on this interface are durations (`ms`, `leftMs`, `ageMs`), measured by the backend's own
 * clock (Redis: `TIME` on the server). Instances' clocks never meet, so a skewed clock can neither
 * shorten nor extend a break.
 */

/** Identifies a (provider, model) in a backend: `JSON.stringify([provider, model])`. */
export type HealthKeyId = string;

/**
 * One operation of an exchange. Deadlines are the milliseconds left when the exchange was sent.
 * - `open`: the breaker is out (`state` open or disabled) for `ms`. Atomic max: a record that ends
 *   later is kept (its break level too, if higher); a shorter one never replaces it.
 * - `close`: a probe succeeded `ageMs` ago: the breaker record closes (unless it was set after that),
 *   strikes and the probe lease are cleared.
 * - `cool` / `uncool`: rate-limit cooling for `ms` (atomic max) / ended `ageMs` ago.
 * - `strike`: `n` more failures in a row; at `threshold` the breaker opens (level 1, `ms`); the count
 *   expires `windowMs` after the last strike. Ignored while the breaker is out.
 * - `unstrike`: a success: the count restarts.
 * - `spend`: the current break's one last-resort probe was sent.
 * - `claim`: take the probe lease for `ms` if nobody else holds it (`SET NX PX`).
 * - `extend`: keep the lease `ms` longer, only if this instance holds it.
 * - `release`: drop the lease, only if this instance holds it (compare-and-delete).
 * `open` and `close` from the lease holder release the lease.
 */
export type HealthOp =
  | {
      op: "open";
      k: HealthKeyId;
      state: "open" | "disabled";
      ms: number;
      level: number;
      reason: string;
      status?: number;
      /** This break's one last-resort probe was already sent. */
      spent?: boolean;
    }
  | { op: "close"; k: HealthKeyId; ageMs: number }
  | { op: "cool"; k: HealthKeyId; ms: number; capped: boolean; status?: number }
  | { op: "uncool"; k: HealthKeyId; ageMs: number }
  | { op: "strike"; k: HealthKeyId; n: number; threshold: number; ms: number; windowMs: number }
  | { op: "unstrike"; k: HealthKeyId }
  | { op: "spend"; k: HealthKeyId }
  | { op: "claim"; k: HealthKeyId; ms: number }
  | { op: "extend"; k: HealthKeyId; ms: number }
  | { op: "release"; k: HealthKeyId };

/** The fleet's record of one (provider, model). Every part is optional. */
export interface HealthRecord {
  breaker?:
    | {
        state: "open" | "disabled";
        leftMs: number;
        level: number;
        reason: string;
        status?: number;
        lastResortSpent: boolean;
        setBy: string;
        version: number;
      }
    | { state: "closed"; setBy: string; version: number };
  cooling?:
    | { state: "cooling"; leftMs: number; capped: boolean; status?: number; setBy: string; version: number }
    | { state: "none"; setBy: string; version: number };
  /** The probe lease: who holds it, for how much longer. */
  lease?: { holder: string; leftMs: number };
  /** Failures in a row, fleet-wide, since the last success anywhere. */
  strikes?: number;
}

/** The fleet's state as a backend returns it. */
export interface HealthSnapshot {
  /**
   * Changes when the backend lost its data (Redis restarted empty, flushed, expired): the store then
   * publishes its local state again.
   */
  generation: string;
  records: Record<HealthKeyId, HealthRecord>;
}

/** One round trip: this instance's operations, applied in order, atomically. */
export interface HealthExchange {
  /** The calling instance (recorded as `setBy`, the lease holder). */
  instance: string;
  /** The generation to create when the backend holds none. */
  generation: string;
  ops: HealthOp[];
}

/** A change pushed by the backend (the records that changed, by whom). */
export interface HealthChange extends HealthSnapshot {
  by: string;
}

/**
 * Where a shared store keeps the fleet's records. Every method may be slow or fail: the store calls
 * it in the background only, one exchange at a time, with a timeout, and backs off after failures.
 */
export interface HealthBackend {
  /** Applies `request.ops` atomically and returns every record. Should give up when `signal` aborts. */
  exchange(request: HealthExchange, signal: AbortSignal): Promise<HealthSnapshot>;
  /**
   * Optional push: calls `onChange` with records changed by any instance (pub/sub). Changes may be
   * lost (the store polls anyway); `onError` receives connection errors. Returns the unsubscriber.
   */
  subscribe?(
    onChange: (change: HealthChange) => void,
    handlers: { onError(error: unknown): void; onReady(): void },
  ): () => Promise<void>;
}

/** The key id of a (provider, model). */
export const healthKeyId = (provider: string, model: string): HealthKeyId =>
  JSON.stringify([provider, model]);
