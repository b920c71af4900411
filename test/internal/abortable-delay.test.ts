import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { delay } from "../../src/internal/abortable-delay.js";

const abortListeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

describe("delay", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("resolves after the given time and not before", async () => {
    let done = false;
    const p = delay(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("removes its abort listener when the timer fires", async () => {
    const controller = new AbortController();
    const p = delay(500, controller.signal);
    expect(abortListeners(controller.signal)).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    await expect(p).resolves.toBeUndefined();
    expect(abortListeners(controller.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with signal.reason at once when aborted, clearing its timer and listener", async () => {
    const controller = new AbortController();
    const p = delay(60_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    const reason = new Error("caller gave up");
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it("rejects with the default AbortError reason when aborted without one", async () => {
    const controller = new AbortController();
    const p = delay(1000, controller.signal);
    controller.abort();
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects at once without a timer or listener when the signal is already aborted", async () => {
    const reason = new Error("already");
    const signal = AbortSignal.abort(reason);
    await expect(delay(1000, signal)).rejects.toBe(reason);
    expect(abortListeners(signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with a non-Error reason as given", async () => {
    const controller = new AbortController();
    const p = delay(1000, controller.signal);
    controller.abort("stop");
    await expect(p).rejects.toBe("stop");
  });

  it("does not leak listeners on a long-lived signal across many delays", async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) {
      const p = delay(10, controller.signal);
      await vi.advanceTimersByTimeAsync(10);
      await p;
    }
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it("aborting one of several concurrent delays leaves the others' listeners alone", async () => {
    const shared = new AbortController();
    const a = delay(100, shared.signal);
    const b = delay(200, shared.signal);
    expect(abortListeners(shared.signal)).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    await a;
    expect(abortListeners(shared.signal)).toBe(1);
    shared.abort(new Error("x"));
    await expect(b).rejects.toThrow("x");
    expect(abortListeners(shared.signal)).toBe(0);
  });

  it("treats negative and NaN delays as 0", async () => {
    const a = delay(-5);
    const b = delay(Number.NaN);
    await vi.advanceTimersByTimeAsync(0);
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
  });

  it("clamps delays beyond setTimeout's range instead of firing at once", async () => {
    let done = false;
    void delay(Number.POSITIVE_INFINITY).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(done).toBe(false);
    vi.clearAllTimers();
  });
});
