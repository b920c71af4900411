import { describe, expect, it } from "vitest";
import type { CircuitStateChange } from "../../src/engine/circuit-breaker.js";
import {
  type Admission,
  type FailureReport,
  ModelHealth,
  type Ticket,
} from "../../src/engine/model-health.js";
import { defaultFailureActions, type FailureClass } from "../../src/errors/failure-class.js";
import type { HealthLink, HealthSignal } from "../../src/state/health-link.js";
import { createInMemoryHealthStore } from "../../src/state/health-state.js";

const T0 = Date.parse("2026-12-01T12:00:00Z");

const make = () => {
  const cell = createInMemoryHealthStore().cell({ provider: "p", model: "m" });
  return { cell, health: new ModelHealth("m", cell, {}, () => {}) };
};

const ticket = (admission: Admission): Ticket => {
  if (!admission.admitted) throw new Error(`refused: ${JSON.stringify(admission.outage)}`);
  return admission.ticket;
};

const report = (failureClass: FailureClass, retryAfterMs?: number): FailureReport => ({
  failureClass,
  action: defaultFailureActions[failureClass],
  retryAfterMs,
  status: failureClass === "rate_limited" ? 429 : 503,
  stoppedByCall: false,
  disableForMs: 300_000,
  maxCoolingMs: 60_000,
});

describe("ModelHealth: cooling", () => {
  it("cools for the stated wait; at its end calls flow again without a probe", () => {
    const { health } = make();
    health.fail(ticket(health.admit(false, T0)), report("rate_limited", 30_000), T0);
    expect(health.outage(T0 + 1)).toEqual({ reason: "cooling", retryInMs: 29_999 });
    expect(health.admit(false, T0 + 29_999)).toEqual({
      admitted: false,
      outage: { reason: "cooling", retryInMs: 1 },
    });
    const a = ticket(health.admit(false, T0 + 30_000));
    const b = ticket(health.admit(false, T0 + 30_000));
    expect([a.coolingProbe, b.coolingProbe]).toEqual([undefined, undefined]);
  });

  it("a 429 with no stated wait cools 1 s", () => {
    const { health } = make();
    health.fail(ticket(health.admit(false, T0)), report("rate_limited"), T0);
    expect(health.outage(T0)).toEqual({ reason: "cooling", retryInMs: 1_000 });
  });

  it("a stated wait beyond maxCoolingMs cools that long, then exactly one probe; its success ends the cooling", () => {
    const { health } = make();
    health.fail(ticket(health.admit(false, T0)), report("rate_limited", 86_400_000), T0);
    expect(health.health("p", T0)).toMatchObject({
      unavailable: "cooling",
      retryInMs: 60_000,
      cooling: { retryInMs: 60_000, capped: true, status: 429 },
    });
    const probe = ticket(health.admit(false, T0 + 60_000));
    expect(probe.coolingProbe).toBeDefined();
    expect(health.admit(false, T0 + 60_001)).toMatchObject({
      admitted: false,
      outage: { reason: "cooling" },
    });
    health.succeed(probe, T0 + 60_100);
    expect(health.outage(T0 + 60_100)).toBeUndefined();
    expect(health.health("p", T0 + 60_100).cooling).toBeUndefined();
  });

  it("the probe rate limited again starts a new capped cooling; a released probe lets the next call probe", () => {
    const { health } = make();
    health.fail(ticket(health.admit(false, T0)), report("rate_limited", 86_400_000), T0);
    const probe = ticket(health.admit(false, T0 + 60_000));
    health.fail(probe, report("rate_limited", 86_400_000), T0 + 60_010);
    expect(health.outage(T0 + 60_010)).toEqual({ reason: "cooling", retryInMs: 60_000 });
    const second = ticket(health.admit(false, T0 + 120_010));
    health.release(second, T0 + 120_020);
    expect(ticket(health.admit(false, T0 + 120_020)).coolingProbe).toBeDefined();
  });

  it("any other answer from the probe ends the cooling (the breaker takes the rest)", () => {
    const { health } = make();
    health.fail(ticket(health.admit(false, T0)), report("rate_limited", 86_400_000), T0);
    health.fail(ticket(health.admit(false, T0 + 60_000)), report("server_error"), T0 + 60_010);
    expect(health.outage(T0 + 60_010)).toBeUndefined();
  });

  it("a later cooling is never shortened by a shorter one, nor ended by a success sent before it", () => {
    const { health } = make();
    const a = ticket(health.admit(false, T0));
    const b = ticket(health.admit(false, T0));
    const c = ticket(health.admit(false, T0));
    health.fail(a, report("rate_limited", 20_000), T0);
    health.fail(b, report("rate_limited", 2_000), T0 + 10);
    expect(health.outage(T0 + 10)).toEqual({ reason: "cooling", retryInMs: 19_990 });
    // c was in flight when the provider said to wait: its success does not end the stated wait.
    health.succeed(c, T0 + 20);
    expect(health.outage(T0 + 20)).toEqual({ reason: "cooling", retryInMs: 19_980 });
  });

  it("a success sent before a capped cooling, back after its 60 s, does not skip the cooling's one probe", () => {
    const { health } = make();
    const stale = ticket(health.admit(false, T0));
    health.fail(ticket(health.admit(false, T0)), report("rate_limited", 86_400_000), T0 + 1);
    health.succeed(stale, T0 + 70_000);
    expect(ticket(health.admit(false, T0 + 70_001)).coolingProbe).toBeDefined();
    expect(health.admit(false, T0 + 70_002)).toMatchObject({
      admitted: false,
      outage: { reason: "cooling" },
    });
  });

  it("two clients on one health cell: a timed-out probe of one, back late, does not end the other's probe", () => {
    const cell = createInMemoryHealthStore().cell({ provider: "p", model: "m" });
    const a = new ModelHealth("m", cell, {}, () => {});
    const b = new ModelHealth("m", cell, {}, () => {});
    a.fail(ticket(a.admit(false, T0)), report("rate_limited", 86_400_000), T0);
    const late = ticket(b.admit(false, T0 + 60_000));
    // b's probe is out for longer than the probe timeout (60 s): a sends the next probe.
    const current = ticket(a.admit(false, T0 + 120_001));
    expect([late.coolingProbe, current.coolingProbe].every(Boolean)).toBe(true);
    b.succeed(late, T0 + 120_002);
    expect(a.admit(false, T0 + 120_003)).toMatchObject({ admitted: false, outage: { reason: "cooling" } });
    a.succeed(current, T0 + 120_004);
    expect(a.outage(T0 + 120_004)).toBeUndefined();
  });

  it("no last-resort probe inside a cooling window", () => {
    const { health } = make();
    for (let i = 0; i < 5; i++) health.fail(ticket(health.admit(false, T0)), report("server_error"), T0);
    expect(health.lastResortAvailable(T0)).toBe(true);
    const late = ticket({
      admitted: true,
      ticket: { model: "m", breaker: { allowed: true, probe: false }, coolingProbe: undefined },
    });
    health.fail(late, report("rate_limited", 2_000), T0);
    expect(health.lastResortAvailable(T0 + 1)).toBe(false);
    expect(health.admit(true, T0 + 1)).toMatchObject({ admitted: false, outage: { reason: "cooling" } });
    expect(health.lastResortAvailable(T0 + 2_000)).toBe(true);
  });
});

