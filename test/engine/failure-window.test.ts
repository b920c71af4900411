import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FailureWindow } from "../../src/engine/failure-window.js";

const T0 = 1_800_000_000_000;

describe("FailureWindow", () => {
  it("counts outcomes inside the window", () => {
    const w = new FailureWindow(30_000);
    w.record(true, T0);
    w.record(false, T0 + 10);
    w.record(false, T0 + 20_000);
    expect(w.counts(T0 + 20_000)).toEqual({ successes: 1, failures: 2 });
  });

  it("drops a bucket once its start is windowMs old", () => {
    const w = new FailureWindow(30_000); // 1500 ms buckets
    w.record(false, T0);
    expect(w.counts(T0 + 29_999).failures).toBe(1);
    expect(w.counts(T0 + 30_000).failures).toBe(0);
  });

  it("forgets everything after a long quiet spell, however few calls came since", () => {
    const w = new FailureWindow(30_000);
    for (let i = 0; i < 20; i++) w.record(false, T0 + i * 1000);
    w.record(true, T0 + 3_600_000);
    expect(w.counts(T0 + 3_600_000)).toEqual({ successes: 1, failures: 0 });
  });

  it("reads a timestamp earlier than one already seen as the latest", () => {
    const w = new FailureWindow(1000);
    w.record(false, T0 + 5000);
    w.record(false, T0); // clock stepped back: counted at T0 + 5000
    expect(w.counts(T0 + 5000).failures).toBe(2);
  });

  it("reset forgets everything", () => {
    const w = new FailureWindow(1000);
    w.record(false, T0);
    w.reset();
    expect(w.counts(T0)).toEqual({ successes: 0, failures: 0 });
  });

  it("round-trips through JSON, also into a window of another length", () => {
    const w = new FailureWindow(30_000);
    for (let i = 0; i < 10; i++) w.record(i % 3 === 0, T0 + i * 2000);
    const now = T0 + 20_000;
    const snapshot = JSON.parse(JSON.stringify(w.toJSON(now)));
    expect(FailureWindow.isSnapshot(snapshot)).toBe(true);
    const same = new FailureWindow(30_000);
    same.load(snapshot, now);
    expect(same.toJSON(now)).toEqual(w.toJSON(now));
    // Saved buckets are 1.5 s wide; only the one starting at T0 + 18 s (a success) starts within
    // the last 5 s (the one at T0 + 15 s starts exactly 5 s ago: out).
    const shorter = new FailureWindow(5000);
    shorter.load(snapshot, now);
    expect(shorter.counts(now)).toEqual({ successes: 1, failures: 0 });
  });

  it.each([null, {}, { buckets: [{ start: 1, successes: -1, failures: 0 }] }, { buckets: [{ start: "x" }] }])(
    "isSnapshot rejects %j",
    (value) => {
      expect(FailureWindow.isSnapshot(value)).toBe(false);
    },
  );

  it("rejects a window length that is not a finite number > 0", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new FailureWindow(bad)).toThrow(RangeError);
    }
  });

  it("property: counts exactly the outcomes whose bucket started within the window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.array(fc.tuple(fc.nat(5000), fc.boolean()), { maxLength: 200 }),
        (windowMs, steps) => {
          const w = new FailureWindow(windowMs);
          const bucketMs = Math.max(1, Math.floor(windowMs / 20));
          const seen: Array<{ at: number; ok: boolean }> = [];
          let now = T0;
          for (const [dt, ok] of steps) {
            now += dt;
            w.record(ok, now);
            seen.push({ at: now, ok });
            const inWindow = seen.filter((s) => Math.floor(s.at / bucketMs) * bucketMs > now - windowMs);
            const expected = {
              successes: inWindow.filter((s) => s.ok).length,
              failures: inWindow.filter((s) => !s.ok).length,
            };
            expect(w.counts(now)).toEqual(expected);
            // and nothing older than the window ever counts
            expect(inWindow.every((s) => s.at > now - windowMs - bucketMs)).toBe(true);
          }
        },
      ),
    );
  });
});
