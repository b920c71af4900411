/**
 * The shared store's sync loop, with fake timers and a scripted backend: when writes go out, what
 * they carry, how the probe lease is claimed ahead, and what a backend that refuses or never answers
 * costs (nothing on the engine's side; bounded work and memory on the store's). The Redis backend
 * itself is tested against a real server in redis-store.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { healthKeyId } from "../../src/state/health-backend.js";
import type { HealthPeer, SharedHealthUpdate } from "../../src/state/health-link.js";
import { createSharedHealthStore, type SharedHealthStore } from "../../src/state/shared-health-store.js";
import type { StoreErrorEvent } from "../../src/state/store-events.js";
import { ScriptedBackend } from "../helpers/scripted-backend.js";

const T0 = Date.parse("2026-12-01T12:00:00Z");
const key = { provider: "openai", model: "gpt-4.1" };
const id = healthKeyId(key.provider, key.model);

let backend: ScriptedBackend;
let store: SharedHealthStore;
let updates: SharedHealthUpdate[];
let errors: StoreErrorEvent[];
const peer: HealthPeer = { applyShared: (update) => updates.push(update) };

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  backend = new ScriptedBackend();
  store = createSharedHealthStore(backend, { instance: "me", syncIntervalMs: 250, timeoutMs: 50 });
  updates = [];
  errors = [];
  store.onError((event) => errors.push(event));
});

afterEach(async () => {
  await store.close();
  vi.useRealTimers();
});

const open = (until: number) =>
  ({ type: "open", until, breakLevel: 1, reason: "consecutive-failures", lastResortSpent: false }) as const;

describe("createSharedHealthStore: writes", () => {
  it("a signal is written in the background right after the call that raised it, never during it", async () => {
    const link = store.link(key, peer);
    await vi.advanceTimersByTimeAsync(1); // the first sync (learning the fleet's state)
    const before = backend.requests.length;
    link.publish(open(T0 + 5_000), Date.now());
    expect(backend.requests.length).toBe(before);
    await vi.advanceTimersByTimeAsync(0);
    expect(backend.requests.length).toBe(before + 1);
    expect(backend.requests.at(-1)).toMatchObject({
      instance: "me",
      ops: [{ op: "open", k: id, state: "open", ms: 4_999, level: 1, reason: "consecutive-failures" }],
    });
  });

  it("a write that waited for the backend is sent as what is left of it, never longer", async () => {
    backend.mode = "refuse";
    const link = store.link(key, peer);
    await vi.advanceTimersByTimeAsync(1);
    link.publish(open(Date.now() + 5_000), Date.now());
    link.publish({ type: "cool", until: Date.now() + 2_000, capped: false, status: 429 }, Date.now());
    await vi.advanceTimersByTimeAsync(3_000);
    backend.mode = "answer";
    const sent = backend.requests.length;
    await vi.advanceTimersByTimeAsync(6_000);
    const ops = backend.requests.slice(sent).flatMap((r) => r.ops);
    const opened = ops.find((op) => op.op === "open");
    expect(opened?.op === "open" && opened.ms).toBeLessThanOrEqual(2_000);
    // The cooling ended while the backend was down: not sent at all.
    expect(ops.some((op) => op.op === "cool")).toBe(false);
  });

  it("a backend that refuses: no call waits, errors are typed events, attempts back off to maxBackoffMs", async () => {
    backend.mode = "refuse";
    const link = store.link(key, peer);
    for (let s = 0; s < 60; s++) {
      link.publish({ type: "failure", threshold: 5, breakMs: 5_000, windowMs: 30_000 }, Date.now());
      await vi.advanceTimersByTimeAsync(1_000);
    }
    // 60 s: 250 ms, 500 ms, 1 s, 2 s, 4 s, then every 5 s (±25 % jitter): about 17 attempts, not 240.
    expect(backend.requests.length).toBeGreaterThan(8);
    expect(backend.requests.length).toBeLessThan(25);
    expect(store.status).toBe("unavailable");
    expect(errors[0]).toMatchObject({
      instance: "me",
      operation: "sync",
      message: "Error: connect ECONNREFUSED 127.0.0.1:6379",
      consecutiveFailures: 1,
    });
    expect(errors.at(-1)!.retryInMs).toBeLessThanOrEqual(6_250);
    // Sixty failures while it was down are one write: the count, not a queue.
    backend.mode = "answer";
    await vi.advanceTimersByTimeAsync(6_000);
    expect(backend.requests.at(-1)?.ops.filter((op) => op.op === "strike")).toEqual([]);
    const strikes = backend.requests
      .filter((r) => r.ops.length > 0)
      .at(-1)
      ?.ops.filter((op) => op.op === "strike");
    expect(strikes).toEqual([{ op: "strike", k: id, n: 60, threshold: 5, ms: 5_000, windowMs: 30_000 }]);
    expect(store.status).toBe("available");
  });

  it("a backend that never answers (black hole): each exchange is given up after timeoutMs, at most two are ever left hanging", async () => {
    backend.mode = "hang";
    const link = store.link(key, peer);
    for (let s = 0; s < 30; s++) {
      link.publish(open(Date.now() + 60_000), Date.now());
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(backend.unsettled).toBe(2);
    expect(errors.map((e) => e.message)).toContain("StoreTimeoutError: no answer within 50 ms");
    expect(errors.at(-1)!.message).toMatch(/has not answered 2 exchanges/);
  });
});

describe("createSharedHealthStore: reading the fleet", () => {
  const fleetOpen = (leftMs: number, setBy: string, version = 1) => ({
    breaker: {
      state: "open" as const,
      leftMs,
      level: 1,
      reason: "consecutive-failures",
      lastResortSpent: false,
      setBy,
      version,
    },
  });

  it("applies a change made elsewhere once (by version), converted to this clock; ignores its own", async () => {
    store.link(key, peer);
    backend.records = { [id]: fleetOpen(5_000, "pod-b") };
    await vi.advanceTimersByTimeAsync(1);
    expect(updates).toEqual([
      {
        breaker: {
          state: "open",
          until: T0 + 5_000,
          breakLevel: 1,
          reason: "consecutive-failures",
          status: undefined,
          lastResortSpent: false,
          setBy: "pod-b",
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(1_000); // four more polls, same version
    expect(updates).toHaveLength(1);
    backend.pushChange("pod-c", { [id]: { breaker: { state: "closed", setBy: "pod-c", version: 2 } } });
    expect(updates.at(-1)).toEqual({ breaker: { state: "closed", setBy: "pod-c" } });
    // Its own opening, already in its breaker (the engine opens it, then publishes).
    store.cell(key).breaker = {
      state: "open",
      until: Date.now() + 5_000,
      breakLevel: 1,
      lastResortSpent: false,
    };
    backend.records = { [id]: fleetOpen(5_000, "me", 3) };
    await vi.advanceTimersByTimeAsync(250);
    expect(updates).toHaveLength(2);
  });

  it("an opening recorded as its own that its breaker does not know (its strike tipped the fleet's count): applied, with the fleet's break", async () => {
    store.link(key, peer);
    backend.records = { [id]: fleetOpen(4_000, "me") };
    await vi.advanceTimersByTimeAsync(1);
    expect(updates).toEqual([
      { breaker: expect.objectContaining({ state: "open", until: T0 + 4_000, setBy: "me" }) },
    ]);
  });

  it("a key registered before any engine health is linked: the fleet's state still in force is given to the first one linked", async () => {
    store.cell(key); // registered at createClient; its first call has not come yet
    backend.records = {
      [id]: {
        ...fleetOpen(5_000, "pod-b"),
        cooling: { state: "cooling", leftMs: 400, capped: false, status: 429, setBy: "pod-c", version: 2 },
      },
    };
    await vi.advanceTimersByTimeAsync(1); // the first sync, without a call
    await vi.advanceTimersByTimeAsync(500); // the cooling ends meanwhile, the break does not
    store.link(key, peer);
    expect(updates).toEqual([
      { breaker: expect.objectContaining({ state: "open", until: T0 + 5_000, setBy: "pod-b" }) },
    ]);
    const second: SharedHealthUpdate[] = [];
    store.link(key, { applyShared: (update) => second.push(update) });
    expect(second).toEqual([]); // a later peer shares the cell the first keeps
  });

  it("a key registered before any engine health: a held break that has elapsed is still given (the fleet's probe is out)", async () => {
    store.cell(key);
    backend.records = {
      [id]: { ...fleetOpen(-1_000, "pod-b"), lease: { holder: "pod-b", leftMs: 30_000 } },
    };
    await vi.advanceTimersByTimeAsync(1);
    store.link(key, peer);
    // The engine's breaker goes half-open and waits for pod-b's probe, instead of staying closed.
    expect(updates).toEqual([
      { breaker: expect.objectContaining({ state: "open", until: T0 - 1_000, setBy: "pod-b" }) },
    ]);
    expect(store.cell(key).lease).toEqual({ holder: "other", instance: "pod-b", until: T0 + 30_000 });
  });

  it("a key first used after syncs (a model named per call): the last snapshot's record seeds it, as of when it came", async () => {
    const other = { provider: "openai", model: "gpt-4.1-mini" };
    const otherId = healthKeyId(other.provider, other.model);
    backend.records = {
      [id]: { ...fleetOpen(5_000, "pod-b"), lease: { holder: "pod-b", leftMs: 8_000 }, strikes: 0 },
      [otherId]: fleetOpen(5_000, "pod-b"),
    };
    await vi.advanceTimersByTimeAsync(1); // synced at T0: no entry knows either key
    backend.records = { [id]: backend.records[id]! }; // gpt-4.1-mini's record is gone from the fleet
    await vi.advanceTimersByTimeAsync(250); // synced again at T0 + 250
    await vi.advanceTimersByTimeAsync(100);
    store.link(key, peer); // its first call, between two syncs: no wait for the backend
    expect(updates).toEqual([
      { breaker: expect.objectContaining({ state: "open", until: T0 + 250 + 5_000, setBy: "pod-b" }) },
    ]);
    expect(store.cell(key).lease).toMatchObject({ holder: "other", until: T0 + 250 + 8_000 });
    // Only what the last snapshot returned is kept.
    const second: SharedHealthUpdate[] = [];
    store.link(other, { applyShared: (update) => second.push(update) });
    expect(second).toEqual([]);
  });

  it("a key first used after a pushed change: the push seeds it too", async () => {
    await vi.advanceTimersByTimeAsync(1);
    backend.pushChange("pod-b", { [id]: fleetOpen(5_000, "pod-b", 4) });
    await vi.advanceTimersByTimeAsync(100);
    store.link(key, peer);
    expect(updates).toEqual([
      { breaker: expect.objectContaining({ state: "open", until: T0 + 1 + 5_000, setBy: "pod-b" }) },
    ]);
  });

  it("a cooling recorded as its own that its cell does not know (a restarted process of the same name): applied", async () => {
    store.link(key, peer);
    const ownCooling = (version: number) => ({
      cooling: {
        state: "cooling" as const,
        leftMs: 30_000,
        capped: false,
        status: 429,
        setBy: "me",
        version,
      },
    });
    backend.records = { [id]: ownCooling(1) };
    await vi.advanceTimersByTimeAsync(1);
    expect(updates).toEqual([
      {
        cooling: { state: "cooling", until: T0 + 30_000, capped: false, status: 429, setBy: "me" },
      },
    ]);
    // One its cell has (it cooled, then published): not applied again.
    store.cell(key).cooling = { state: "cooling", until: Date.now() + 30_000, capped: false, status: 429 };
    backend.records = { [id]: ownCooling(2) };
    await vi.advanceTimersByTimeAsync(250);
    expect(updates).toHaveLength(1);
  });

  it("claims the fleet's probe two sync intervals before the break ends, only while calls want the provider", async () => {
    const link = store.link(key, peer);
    const cell = store.cell(key);
    cell.breaker = { state: "open", until: T0 + 5_000, breakLevel: 1, lastResortSpent: false };
    await vi.advanceTimersByTimeAsync(4_500);
    expect(backend.ops.filter((op) => op.op === "claim")).toEqual([]); // nobody wanted it
    link.want(Date.now());
    await vi.advanceTimersByTimeAsync(250);
    const claims = backend.ops.filter((op) => op.op === "claim");
    expect(claims).toHaveLength(1);
    // Held until 1 s (four intervals) after the break ends; the probe extends it.
    expect(claims[0]).toMatchObject({ op: "claim", k: id });
    expect((claims[0] as { ms: number }).ms).toBeGreaterThan(1_000);
    expect((claims[0] as { ms: number }).ms).toBeLessThanOrEqual(1_500);
  });

  it("lets the others probe first a break it set itself, for one interval after its end", async () => {
    const link = store.link(key, peer);
    const cell = store.cell(key);
    cell.breaker = { state: "open", until: T0 + 1_000, breakLevel: 1, lastResortSpent: false };
    backend.records = { [id]: fleetOpen(1_000, "me") };
    const claimTimes: number[] = [];
    const exchange = backend.exchange.bind(backend);
    backend.exchange = (request) => {
      if (request.ops.some((op) => op.op === "claim")) claimTimes.push(Date.now());
      return exchange(request);
    };
    link.want(T0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(backend.ops.filter((op) => op.op === "claim")).toEqual([]);
    // Meanwhile no probe goes from here: the lease is "pending".
    expect(cell.lease).toMatchObject({ holder: "pending", until: T0 + 1_250 });
    link.want(Date.now());
    await vi.advanceTimersByTimeAsync(500);
    const firstClaim = backend.requests.findIndex((r) => r.ops.some((op) => op.op === "claim"));
    expect(firstClaim).toBeGreaterThan(-1);
    // The first claim went out at the first poll after the break's end plus one interval.
    expect(backend.ops.filter((op) => op.op === "claim").length).toBeGreaterThan(0);
    expect(claimTimes[0]).toBe(T0 + 1_250);
  });

  it("shows who holds the probe, and the store's state, in the fleet view", async () => {
    const link = store.link(key, peer);
    backend.records = { [id]: { ...fleetOpen(1_000, "pod-b"), lease: { holder: "pod-b", leftMs: 2_000 } } };
    await vi.advanceTimersByTimeAsync(1);
    expect(store.cell(key).lease).toEqual({ holder: "other", instance: "pod-b", until: T0 + 2_000 });
    expect(link.view(T0 + 1)).toEqual({
      instance: "me",
      store: "available",
      syncedAgoMs: 1,
      probe: { instance: "pod-b", self: false },
    });
  });

  it("an open this instance set, refuted by another instance's probe: its breaker evidence stays local until its own success", async () => {
    const link = store.link(key, peer);
    backend.records = { [id]: fleetOpen(5_000, "me") };
    await vi.advanceTimersByTimeAsync(1);
    backend.records = { [id]: { breaker: { state: "closed", setBy: "pod-b", version: 2 } } };
    await vi.advanceTimersByTimeAsync(250);
    const sent = backend.ops.length;
    link.publish({ type: "failure", threshold: 5, breakMs: 5_000, windowMs: 30_000 }, Date.now());
    link.publish(open(Date.now() + 5_000), Date.now());
    await vi.advanceTimersByTimeAsync(500);
    expect(backend.ops.slice(sent)).toEqual([]);
    // Its own success: its evidence counts again.
    link.publish({ type: "success" }, Date.now());
    link.publish(open(Date.now() + 5_000), Date.now());
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.ops.slice(sent).map((op) => op.op)).toEqual(["open"]);
  });

  it("the backend lost its data (a new generation): publishes the local state again", async () => {
    const link = store.link(key, peer);
    await vi.advanceTimersByTimeAsync(1);
    link.publish(open(Date.now() + 30_000), Date.now());
    // The engine's own cell holds the open breaker (the engine writes it; here by hand).
    store.cell(key).breaker = {
      state: "open",
      until: Date.now() + 30_000,
      breakLevel: 1,
      lastResortSpent: false,
    };
    await vi.advanceTimersByTimeAsync(1);
    backend.generation = "gen-2";
    const sent = backend.requests.length;
    await vi.advanceTimersByTimeAsync(300);
    expect(store.stats().resyncs).toBe(1);
    const reopened = backend.requests
      .slice(sent)
      .flatMap((r) => r.ops)
      .find((op) => op.op === "open");
    expect(reopened).toMatchObject({ op: "open", k: id, state: "open", level: 1 });
  });

  it("a slow backend (answers after timeoutMs): the exchange counts as failed, yet its late reply still brings the fleet's news", async () => {
    store.link(key, peer);
    await vi.advanceTimersByTimeAsync(1);
    backend.mode = "hold";
    await vi.advanceTimersByTimeAsync(250); // the next poll goes out and is held
    await vi.advanceTimersByTimeAsync(60); // past timeoutMs: given up, one failure (retried at once)
    expect(errors.map((e) => e.message)).toEqual(["StoreTimeoutError: no answer within 50 ms"]);
    expect(store.status).toBe("available"); // one late answer on a busy machine is not an outage
    // Meanwhile another instance opened the breaker; the slow answers arrive.
    backend.records = { [id]: fleetOpen(5_000, "pod-b") };
    const releasedAt = Date.now();
    backend.release();
    await vi.advanceTimersByTimeAsync(1);
    expect(updates).toMatchObject([
      { breaker: { state: "open", setBy: "pod-b", until: releasedAt + 5_000 } },
    ]);
    expect(store.stats().lastSyncAt).toBe(releasedAt);
  });

  it("closed while an exchange is in flight: its late reply changes nothing (no fleet change applied, no event, no resync)", async () => {
    const statuses: string[] = [];
    store.onStatusChange((event) => statuses.push(`${event.from} → ${event.to}`));
    store.link(key, peer);
    await vi.advanceTimersByTimeAsync(1);
    expect(statuses).toEqual(["connecting → available"]);
    backend.mode = "hold";
    await vi.advanceTimersByTimeAsync(250); // the next poll goes out and is held
    expect(backend.holding).toBe(1);
    const before = store.stats();
    await store.close();
    // Meanwhile another instance opened the breaker, and Redis restarted empty (a new generation).
    backend.records = { [id]: fleetOpen(5_000, "pod-b") };
    backend.generation = "gen-2";
    backend.release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(updates).toEqual([]);
    expect(statuses).toEqual(["connecting → available"]);
    expect(errors).toEqual([]);
    expect(store.stats()).toEqual(before);
    expect(backend.requests).toHaveLength(2); // nothing was sent after close
  });

  it("closed while an exchange is in flight: its timeout and its late failure are no events either", async () => {
    const statuses: string[] = [];
    store.onStatusChange((event) => statuses.push(`${event.from} → ${event.to}`));
    store.link(key, peer);
    await vi.advanceTimersByTimeAsync(1);
    backend.mode = "hold";
    await vi.advanceTimersByTimeAsync(250);
    await store.close();
    await vi.advanceTimersByTimeAsync(100); // past timeoutMs
    backend.release(new Error("connect ECONNREFUSED 127.0.0.1:6379"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(statuses).toEqual(["connecting → available"]);
    expect(store.status).toBe("available");
    expect(errors).toEqual([]);
    expect(store.stats().failures).toBe(0);
    expect(backend.requests).toHaveLength(2);
  });

  it("without an onError listener: one warning per outage, not one per attempt", async () => {
    const warnings: string[] = [];
    // Caught where the library emits them, so the suite's output stays quiet.
    const warn = vi.spyOn(process, "emitWarning").mockImplementation((warning) => {
      warnings.push(String(warning));
    });
    try {
      const quiet = createSharedHealthStore(backend, { instance: "quiet" });
      backend.mode = "refuse";
      await vi.advanceTimersByTimeAsync(20_000);
      backend.mode = "answer";
      await vi.advanceTimersByTimeAsync(10_000);
      backend.mode = "refuse";
      await vi.advanceTimersByTimeAsync(10_000);
      await quiet.close();
    } finally {
      warn.mockRestore();
    }
    expect(warnings.filter((w) => w.includes("cannot reach its backend"))).toHaveLength(2);
  });
});