/** The store's side of a link, as a shared store would hold it: records what the engine tells the fleet. */
const linked = () => {
  const cell = createInMemoryHealthStore().cell({ provider: "p", model: "m" });
  const changes: CircuitStateChange[] = [];
  const health = new ModelHealth("m", cell, { halfOpenAfterMs: 5_000 }, (change) => changes.push(change));
  const signals: HealthSignal[] = [];
  const link: HealthLink = {
    publish: (signal) => signals.push(signal),
    want: () => {},
    view: () => ({ instance: "me", store: "available", syncedAgoMs: 0, probe: undefined }),
  };
  health.connect(link);
  return { cell, health, signals, changes };
};

describe("ModelHealth: fleet (a shared store)", () => {
  it("shares strong signals only: an opening, a stated wait, a disable, a probe and its success; failures in a row as strikes", () => {
    const { health, signals } = linked();
    for (let i = 0; i < 4; i++) health.fail(ticket(health.admit(false, T0)), report("server_error"), T0);
    expect(signals.map((s) => s.type)).toEqual(["failure", "failure", "failure", "failure"]);
    expect(signals[0]).toEqual({ type: "failure", threshold: 5, breakMs: 5_000, windowMs: 30_000 });
    signals.length = 0;
    health.fail(ticket(health.admit(false, T0)), report("server_error"), T0);
    expect(signals).toEqual([
      {
        type: "open",
        until: T0 + 5_000,
        breakLevel: 1,
        reason: "consecutive-failures",
        lastResortSpent: false,
      },
    ]);
    signals.length = 0;
    const probe = ticket(health.admit(false, T0 + 5_000));
    expect(signals).toEqual([{ type: "probe", until: T0 + 65_000 }]);
    health.succeed(probe, T0 + 5_100);
    expect(signals.slice(1).map((s) => s.type)).toEqual(["close", "success"]);
    signals.length = 0;
    // A bare 429 (no stated wait) stays local; a stated one is shared.
    health.fail(ticket(health.admit(false, T0 + 6_000)), report("rate_limited"), T0 + 6_000);
    expect(signals).toEqual([]);
    health.fail(ticket(health.admit(false, T0 + 8_000)), report("rate_limited", 20_000), T0 + 8_000);
    expect(signals).toEqual([{ type: "cool", until: T0 + 28_000, capped: false, status: 429 }]);
  });

  it("applies the fleet's open breaker through its own transition: skipped at once, event with its origin", () => {
    const { health, changes } = linked();
    health.applyShared(
      {
        breaker: {
          state: "open",
          until: T0 + 4_000,
          breakLevel: 2,
          reason: "probe-failed",
          status: undefined,
          lastResortSpent: true,
          setBy: "pod-b",
        },
      },
      T0,
    );
    expect(health.outage(T0)).toEqual({ reason: "breaker-open", retryInMs: 4_000 });
    expect(changes).toEqual([
      {
        from: "closed",
        to: "open",
        reason: "probe-failed",
        at: T0,
        retryInMs: 4_000,
        origin: { source: "shared", instance: "pod-b" },
      },
    ]);
    expect(health.health("p", T0)).toMatchObject({ origin: { source: "shared", instance: "pod-b" } });
    // A shorter break from the fleet never shortens the one in force.
    health.applyShared(
      {
        breaker: {
          state: "open",
          until: T0 + 1_000,
          breakLevel: 1,
          reason: "consecutive-failures",
          status: undefined,
          lastResortSpent: false,
          setBy: "pod-c",
        },
      },
      T0,
    );
    expect(health.outage(T0)?.retryInMs).toBe(4_000);
    expect(health.lastResortAvailable(T0)).toBe(false);
  });

  it("a probe lease held elsewhere keeps the half-open probe away; the fleet's close resets the local history", () => {
    const { cell, health, signals } = linked();
    for (let i = 0; i < 5; i++) health.fail(ticket(health.admit(false, T0)), report("server_error"), T0);
    cell.lease = { holder: "other", instance: "pod-b", until: T0 + 6_000 };
    expect(health.admit(false, T0 + 5_000)).toEqual({
      admitted: false,
      outage: { reason: "breaker-open", retryInMs: 1_000 },
    });
    signals.length = 0;
    health.applyShared({ breaker: { state: "closed", setBy: "pod-b" } }, T0 + 5_500);
    expect(health.state).toBe("closed");
    expect(signals).toEqual([]);
    // Four more failures do not reopen it: the five before the close were forgotten.
    for (let i = 0; i < 4; i++)
      health.fail(ticket(health.admit(false, T0 + 6_000)), report("server_error"), T0 + 6_000);
    expect(health.state).toBe("closed");
    // Once the lease has expired (its holder is gone), the probe is local again.
    delete cell.lease;
    health.fail(ticket(health.admit(false, T0 + 6_000)), report("server_error"), T0 + 6_000);
    expect(ticket(health.admit(false, T0 + 11_000)).breaker).toMatchObject({ probe: true });
  });

  it("the fleet's cooling keeps the later end, and its origin; a success in flight when it arrived does not end it", () => {
    const { health, signals } = linked();
    health.applyShared(
      { cooling: { state: "cooling", until: T0 + 10_000, capped: false, status: 429, setBy: "pod-b" } },
      T0,
    );
    health.applyShared(
      { cooling: { state: "cooling", until: T0 + 2_000, capped: false, status: 429, setBy: "pod-c" } },
      T0,
    );
    expect(health.health("p", T0).cooling).toEqual({
      retryInMs: 10_000,
      capped: false,
      status: 429,
      origin: { source: "shared", instance: "pod-b" },
    });
    const late = ticket({
      admitted: true,
      ticket: { model: "m", breaker: { allowed: true, probe: false }, coolingProbe: undefined },
    });
    // A call sent before this instance learnt of the wait: it comes back fine, the wait stands.
    health.succeed(late, T0 + 1);
    expect(health.outage(T0 + 1)).toEqual({ reason: "cooling", retryInMs: 9_999 });
    expect(health.health("p", T0 + 1).cooling?.origin).toEqual({ source: "shared", instance: "pod-b" });
    expect(signals).toEqual([{ type: "success" }]);
  });
});
