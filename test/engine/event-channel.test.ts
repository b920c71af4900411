import { afterEach, describe, expect, it, vi } from "vitest";
import {
  EventChannel,
  type ListenerErrorHandler,
  warnOncePerListener,
} from "../../src/engine/event-channel.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("EventChannel", () => {
  it("calls every listener in order, and stops after dispose", () => {
    const channel = new EventChannel<number>("onTest", () => warnOncePerListener);
    const seen: string[] = [];
    const a = channel.subscribe((n) => void seen.push(`a${n}`));
    channel.subscribe((n) => void seen.push(`b${n}`));
    channel.emit(1);
    a.dispose();
    channel.emit(2);
    expect(seen).toEqual(["a1", "b1", "b2"]);
  });

  it("a listener subscribed while it wants events makes the channel active only while it does", () => {
    const channel = new EventChannel<number>("onTest", () => warnOncePerListener);
    let wants = false;
    const seen: number[] = [];
    const gated = channel.subscribeWhile(
      (n) => void seen.push(n),
      () => wants,
    );
    expect(channel.active).toBe(false);
    wants = true;
    expect(channel.active).toBe(true);
    wants = false;
    const plain = channel.subscribe(() => {});
    expect(channel.active).toBe(true);
    channel.emit(1); // emitted for another listener: the gated one is called too, and ignores it
    expect(seen).toEqual([1]);
    plain.dispose();
    expect(channel.active).toBe(false);
    gated.dispose();
    wants = true;
    expect(channel.active).toBe(false);
  });

  it("contains a throwing listener and a rejecting one: the others run, emit never throws", async () => {
    const errors: [string, string][] = [];
    const onError: ListenerErrorHandler = (error, { event }) =>
      errors.push([event, (error as Error).message]);
    const channel = new EventChannel<number>("onTest", () => onError);
    const after = vi.fn();
    channel.subscribe(() => {
      throw new Error("sync");
    });
    channel.subscribe(async () => {
      throw new Error("async");
    });
    channel.subscribe(after);
    expect(() => channel.emit(1)).not.toThrow();
    expect(after).toHaveBeenCalledWith(1);
    await tick();
    expect(errors).toEqual([
      ["onTest", "sync"],
      ["onTest", "async"],
    ]);
  });

  it("without a hook: one warning per listener, however many events", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const channel = new EventChannel<number>("onTest", () => warnOncePerListener);
    channel.subscribe(() => {
      throw new Error("first");
    });
    channel.subscribe(async () => Promise.reject(new Error("second")));
    for (let i = 0; i < 5; i++) channel.emit(i);
    await tick();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]?.[0])).toContain("a listener of onTest failed (Error: first)");
  });

  it("a hook that throws falls back to the warning", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const channel = new EventChannel<number>("onTest", () => () => {
      throw new Error("hook");
    });
    channel.subscribe(() => {
      throw new Error("listener");
    });
    expect(() => channel.emit(1)).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
  });
});
