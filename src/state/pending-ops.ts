import type { HealthKeyId, HealthOp } from "./health-backend.js";

/*
 * The writes one (provider, model) still owes the backend, coalesced so that they never grow with
 * traffic or with the length of a backend outage: at most one breaker write, one cooling write, a
 * count of strikes, one lease operation. Deadlines are kept as local epoch ms and turned into
 * durations only when sent, so a write that waited does not extend anything.
 */

type BreakerWrite =
  | {
      kind: "open";
      state: "open" | "disabled";
      until: number;
      level: number;
      reason: string;
      status: number | undefined;
      spent: boolean;
    }
  | { kind: "close"; at: number };

type CoolingWrite =
  | { kind: "cool"; until: number; capped: boolean; status: number | undefined }
  | { kind: "uncool"; at: number };

type LeaseWrite = { kind: "hold"; until: number } | { kind: "release" };

interface Strikes {
  n: number;
  threshold: number;
  breakMs: number;
  windowMs: number;
}

export class PendingOps {
  /** A success was seen: the fleet's count of failures in a row restarts (sent before `strikes`). */
  unstrike = false;
  strikes: Strikes | undefined;
  breaker: BreakerWrite | undefined;
  cooling: CoolingWrite | undefined;
  spend = false;
  lease: LeaseWrite | undefined;

  get empty(): boolean {
    return (
      !this.unstrike &&
      this.strikes === undefined &&
      this.breaker === undefined &&
      this.cooling === undefined &&
      !this.spend &&
      this.lease === undefined
    );
  }

  addStrike(threshold: number, breakMs: number, windowMs: number): void {
    this.strikes = { n: (this.strikes?.n ?? 0) + 1, threshold, breakMs, windowMs };
  }

  /** A success: strikes not yet sent are void, and the fleet's count restarts. */
  resetStrikes(): void {
    this.strikes = undefined;
    this.unstrike = true;
  }

  /** Cooling keeps the later deadline, as the backend does. */
  cool(until: number, capped: boolean, status: number | undefined): void {
    const current = this.cooling;
    if (current?.kind === "cool" && current.until >= until) return;
    this.cooling = { kind: "cool", until, capped, status };
  }

  /**
   * Puts back the writes of an exchange that failed, under the ones queued since (which are newer
   * and win). Re-sending is safe: every operation is a max, idempotent, or guarded by its age.
   */
  restore(older: PendingOps): void {
    this.breaker ??= older.breaker;
    if (older.cooling?.kind === "cool" && this.cooling?.kind === "cool") {
      if (older.cooling.until > this.cooling.until) this.cooling = older.cooling;
    } else this.cooling ??= older.cooling;
    this.lease ??= older.lease;
    this.spend ||= older.spend;
    if (!this.unstrike && older.strikes) {
      const n = older.strikes.n + (this.strikes?.n ?? 0);
      this.strikes = { ...(this.strikes ?? older.strikes), n };
    }
    this.unstrike ||= older.unstrike;
  }

  /** The operations, in the order the backend applies them; expired deadlines are dropped. */
  toOps(k: HealthKeyId, now: number): HealthOp[] {
    const ops: HealthOp[] = [];
    if (this.unstrike) ops.push({ op: "unstrike", k });
    const strikes = this.strikes;
    if (strikes) {
      ops.push({
        op: "strike",
        k,
        n: strikes.n,
        threshold: strikes.threshold,
        ms: strikes.breakMs,
        windowMs: strikes.windowMs,
      });
    }
    const breaker = this.breaker;
    if (breaker?.kind === "open" && breaker.until > now) {
      ops.push({
        op: "open",
        k,
        state: breaker.state,
        ms: breaker.until - now,
        level: breaker.level,
        reason: breaker.reason,
        ...(breaker.status !== undefined ? { status: breaker.status } : {}),
        ...(breaker.spent ? { spent: true } : {}),
      });
    } else if (breaker?.kind === "close") {
      ops.push({ op: "close", k, ageMs: Math.max(0, now - breaker.at) });
    }
    const cooling = this.cooling;
    if (cooling?.kind === "cool" && cooling.until > now) {
      ops.push({
        op: "cool",
        k,
        ms: cooling.until - now,
        capped: cooling.capped,
        ...(cooling.status !== undefined ? { status: cooling.status } : {}),
      });
    } else if (cooling?.kind === "uncool") {
      ops.push({ op: "uncool", k, ageMs: Math.max(0, now - cooling.at) });
    }
    if (this.spend) ops.push({ op: "spend", k });
    const lease = this.lease;
    if (lease?.kind === "hold" && lease.until > now) ops.push({ op: "claim", k, ms: lease.until - now });
    else if (lease?.kind === "release") ops.push({ op: "release", k });
    return ops;
  }
}
