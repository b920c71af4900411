import { describe, expect, it } from "vitest";
import {
  type Admission,
  type FailureReport,
  ModelHealth,
  type Ticket,
} from "../../src/engine/model-health.js";
import { defaultFailureActions, type FailureClass } from "../../src/errors/failure-class.js";
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

  it("a later cooling is never shortened by a shorter one; a success ends any", () => {
    const { health } = make();
    const a = ticket(health.admit(false, T0));
    const b = ticket(health.admit(false, T0));
    const c = ticket(health.admit(false, T0));
    health.fail(a, report("rate_limited", 20_000), T0);
    health.fail(b, report("rate_limited", 2_000), T0 + 10);
    expect(health.outage(T0 + 10)).toEqual({ reason: "cooling", retryInMs: 19_990 });
    health.succeed(c, T0 + 20);
    expect(health.outage(T0 + 20)).toBeUndefined();
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
