/** The decisions about one (provider, model) of a shared store, as tables. */
import { describe, expect, it } from "vitest";
import { applyRecord, claimLeaseMs, createFleetEntry, queueSignal } from "../../src/state/fleet-entry.js";
import type { BreakerMode, ProbeLease } from "../../src/state/health-state.js";

const T0 = 1_000_000;
const timing = { syncIntervalMs: 250, timeoutMs: 50 };
const open = (until: number): BreakerMode => ({
  state: "open",
  until,
  breakLevel: 1,
  lastResortSpent: false,
});

describe("claimLeaseMs: when an instance claims the fleet's probe", () => {
  const cases: {
    name: string;
    breaker: BreakerMode;
    lease?: ProbeLease;
    wantedAgoMs?: number;
    setBySelf?: boolean;
    writesOpen?: boolean;
    muted?: boolean;
    claims: number | undefined;
    leaseAfter?: ProbeLease["holder"];
  }[] = [
    { name: "closed breaker: nothing to probe", breaker: { state: "closed" }, claims: undefined },
    { name: "the break ends in 2 s: too early", breaker: open(T0 + 2_000), claims: undefined },
    {
      name: "the break ends within two intervals: claim until 4 intervals after it",
      breaker: open(T0 + 400),
      claims: 1_400,
      leaseAfter: "pending",
    },
    {
      name: "half-open, nobody holds it: claim",
      breaker: { state: "half-open", breakLevel: 1 },
      claims: 1_000,
    },
    {
      name: "another instance holds it: no claim",
      breaker: open(T0 + 100),
      lease: { holder: "other", instance: "pod-b", until: T0 + 900 },
      claims: undefined,
      leaseAfter: "other",
    },
    {
      name: "its holder's lease expired: claim",
      breaker: { state: "half-open", breakLevel: 1 },
      lease: { holder: "other", instance: "pod-b", until: T0 - 1 },
      claims: 1_000,
    },
    {
      name: "no call wanted the provider for 10 s: an idle instance does not probe for others",
      breaker: open(T0 + 100),
      wantedAgoMs: 10_001,
      claims: undefined,
    },
    {
      name: "muted (its break was refuted): no claim",
      breaker: open(T0 + 100),
      muted: true,
      claims: undefined,
    },
    {
      name: "it set the break: lets the others claim first (pending until an interval after the end)",
      breaker: open(T0 + 100),
      setBySelf: true,
      claims: undefined,
      leaseAfter: "pending",
    },
    {
      name: "it is writing the opening in this exchange: the same",
      breaker: open(T0 + 500),
      writesOpen: true,
      claims: undefined,
      leaseAfter: "pending",
    },
    {
      name: "it set the break, and an interval after its end nobody has claimed it: claim",
      breaker: open(T0 - 250),
      setBySelf: true,
      claims: 1_000,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const entry = createFleetEntry("k");
      entry.cell.breaker = c.breaker;
      if (c.lease) entry.cell.lease = c.lease;
      entry.wantedAt = T0 - (c.wantedAgoMs ?? 0);
      entry.setBySelf = c.setBySelf ?? false;
      entry.muted = c.muted ?? false;
      expect(claimLeaseMs(entry, T0, timing, c.writesOpen ?? false)).toBe(c.claims);
      if (c.leaseAfter) expect(entry.cell.lease?.holder).toBe(c.leaseAfter);
    });
  }
});

describe("queueSignal and applyRecord", () => {
  it("a success writes nothing unless the fleet counts failures in a row; then it restarts the count once", () => {
    const entry = createFleetEntry("k");
    expect(queueSignal(entry, { type: "success" }, T0)).toBe(false);
    applyRecord(entry, { strikes: 3 }, T0, "me", () => {});
    expect(queueSignal(entry, { type: "success" }, T0)).toBe(true);
    expect(entry.pending.unstrike).toBe(true);
    expect(queueSignal(entry, { type: "success" }, T0)).toBe(false);
  });

  it("a refuted instance is muted until its own success; its 401s and stated 429s still go out", () => {
    const entry = createFleetEntry("k");
    const told: unknown[] = [];
    const openRecord = {
      state: "open" as const,
      leftMs: 5_000,
      level: 1,
      reason: "consecutive-failures",
      lastResortSpent: false,
      setBy: "me",
      version: 1,
    };
    // Its breaker opened, then it published the opening: the record is its own.
    entry.cell.breaker = { state: "open", until: T0 + 5_000, breakLevel: 1, lastResortSpent: false };
    applyRecord(entry, { breaker: openRecord }, T0, "me", (u) => told.push(u));
    expect(told).toEqual([]); // its own record, already in its breaker
    applyRecord(entry, { breaker: { state: "closed", setBy: "pod-b", version: 2 } }, T0, "me", (u) =>
      told.push(u),
    );
    expect(told).toEqual([{ breaker: { state: "closed", setBy: "pod-b" } }]);
    expect(entry.muted).toBe(true);
    const failure = { type: "failure", threshold: 5, breakMs: 5_000, windowMs: 30_000 } as const;
    expect(queueSignal(entry, failure, T0)).toBe(false);
    expect(
      queueSignal(
        entry,
        { type: "open", until: T0 + 5_000, breakLevel: 1, reason: "x", lastResortSpent: false },
        T0,
      ),
    ).toBe(false);
    expect(
      queueSignal(
        entry,
        {
          type: "disable",
          until: T0 + 60_000,
          breakLevel: 0,
          reason: "auth",
          status: 401,
          lastResortSpent: false,
        },
        T0,
      ),
    ).toBe(true);
    expect(queueSignal(entry, { type: "cool", until: T0 + 2_000, capped: false, status: 429 }, T0)).toBe(
      true,
    );
    queueSignal(entry, { type: "success" }, T0);
    expect(queueSignal(entry, failure, T0)).toBe(true);
  });
});
