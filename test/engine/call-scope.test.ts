import { afterEach, describe, expect, it, vi } from "vitest";
import { CallScope } from "../../src/engine/call-scope.js";
import { DeadlineExceeded } from "../../src/engine/deadline.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("CallScope", () => {
  it("stops every follower once, with the reason, when the caller's signal aborts", () => {
    const caller = new AbortController();
    const scope = new CallScope(60_000, caller.signal);
    const a = vi.fn();
    const b = vi.fn();
    scope.follow(a);
    scope.follow(b);
    caller.abort("caller's reason");
    scope.abort("later");
    expect(a).toHaveBeenCalledExactlyOnceWith("caller's reason");
    expect(b).toHaveBeenCalledExactlyOnceWith("caller's reason");
    expect(scope.stoppedByCaller).toBe(true);
    scope.dispose();
  });

  it("stops its followers at the total deadline, with a DeadlineExceeded", () => {
    vi.useFakeTimers();
    const scope = new CallScope(1_000, undefined);
    const stop = vi.fn();
    scope.follow(stop);
    vi.advanceTimersByTime(999);
    expect(stop).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(stop.mock.calls[0]?.[0]).toBeInstanceOf(DeadlineExceeded);
    expect(scope.deadlinePassed?.kind).toBe("total");
    scope.dispose();
  });

  it("stops a follower that comes after the abort at once; one that stopped following is left alone", () => {
    const scope = new CallScope(60_000, undefined);
    const left = vi.fn();
    const unfollow = scope.follow(left);
    // A follower that unfollows another while the abort is delivered does not skip anybody.
    const third = vi.fn();
    scope.follow(() => unfollow());
    scope.follow(third);
    unfollow();
    scope.abort("stop");
    expect(left).not.toHaveBeenCalled();
    expect(third).toHaveBeenCalledExactlyOnceWith("stop");
    const late = vi.fn();
    scope.follow(late)();
    expect(late).toHaveBeenCalledExactlyOnceWith("stop");
    expect(scope.signal.reason).toBe("stop");
    scope.dispose();
  });

  it("an aborted caller's signal stops the scope before anything follows it", () => {
    const scope = new CallScope(60_000, AbortSignal.abort("already"));
    const stop = vi.fn();
    scope.follow(stop);
    expect(stop).toHaveBeenCalledExactlyOnceWith("already");
    scope.dispose();
  });
});
