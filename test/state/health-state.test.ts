import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../src/engine/circuit-breaker.js";
import { createInMemoryHealthStore } from "../../src/state/health-state.js";

describe("createInMemoryHealthStore", () => {
  it("gives one cell per (provider, model), closed and not cooling, the same object every time", () => {
    const store = createInMemoryHealthStore();
    const cell = store.cell({ provider: "openai", model: "gpt-4.1" });
    expect(cell).toEqual({ breaker: { state: "closed" }, cooling: { state: "none" } });
    expect(store.cell({ provider: "openai", model: "gpt-4.1" })).toBe(cell);
    expect(store.cell({ provider: "openai", model: "gpt-4.1-mini" })).not.toBe(cell);
    expect(store.cell({ provider: "openai\u0000gpt", model: "4.1" })).not.toBe(cell);
  });

  it("is the seam a shared store sits behind: a breaker's mode lives in the cell, its counting does not", () => {
    const store = createInMemoryHealthStore();
    const key = { provider: "openai", model: "gpt-4.1" };
    const here = new CircuitBreaker({ cell: store.cell(key), clock: () => 1_000 });
    // Another breaker over the same cell (another instance reading the same shared record).
    const there = new CircuitBreaker({ cell: store.cell(key), clock: () => 1_000 });
    for (let i = 0; i < 5; i++) here.recordFailure();
    expect(store.cell(key).breaker).toEqual({
      state: "open",
      until: 6_000,
      breakLevel: 1,
      lastResortSpent: false,
    });
    expect(there.state).toBe("open");
    expect(there.tryAcquire()).toEqual({ allowed: false, retryInMs: 5_000 });
    // The run of failures that opened it stayed with the breaker that saw them.
    expect(there.toJSON().consecutiveFailures).toBe(0);
    expect(here.toJSON().consecutiveFailures).toBe(5);
  });
});
