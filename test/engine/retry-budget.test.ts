import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RetryBudget, type RetryBudgetOptions } from "../../src/engine/retry-budget.js";

/** Grants retries until the budget says no; returns how many it granted. */
function drain(budget: RetryBudget, now?: number): number {
  let granted = 0;
  while (budget.tryAcquireRetry(now)) granted++;
  return granted;
}

describe("RetryBudget", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse("2026-11-03T12:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("grants the reserve with no traffic: minRetriesPerSecond × ttl seconds (defaults: 1 × 10)", () => {
    const budget = new RetryBudget();
    expect(budget.balance).toBe(10);
    expect(drain(budget)).toBe(10);
    expect(budget.balance).toBe(0);
  });

  it("lets retries add `ratio` of the calls", () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 0 });
    for (let i = 0; i < 100; i++) budget.recordRequest();
    expect(budget.balance).toBe(10);
    expect(drain(budget)).toBe(10);
    for (let i = 0; i < 9; i++) budget.recordRequest();
    expect(budget.tryAcquireRetry()).toBe(false);
    budget.recordRequest();
    expect(budget.tryAcquireRetry()).toBe(true);
  });

  it("adds deposits to the reserve", () => {
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0.5, ttlMs: 4000 });
    for (let i = 0; i < 10; i++) budget.recordRequest();
    expect(drain(budget)).toBe(2 + 2);
  });

  it("refills as withdrawals leave the window (driven by fake timers)", () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 1, ttlMs: 10_000 });
    expect(drain(budget)).toBe(10);
    vi.advanceTimersByTime(9000);
    expect(budget.tryAcquireRetry()).toBe(false);
    vi.advanceTimersByTime(2001); // past ttl plus one bucket
    expect(budget.balance).toBe(10);
  });

  it("forgets deposits older than ttl", () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 0, ttlMs: 10_000 });
    for (let i = 0; i < 50; i++) budget.recordRequest();
    expect(budget.balance).toBe(5);
    vi.advanceTimersByTime(10_000); // the window [now - ttl, now] is closed at both ends
    expect(budget.balance).toBe(5);
    vi.advanceTimersByTime(1);
    expect(budget.balance).toBe(0);
    expect(budget.tryAcquireRetry()).toBe(false);
  });

  it("does not count retries granted against deposits that later expire as fresh capacity", () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 0, ttlMs: 10_000 });
    for (let i = 0; i < 100; i++) budget.recordRequest();
    vi.advanceTimersByTime(5000);
    expect(drain(budget)).toBe(10);
    vi.advanceTimersByTime(5001); // the deposits expire; the withdrawals still count
    for (let i = 0; i < 100; i++) budget.recordRequest();
    expect(budget.tryAcquireRetry()).toBe(false);
    vi.advanceTimersByTime(6000); // now the withdrawals have expired too
    expect(drain(budget)).toBe(10);
  });

  it("counts a retry's withdrawal for the whole window, even when it fell mid-bucket", () => {
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 0.1, ttlMs: 10_000 }); // reserve: 1
    vi.advanceTimersByTime(999); // late in a 1000 ms bucket
    expect(budget.tryAcquireRetry()).toBe(true);
    vi.advanceTimersByTime(10_000); // exactly ttl after the retry: it is still in the window
    expect(budget.tryAcquireRetry()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(budget.tryAcquireRetry()).toBe(true);
  });

  it("survives long idle periods", () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 0 });
    for (let i = 0; i < 30; i++) budget.recordRequest();
    vi.advanceTimersByTime(3_600_000);
    expect(budget.balance).toBe(0);
    for (let i = 0; i < 10; i++) budget.recordRequest();
    expect(drain(budget)).toBe(1);
  });

  it("uses an injected clock, and explicit timestamps win over it", () => {
    let t = 0;
    const budget = new RetryBudget({ minRetriesPerSecond: 0, ttlMs: 1000, clock: () => t });
    for (let i = 0; i < 10; i++) budget.recordRequest();
    expect(budget.balance).toBe(1);
    t = 5000;
    expect(budget.balance).toBe(0);
    budget.recordRequest(5000);
    expect(budget.balanceAt(5000)).toBe(0);
  });

  it("reads a clock that runs backwards as the latest time seen", () => {
    let t = 100_000;
    const budget = new RetryBudget({ minRetriesPerSecond: 0, ttlMs: 1000, clock: () => t });
    for (let i = 0; i < 10; i++) budget.recordRequest();
    t = 200_000;
    expect(budget.balance).toBe(0);
    t = 100_000;
    expect(budget.balance).toBe(0);
  });

  it("with a ratio of 0 and no reserve never retries", () => {
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 0 });
    for (let i = 0; i < 1000; i++) budget.recordRequest();
    expect(budget.tryAcquireRetry()).toBe(false);
  });

  it.each<RetryBudgetOptions>([
    { ratio: -0.1 },
    { ratio: Number.NaN },
    { ratio: Number.POSITIVE_INFINITY },
    { minRetriesPerSecond: -1 },
    { ttlMs: 0 },
    { ttlMs: Number.POSITIVE_INFINITY },
  ])("rejects invalid options %j", (options) => {
    expect(() => new RetryBudget(options)).toThrow(RangeError);
  });

  type Op = { kind: "request" } | { kind: "retry" } | { kind: "advance"; ms: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.constant({ kind: "request" as const }), weight: 3 },
    { arbitrary: fc.constant({ kind: "retry" as const }), weight: 4 },
    {
      arbitrary: fc.integer({ min: 0, max: 1500 }).map((ms) => ({ kind: "advance" as const, ms })),
      weight: 3,
    },
  );
  const config = fc.record({
    ratio: fc.oneof(fc.constant(0), fc.constant(0.1), fc.double({ min: 0, max: 2, noNaN: true })),
    minRetriesPerSecond: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 5, noNaN: true })),
    ttlMs: fc.oneof(fc.constant(10_000), fc.integer({ min: 1, max: 5000 })),
  });

  it("property: at every grant, retries in the trailing window ≤ ratio × calls in it + reserve", () => {
    fc.assert(
      fc.property(config, fc.array(op, { minLength: 1, maxLength: 300, size: "large" }), (options, ops) => {
        let t = 1_000_000;
        const budget = new RetryBudget({ ...options, clock: () => t });
        const reserve = (options.minRetriesPerSecond * options.ttlMs) / 1000;
        const requests: number[] = [];
        const grants: number[] = [];
        for (const o of ops) {
          if (o.kind === "advance") t += o.ms;
          else if (o.kind === "request") {
            budget.recordRequest();
            requests.push(t);
          } else if (budget.tryAcquireRetry()) {
            grants.push(t);
            const from = t - options.ttlMs;
            const n = requests.filter((x) => x >= from).length;
            const g = grants.filter((x) => x >= from).length;
            if (g > options.ratio * n + reserve + 1e-9) return false;
          }
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it("property: N calls within one window allow at most ratio × N + reserve retries, and no fewer when time stands still", () => {
    fc.assert(
      fc.property(config, fc.nat(500), (options, n) => {
        const t = 5_000_000;
        const budget = new RetryBudget({ ...options, clock: () => t });
        for (let i = 0; i < n; i++) budget.recordRequest();
        const granted = drain(budget);
        const bound = options.ratio * n + (options.minRetriesPerSecond * options.ttlMs) / 1000;
        return granted <= bound + 1e-9 && granted >= Math.floor(bound - 1e-9);
      }),
    );
  });
});
