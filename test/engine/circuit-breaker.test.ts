import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type Admission,
  type AdmittedCall,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
  type CircuitStateChange,
} from "../../src/engine/circuit-breaker.js";

const START = Date.parse("2026-11-03T12:00:00Z");

function collect(breaker: CircuitBreaker): CircuitStateChange[] {
  const changes: CircuitStateChange[] = [];
  breaker.onStateChange((c) => changes.push(c));
  return changes;
}

function admitted(a: Admission): AdmittedCall {
  if (!a.allowed) throw new Error(`expected admission, got refusal (${a.retryInMs} ms)`);
  return a;
}

/** Opens a default breaker by 5 failures in a row. */
function openBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const breaker = new CircuitBreaker(options);
  for (let i = 0; i < 5; i++) breaker.recordFailure(admitted(breaker.tryAcquire()));
  expect(breaker.state).toBe("open");
  return breaker;
}

describe("CircuitBreaker", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe("closed", () => {
    it("admits every call, not as a probe", () => {
      const breaker = new CircuitBreaker();
      expect(breaker.state).toBe("closed");
      expect(breaker.tryAcquire()).toEqual({ allowed: true, probe: false });
      expect(breaker.msUntilRetry()).toBe(0);
    });

    it("opens on the failure ratio once the window holds minimumThroughput calls", () => {
      const breaker = new CircuitBreaker();
      const changes = collect(breaker);
      // S F S F … never 5 in a row; the 10th call makes 5/10 = failureRatio.
      for (let i = 0; i < 9; i++) {
        if (i % 2 === 0) breaker.recordSuccess(false);
        else breaker.recordFailure(false);
        vi.advanceTimersByTime(100);
      }
      expect(breaker.state).toBe("closed");
      breaker.recordFailure(false);
      expect(breaker.state).toBe("open");
      expect(changes).toEqual([
        { from: "closed", to: "open", reason: "failure-ratio", at: Date.now(), retryInMs: 5000 },
      ]);
    });

    it("does not open on the ratio below minimumThroughput", () => {
      const breaker = new CircuitBreaker();
      for (const ok of [false, false, false, false, true, false, false, false, false]) {
        if (ok) breaker.recordSuccess();
        else breaker.recordFailure();
      }
      expect(breaker.state).toBe("closed"); // 8 of 9 failed, but only 9 calls
      breaker.recordFailure();
      expect(breaker.state).toBe("open");
    });

    it("stays closed while failures stay under the ratio", () => {
      const breaker = new CircuitBreaker();
      for (let i = 0; i < 200; i++) {
        if (i % 3 === 0) breaker.recordFailure();
        else breaker.recordSuccess();
      }
      expect(breaker.state).toBe("closed");
    });

    it("forgets outcomes that left the sliding window", () => {
      const breaker = new CircuitBreaker({ consecutiveFailures: Number.POSITIVE_INFINITY });
      for (const ok of [false, false, false, false, true, false, false, false, false]) {
        if (ok) breaker.recordSuccess();
        else breaker.recordFailure();
      }
      vi.advanceTimersByTime(31_000);
      breaker.recordSuccess();
      breaker.recordFailure(); // counting the old ones would make 9 of 11
      expect(breaker.state).toBe("closed");
    });

    it("ignores old failures even after a long quiet spell (unlike cockatiel's SamplingBreaker)", () => {
      const breaker = new CircuitBreaker({ consecutiveFailures: Number.POSITIVE_INFINITY });
      for (let i = 0; i < 20; i++) {
        breaker.recordFailure();
        vi.advanceTimersByTime(600_000);
      }
      expect(breaker.state).toBe("closed");
    });

    it("opens on 5 consecutive failures at 1 call/s, below the throughput", () => {
      const breaker = new CircuitBreaker();
      const changes = collect(breaker);
      for (let i = 0; i < 4; i++) {
        breaker.recordFailure(admitted(breaker.tryAcquire()));
        vi.advanceTimersByTime(1000);
      }
      expect(breaker.state).toBe("closed");
      breaker.recordFailure(admitted(breaker.tryAcquire()));
      expect(breaker.state).toBe("open");
      expect(changes.map((c) => c.reason)).toEqual(["consecutive-failures"]);
    });

    it("a success breaks the run of consecutive failures", () => {
      const breaker = new CircuitBreaker();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++) {
          breaker.recordFailure();
          vi.advanceTimersByTime(20_000);
        }
        breaker.recordSuccess();
        vi.advanceTimersByTime(20_000);
      }
      expect(breaker.state).toBe("closed");
    });
  });

  describe("open", () => {
    it("refuses at once, synchronously, with the time left of the break", () => {
      const breaker = openBreaker();
      const answer = breaker.tryAcquire();
      expect(answer).not.toBeInstanceOf(Promise);
      expect(answer).toEqual({ allowed: false, retryInMs: 5000 });
      vi.advanceTimersByTime(4999);
      expect(breaker.tryAcquire()).toEqual({ allowed: false, retryInMs: 1 });
      expect(breaker.msUntilRetry()).toBe(1);
      expect(breaker.state).toBe("open");
    });

    it("ignores late outcomes of calls admitted before it opened", () => {
      const breaker = new CircuitBreaker();
      const inFlight = Array.from({ length: 10 }, () => admitted(breaker.tryAcquire()));
      for (const call of inFlight.slice(0, 5)) breaker.recordFailure(call);
      expect(breaker.state).toBe("open");
      vi.advanceTimersByTime(3000);
      breaker.recordFailure(inFlight[5]);
      breaker.recordSuccess(inFlight[6]);
      expect(breaker.state).toBe("open");
      expect(breaker.msUntilRetry()).toBe(2000);
    });

    it("admits exactly one probe after the break; concurrent callers are refused at once", () => {
      const breaker = openBreaker();
      const changes = collect(breaker);
      vi.advanceTimersByTime(5000);
      expect(breaker.msUntilRetry()).toBe(0);
      const probe = breaker.tryAcquire();
      expect(probe).toMatchObject({ allowed: true, probe: true });
      expect(breaker.state).toBe("half-open");
      expect(changes.map((c) => [c.from, c.to, c.reason])).toEqual([["open", "half-open", "break-elapsed"]]);
      const others = Array.from({ length: 50 }, () => breaker.tryAcquire());
      expect(others.every((a) => !a.allowed && a.retryInMs > 0)).toBe(true);
      vi.advanceTimersByTime(30_000);
      expect(breaker.tryAcquire().allowed).toBe(false);
      expect(breaker.msUntilRetry()).toBe(30_000); // upper bound: the probe timeout
    });

    it("dueBackInMs: while a probe is out, the break that follows its failure, not the probe timeout", () => {
      const breaker = openBreaker();
      expect(breaker.dueBackInMs()).toBe(5000); // no probe out: the break left
      const early = admitted(breaker.tryAcquireEarly()); // the last resort, 5 s before the break ends
      expect(breaker.msUntilRetry()).toBe(60_000);
      expect(breaker.dueBackInMs()).toBe(10_000);
      vi.advanceTimersByTime(1000);
      breaker.recordFailure(early);
      expect(breaker.dueBackInMs()).toBe(10_000); // what was said is what the failure brought
      vi.advanceTimersByTime(10_000);
      admitted(breaker.tryAcquire()); // the half-open probe: its failure would bring a 20 s break
      expect(breaker.dueBackInMs()).toBe(20_000);
      vi.advanceTimersByTime(50_000);
      expect(breaker.dueBackInMs()).toBe(10_000); // never past the moment the probe is presumed lost
      expect(breaker.msUntilRetry()).toBe(10_000);
    });

    it("dueBackInMs: at least the break left, at most the longest break; 0 once a call may go", () => {
      const breaker = openBreaker({ halfOpenAfterMs: 40_000, maxHalfOpenAfterMs: 50_000 });
      admitted(breaker.tryAcquireEarly());
      expect(breaker.dueBackInMs()).toBe(50_000); // the next break (80 s) capped
      const disabled = new CircuitBreaker();
      disabled.disable(300_000, "auth");
      admitted(disabled.tryAcquireEarly());
      expect(disabled.dueBackInMs()).toBe(300_000); // a probe does not shorten a disable
      const closed = new CircuitBreaker();
      expect(closed.dueBackInMs()).toBe(0);
      const healed = openBreaker();
      vi.advanceTimersByTime(5000);
      expect(healed.dueBackInMs()).toBe(0);
    });

    it("dueBackInMs: another instance's probe lease counts as a probe out", () => {
      const cell: NonNullable<CircuitBreakerOptions["cell"]> = { breaker: { state: "closed" } };
      const breaker = openBreaker({ cell });
      vi.advanceTimersByTime(5000);
      cell.lease = { holder: "other", instance: "b", until: Date.now() + 60_000 };
      expect(breaker.msUntilRetry()).toBe(60_000);
      expect(breaker.dueBackInMs()).toBe(10_000);
    });

    it("closes on the probe's success and resets its history", () => {
      const breaker = openBreaker();
      const changes = collect(breaker);
      vi.advanceTimersByTime(5000);
      const probe = admitted(breaker.tryAcquire());
      breaker.recordSuccess(probe);
      expect(breaker.state).toBe("closed");
      expect(changes.at(-1)).toMatchObject({ from: "half-open", to: "closed", reason: "probe-succeeded" });
      expect(breaker.tryAcquire()).toEqual({ allowed: true, probe: false });
      for (let i = 0; i < 4; i++) breaker.recordFailure();
      expect(breaker.state).toBe("closed"); // the consecutive count started over
    });

    it("grows the break on each failed probe up to the max, and resets it on success", () => {
      const breaker = openBreaker();
      const changes = collect(breaker);
      const breaks: number[] = [];
      for (let i = 0; i < 6; i++) {
        vi.advanceTimersByTime(breaker.msUntilRetry());
        breaker.recordFailure(admitted(breaker.tryAcquire()));
        breaks.push(breaker.msUntilRetry());
      }
      expect(breaks).toEqual([10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
      expect(changes.filter((c) => c.to === "open").map((c) => c.retryInMs)).toEqual(breaks);
      vi.advanceTimersByTime(60_000);
      breaker.recordSuccess(admitted(breaker.tryAcquire()));
      expect(breaker.state).toBe("closed");
      for (let i = 0; i < 5; i++) breaker.recordFailure();
      expect(breaker.msUntilRetry()).toBe(5000);
    });

    it("honours custom break options", () => {
      const breaker = openBreaker({ halfOpenAfterMs: 1000, backoffMultiplier: 3, maxHalfOpenAfterMs: 5000 });
      const breaks = [breaker.msUntilRetry()];
      for (let i = 0; i < 3; i++) {
        vi.advanceTimersByTime(breaker.msUntilRetry());
        admitted(breaker.tryAcquire());
        breaker.recordFailure(true); // the bare flag works for the probe too
        breaks.push(breaker.msUntilRetry());
      }
      expect(breaks).toEqual([1000, 3000, 5000, 5000]);
    });

    it("treats recordFailure(true) without a probe in flight as a plain (here: ignored) outcome", () => {
      const breaker = openBreaker();
      breaker.recordFailure(true);
      breaker.recordSuccess(true);
      expect(breaker.state).toBe("open");
      expect(breaker.msUntilRetry()).toBe(5000);
    });
  });

  describe("probes that do not report", () => {
    it("releaseProbe lets the next caller probe at once", () => {
      const breaker = openBreaker();
      vi.advanceTimersByTime(5000);
      const first = admitted(breaker.tryAcquire());
      breaker.releaseProbe(first);
      expect(breaker.state).toBe("half-open");
      expect(breaker.msUntilRetry()).toBe(0);
      const second = admitted(breaker.tryAcquire());
      expect(second.probe).toBe(true);
      breaker.releaseProbe(first); // stale: must not free the second probe's slot
      expect(breaker.tryAcquire().allowed).toBe(false);
      breaker.releaseProbe(); // no argument: whatever probe is in flight
      expect(breaker.tryAcquire().allowed).toBe(true);
    });

    it("a probe that never reports is presumed lost after probeTimeoutMs", () => {
      const breaker = openBreaker({ probeTimeoutMs: 20_000 });
      vi.advanceTimersByTime(5000);
      const lost = admitted(breaker.tryAcquire());
      vi.advanceTimersByTime(19_999);
      expect(breaker.tryAcquire()).toEqual({ allowed: false, retryInMs: 1 });
      vi.advanceTimersByTime(1);
      const next = admitted(breaker.tryAcquire());
      expect(next.probe).toBe(true);
      // The lost probe finally reports: ignored, the new probe decides.
      breaker.recordFailure(lost);
      expect(breaker.state).toBe("half-open");
      expect(breaker.tryAcquire().allowed).toBe(false);
      breaker.recordSuccess(next);
      expect(breaker.state).toBe("closed");
    });

    it("a late success of a lost probe after the circuit closed counts as a plain success", () => {
      const breaker = openBreaker({ probeTimeoutMs: 1000 });
      vi.advanceTimersByTime(5000);
      const lost = admitted(breaker.tryAcquire());
      vi.advanceTimersByTime(1000);
      breaker.recordSuccess(admitted(breaker.tryAcquire()));
      expect(breaker.state).toBe("closed");
      breaker.recordSuccess(lost);
      expect(breaker.toJSON().window.buckets).toEqual([
        expect.objectContaining({ successes: 1, failures: 0 }),
      ]);
    });
  });

  describe("disabled", () => {
    it("refuses until the period ends, then admits one probe", () => {
      const breaker = new CircuitBreaker();
      const changes = collect(breaker);
      breaker.disable(30_000, "auth");
      expect(breaker.state).toBe("disabled");
      expect(breaker.tryAcquire()).toEqual({ allowed: false, retryInMs: 30_000 });
      expect(changes).toEqual([
        { from: "closed", to: "disabled", reason: "disabled", detail: "auth", at: START, retryInMs: 30_000 },
      ]);
      vi.advanceTimersByTime(30_000);
      expect(breaker.msUntilRetry()).toBe(0);
      const probe = admitted(breaker.tryAcquire());
      expect(probe.probe).toBe(true);
      expect(breaker.state).toBe("half-open");
      expect(changes.at(-1)).toMatchObject({ from: "disabled", to: "half-open", reason: "disable-expired" });
      expect(breaker.tryAcquire().allowed).toBe(false);
      breaker.recordFailure(probe);
      expect(breaker.state).toBe("open");
      expect(breaker.msUntilRetry()).toBe(5000);
    });

    it("keeps the later end when disabled again, and refuses bad periods", () => {
      const breaker = new CircuitBreaker();
      breaker.disable(60_000, "quota");
      breaker.disable(10_000, "auth");
      expect(breaker.msUntilRetry()).toBe(60_000);
      expect(breaker.toJSON().disabledReason).toBe("quota");
      breaker.disable(120_000, "auth");
      expect(breaker.msUntilRetry()).toBe(120_000);
      expect(breaker.toJSON().disabledReason).toBe("auth");
      expect(() => breaker.disable(Number.POSITIVE_INFINITY, "x")).toThrow(RangeError);
      expect(() => breaker.disable(-1, "x")).toThrow(RangeError);
    });

    it("does not send a second probe while one sent before the disable is still out", () => {
      const breaker = openBreaker();
      vi.advanceTimersByTime(5000);
      const probe = admitted(breaker.tryAcquire());
      breaker.disable(1000, "auth");
      vi.advanceTimersByTime(1000);
      expect(breaker.tryAcquire().allowed).toBe(false);
      expect(breaker.state).toBe("half-open");
      breaker.releaseProbe(probe);
      expect(admitted(breaker.tryAcquire()).probe).toBe(true);
    });
  });

  describe("tryAcquireEarly", () => {
    it("admits one probe before the break ends, without leaving open; its success closes", () => {
      const breaker = openBreaker();
      const changes = collect(breaker);
      vi.advanceTimersByTime(1000);
      expect(breaker.lastResortAvailable()).toBe(true);
      const probe = admitted(breaker.tryAcquireEarly());
      expect(probe.probe).toBe(true);
      expect(breaker.state).toBe("open");
      expect(changes).toEqual([]);
      expect(breaker.lastResortAvailable()).toBe(false);
      expect(breaker.tryAcquireEarly().allowed).toBe(false);
      expect(breaker.tryAcquire().allowed).toBe(false);
      breaker.recordSuccess(probe);
      expect(breaker.state).toBe("closed");
      expect(breaker.tryAcquireEarly()).toEqual({ allowed: true, probe: false });
    });

    it("at most one per break: a failed or released early probe leaves none until the next break ends", () => {
      const breaker = openBreaker();
      const early = admitted(breaker.tryAcquireEarly());
      breaker.recordFailure(early);
      expect(breaker.toJSON()).toMatchObject({ state: "open", breakLevel: 2, lastResortSpent: true });
      expect(breaker.tryAcquireEarly()).toEqual({ allowed: false, retryInMs: 10_000 });
      vi.advanceTimersByTime(10_000);
      const probe = admitted(breaker.tryAcquire());
      breaker.recordFailure(probe);
      // A break that follows a failed probe gets no last-resort probe either.
      expect(breaker.lastResortAvailable()).toBe(false);

      const released = openBreaker();
      released.releaseProbe(admitted(released.tryAcquireEarly()));
      expect(released.state).toBe("open");
      expect(released.tryAcquireEarly().allowed).toBe(false);
      vi.advanceTimersByTime(5000);
      expect(admitted(released.tryAcquireEarly()).probe).toBe(true);
      expect(released.state).toBe("half-open");
    });

    it("a disabled breaker gets one early probe; failing it keeps it disabled", () => {
      const breaker = new CircuitBreaker();
      breaker.disable(60_000, "auth");
      const probe = admitted(breaker.tryAcquireEarly());
      breaker.recordFailure(probe);
      expect(breaker.state).toBe("disabled");
      expect(breaker.lastResortAvailable()).toBe(false);
      expect(breaker.msUntilRetry()).toBe(60_000);
    });
  });

  describe("reset", () => {
    it("closes from any state", () => {
      const breaker = openBreaker();
      const changes = collect(breaker);
      breaker.reset();
      expect(breaker.state).toBe("closed");
      expect(changes.map((c) => c.reason)).toEqual(["reset"]);
      breaker.reset();
      expect(changes).toHaveLength(1); // closed → closed is no change
    });
  });

  describe("toJSON / initialState", () => {
    const roundTrip = (breaker: CircuitBreaker, options: CircuitBreakerOptions = {}): CircuitBreaker =>
      new CircuitBreaker({ ...options, initialState: JSON.parse(JSON.stringify(breaker)) });

    it("carries the window and the consecutive count", () => {
      const breaker = new CircuitBreaker();
      for (const ok of [false, false, false, false, true, false, false, false, false]) {
        if (ok) breaker.recordSuccess();
        else breaker.recordFailure();
      }
      const copy = roundTrip(breaker);
      expect(copy.toJSON()).toEqual(breaker.toJSON());
      expect(copy.toJSON().consecutiveFailures).toBe(4);
      copy.recordFailure();
      expect(copy.state).toBe("open");
    });

    it("carries open with its break and level", () => {
      const breaker = openBreaker();
      vi.advanceTimersByTime(5000);
      breaker.recordFailure(admitted(breaker.tryAcquire()));
      vi.advanceTimersByTime(4000);
      const copy = roundTrip(breaker);
      expect(copy.state).toBe("open");
      expect(copy.tryAcquire()).toEqual({ allowed: false, retryInMs: 6000 });
      vi.advanceTimersByTime(6000);
      copy.recordFailure(admitted(copy.tryAcquire()));
      expect(copy.msUntilRetry()).toBe(20_000);
    });

    it("carries a probe in flight, so a second process does not probe too", () => {
      const breaker = openBreaker();
      vi.advanceTimersByTime(5000);
      admitted(breaker.tryAcquire());
      const copy = roundTrip(breaker);
      expect(copy.state).toBe("half-open");
      expect(copy.tryAcquire()).toEqual({ allowed: false, retryInMs: 60_000 });
      vi.advanceTimersByTime(60_000);
      expect(admitted(copy.tryAcquire()).probe).toBe(true);
    });

    it("carries disabled with its reason", () => {
      const breaker = new CircuitBreaker();
      breaker.disable(10_000, "quota");
      const copy = roundTrip(breaker);
      expect(copy.state).toBe("disabled");
      expect(copy.toJSON()).toEqual(breaker.toJSON());
      expect(copy.msUntilRetry()).toBe(10_000);
    });

    it("drops window buckets that have expired by load time", () => {
      const breaker = new CircuitBreaker();
      breaker.recordFailure();
      const saved = JSON.parse(JSON.stringify(breaker)) as CircuitBreakerSnapshot;
      vi.advanceTimersByTime(40_000);
      expect(new CircuitBreaker({ initialState: saved }).toJSON().window.buckets).toEqual([]);
    });

    it("loads a snapshot taken with another window length", () => {
      const breaker = new CircuitBreaker({ windowMs: 10_000, consecutiveFailures: 100 });
      for (let i = 0; i < 9; i++) {
        breaker.recordFailure();
        vi.advanceTimersByTime(1000);
      }
      const copy = roundTrip(breaker, { windowMs: 60_000, consecutiveFailures: 100 });
      expect(copy.state).toBe("closed");
      copy.recordFailure();
      expect(copy.state).toBe("open");
    });

    it.each<[string, unknown]>([
      ["null", null],
      ["a string", "closed"],
      [
        "another version",
        { version: 2, state: "closed", breakLevel: 0, consecutiveFailures: 0, window: { buckets: [] } },
      ],
      [
        "an unknown state",
        { version: 1, state: "ajar", breakLevel: 0, consecutiveFailures: 0, window: { buckets: [] } },
      ],
      [
        "open without openUntil",
        { version: 1, state: "open", breakLevel: 1, consecutiveFailures: 0, window: { buckets: [] } },
      ],
      [
        "a bad window",
        { version: 1, state: "closed", breakLevel: 0, consecutiveFailures: 0, window: { buckets: [{}] } },
      ],
      [
        "a negative count",
        { version: 1, state: "closed", breakLevel: 0, consecutiveFailures: -1, window: { buckets: [] } },
      ],
    ])("refuses %s as initialState", (_name, value) => {
      expect(CircuitBreaker.isSnapshot(value)).toBe(false);
      expect(() => new CircuitBreaker({ initialState: value as CircuitBreakerSnapshot })).toThrow(TypeError);
    });
  });

  describe("onStateChange", () => {
    it("stops calling a listener once disposed", () => {
      const breaker = new CircuitBreaker();
      const seen: string[] = [];
      const subscription = breaker.onStateChange((c) => seen.push(c.to));
      const other = collect(breaker);
      breaker.disable(1000, "auth");
      subscription.dispose();
      subscription.dispose(); // idempotent
      breaker.reset();
      expect(seen).toEqual(["disabled"]);
      expect(other.map((c) => c.to)).toEqual(["disabled", "closed"]);
    });

    it("calls every listener even if one throws, then rethrows, with the state already changed", () => {
      const breaker = new CircuitBreaker();
      const after = vi.fn();
      breaker.onStateChange(() => {
        throw new Error("listener bug");
      });
      breaker.onStateChange(after);
      expect(() => breaker.disable(1000, "auth")).toThrow("listener bug");
      expect(after).toHaveBeenCalledOnce();
      expect(breaker.state).toBe("disabled");
    });
  });

  describe("options", () => {
    it("uses an injected clock", () => {
      let t = 0;
      const breaker = new CircuitBreaker({ clock: () => t });
      for (let i = 0; i < 5; i++) breaker.recordFailure();
      expect(breaker.toJSON().openUntil).toBe(5000);
      t = 5000;
      expect(admitted(breaker.tryAcquire()).probe).toBe(true);
    });

    it.each<CircuitBreakerOptions>([
      { failureRatio: 0 },
      { failureRatio: 1.5 },
      { minimumThroughput: 0 },
      { minimumThroughput: 2.5 },
      { windowMs: 0 },
      { consecutiveFailures: 0 },
      { halfOpenAfterMs: 0 },
      { halfOpenAfterMs: 10_000, maxHalfOpenAfterMs: 5000 },
      { backoffMultiplier: 0.5 },
      { probeTimeoutMs: Number.POSITIVE_INFINITY },
    ])("rejects %j", (options) => {
      expect(() => new CircuitBreaker(options)).toThrow(RangeError);
    });
  });

  describe("model-based property", () => {
    type Op =
      | { kind: "acquire"; early: boolean }
      | { kind: "report"; pick: number; outcome: "success" | "failure" | "release" }
      | { kind: "advance"; ms: number }
      /** Jump to the end of the current break or probe timeout, give or take 1 ms: the edges. */
      | { kind: "advanceToEdge"; delta: -1 | 0 | 1 }
      | { kind: "disable"; ms: number };

    const op: fc.Arbitrary<Op> = fc.oneof(
      { arbitrary: fc.nat(9).map((n) => ({ kind: "acquire" as const, early: n === 0 })), weight: 5 },
      {
        arbitrary: fc.record({
          kind: fc.constant("report" as const),
          pick: fc.nat(),
          outcome: fc.constantFrom(
            "success" as const,
            "failure" as const,
            "failure" as const,
            "release" as const,
          ),
        }),
        weight: 5,
      },
      {
        arbitrary: fc
          .oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 70_000 }))
          .map((ms) => ({
            kind: "advance" as const,
            ms,
          })),
        weight: 2,
      },
      {
        arbitrary: fc
          .constantFrom(-1 as const, 0 as const, 1 as const)
          .map((delta) => ({ kind: "advanceToEdge" as const, delta })),
        weight: 2,
      },
      {
        arbitrary: fc.integer({ min: 0, max: 30_000 }).map((ms) => ({ kind: "disable" as const, ms })),
        weight: 1,
      },
    );

    const config = fc.record({
      failureRatio: fc.constantFrom(0.25, 0.5, 1),
      minimumThroughput: fc.integer({ min: 1, max: 12 }),
      consecutiveFailures: fc.integer({ min: 1, max: 6 }),
      windowMs: fc.constantFrom(1000, 30_000),
      halfOpenAfterMs: fc.constantFrom(1000, 5000),
      maxHalfOpenAfterMs: fc.constantFrom(5000, 20_000),
      backoffMultiplier: fc.constantFrom(1, 2, 3),
      probeTimeoutMs: fc.constantFrom(3000, 60_000),
    });

    it("keeps its invariants over random sequences of calls, outcomes and time", () => {
      fc.assert(
        fc.property(config, fc.array(op, { maxLength: 200, size: "large" }), (options, ops) => {
          let now = START;
          const breaker = new CircuitBreaker({ ...options, clock: () => now });

          // The model, kept independently of the breaker's own bookkeeping.
          let level = 0; // opens since the last close
          let until = 0; // open/disabled: when the break or the disable period ends
          let probe: { id: number; at: number } | undefined; // the current probe, if any
          let spent = false; // open/disabled: this break's last-resort probe was used
          const outstanding: Array<AdmittedCall & { at: number }> = [];
          const probeLive = () => probe !== undefined && now - probe.at < options.probeTimeoutMs;

          breaker.onStateChange((c) => {
            if (c.to === "closed") {
              level = 0;
              probe = undefined;
            }
            if (c.to === "disabled") spent = c.from === "open" ? spent : c.from === "half-open";
            if (c.to === "open") {
              spent = c.reason === "probe-failed";
              level++;
              const expected = Math.min(
                options.maxHalfOpenAfterMs,
                options.halfOpenAfterMs * options.backoffMultiplier ** (level - 1),
              );
              expect(c.retryInMs).toBe(expected); // the break grows as specified, never past the max
              until = c.at + expected;
            }
          });

          for (const o of ops) {
            const before = breaker.state;
            if (o.kind === "advance") {
              now += o.ms;
            } else if (o.kind === "advanceToEdge") {
              const edge =
                before === "open" || before === "disabled"
                  ? until
                  : probe
                    ? probe.at + options.probeTimeoutMs
                    : now;
              now = Math.max(now, edge + o.delta);
            } else if (o.kind === "disable") {
              until = before === "disabled" ? Math.max(until, now + o.ms) : now + o.ms;
              breaker.disable(o.ms, "test");
              expect(breaker.state).toBe("disabled");
            } else if (o.kind === "acquire") {
              const blocked = (before === "open" || before === "disabled") && now < until;
              // An early probe: inside the break, once per break, never beside a live probe.
              const early = o.early && blocked && !spent && !probeLive();
              const expectAllowed = before === "closed" || early || (!blocked && !probeLive());
              const wait = breaker.msUntilRetry();
              const answer = o.early ? breaker.tryAcquireEarly() : breaker.tryAcquire();
              expect(answer.allowed).toBe(expectAllowed); // open ⇒ refused until the break elapsed
              if (!o.early) expect(wait === 0).toBe(expectAllowed);
              if (answer.allowed) {
                expect(answer.probe).toBe(before !== "closed");
                if (answer.probe) {
                  expect(breaker.state).toBe(early ? before : "half-open");
                  probe = { id: answer.probeId, at: now };
                  if (early) spent = true;
                }
                outstanding.push({ ...answer, at: now });
              } else {
                expect(answer.retryInMs).toBe(Math.max(1, Math.ceil(wait)));
              }
            } else if (outstanding.length > 0) {
              const [call] = outstanding.splice(o.pick % outstanding.length, 1);
              const isCurrent = call!.probe && call!.probeId === probe?.id;
              if (isCurrent) probe = undefined;
              if (o.outcome === "success") breaker.recordSuccess(call);
              else if (o.outcome === "failure") breaker.recordFailure(call);
              else breaker.releaseProbe(call);
              if (isCurrent && before === "half-open") {
                // closed after the probe's success; re-opened after its failure
                const expected = { success: "closed", failure: "open", release: "half-open" }[o.outcome];
                expect(breaker.state).toBe(expected);
              } else if (isCurrent && before !== "closed") {
                // an early probe (or one carried into a disable): success closes, failure re-opens an
                // open circuit, a disabled one stays disabled
                const expected = { success: "closed", failure: before, release: before }[o.outcome];
                expect(breaker.state).toBe(expected);
              } else if (before !== "closed") {
                expect(breaker.state).toBe(before); // stale outcomes never move an open circuit
              }
            }

            // never more than one live probe: admitted, not reported, not timed out
            const live = outstanding.filter((c) => c.probe && now - c.at < options.probeTimeoutMs);
            expect(live.length).toBeLessThanOrEqual(1);
            if (breaker.state === "closed") expect(breaker.msUntilRetry()).toBe(0);
            else expect(breaker.msUntilRetry()).toBeGreaterThanOrEqual(0);

            // the snapshot survives JSON and loads back to the same state
            const snapshot = JSON.parse(JSON.stringify(breaker.toJSON()));
            const copy = new CircuitBreaker({ ...options, clock: () => now, initialState: snapshot });
            expect(copy.toJSON()).toEqual(breaker.toJSON());
            expect(copy.msUntilRetry()).toBe(breaker.msUntilRetry());
          }
        }),
        { numRuns: 400 },
      );
    });
  });
});
