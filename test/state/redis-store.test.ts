/**
 * `redisStore` against a real redis-server, through both clients (node-redis 6 and ioredis 6, with
 * their default settings): what two instances share and how (atomic max, one probe lease, fleet
 * strikes, durations on the server's clock), and what a Redis that dies, restarts empty or stops
 * answering costs (nothing on the engine's side: `publish` never waits or throws; the store reports
 * typed errors, gives up on an exchange after its timeout and rebuilds the shared state afterwards).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { healthKeyId } from "../../src/state/health-backend.js";
import type { HealthLink, HealthPeer, SharedHealthUpdate } from "../../src/state/health-link.js";
import { redisStore } from "../../src/state/redis/redis-store.js";
import type { SharedHealthStore } from "../../src/state/shared-health-store.js";
import type { StoreErrorEvent } from "../../src/state/store-events.js";
import { type ConnectedRedis, connectRedis, redisClientKinds, waitFor } from "../helpers/redis-clients.js";
import { describeWithRedis, pingRedis, type RedisServer, startRedisServer } from "../helpers/redis-server.js";

const key = { provider: "openai", model: "gpt-4.1" };

/** One instance of the fleet: a store on its own client, with the engine's side recorded. */
interface Instance {
  name: string;
  redis: ConnectedRedis;
  store: SharedHealthStore;
  link: HealthLink;
  updates: SharedHealthUpdate[];
  errors: StoreErrorEvent[];
}

let server: RedisServer;
let prefixSeq = 0;
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

describeWithRedis("redisStore (a real redis-server)", () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const kind of redisClientKinds) {
    describe(`through ${kind}`, () => {
      let instances: Instance[];
      let prefix: string;

      const start = async (name: string, syncIntervalMs = 100): Promise<Instance> => {
        const redis = await connectRedis(kind, server.url);
        const store = redisStore({ client: redis.client, keyPrefix: prefix, instance: name, syncIntervalMs });
        const updates: SharedHealthUpdate[] = [];
        const errors: StoreErrorEvent[] = [];
        store.onError((event) => errors.push(event));
        const peer: HealthPeer = { applyShared: (update) => updates.push(update) };
        const instance = { name, redis, store, link: store.link(key, peer), updates, errors };
        instances.push(instance);
        await waitFor(() => store.status === "available");
        return instance;
      };

      beforeEach(() => {
        instances = [];
        prefix = `t${++prefixSeq}:`;
        unhandled = [];
        process.on("unhandledRejection", onUnhandled);
      });
      afterEach(async () => {
        // A test that failed half-way may leave the server paused or dead: the next one gets it back.
        server.resume();
        if (!(await pingRedis(server.port, 500))) await server.restart();
        for (const { store, redis } of instances) {
          await store.close();
          await redis.close();
        }
        process.off("unhandledRejection", onUnhandled);
        expect(unhandled).toEqual([]);
      });

      it("an open breaker and a stated cooling reach the other instance in milliseconds, as durations", async () => {
        const a = await start("pod-a");
        const b = await start("pod-b");
        const now = Date.now();
        a.link.publish(
          {
            type: "open",
            until: now + 5_000,
            breakLevel: 1,
            reason: "consecutive-failures",
            lastResortSpent: false,
          },
          now,
        );
        const tookMs = await waitFor(() => b.updates.some((u) => u.breaker?.state === "open"));
        expect(tookMs).toBeLessThan(1_000);
        const opened = b.updates.find((u) => u.breaker)!.breaker!;
        expect(opened).toMatchObject({ state: "open", breakLevel: 1, setBy: "pod-a" });
        // The server's clock measured the break: only the time in transit blurs it.
        expect(Math.abs((opened as { until: number }).until - (now + 5_000))).toBeLessThan(200);
        // As the engine does: it cools, and tells the fleet.
        const coolUntil = Date.now() + 3_000;
        b.store.cell(key).cooling = { state: "cooling", until: coolUntil, capped: false, status: 429 };
        b.link.publish({ type: "cool", until: coolUntil, capped: false, status: 429 }, Date.now());
        await waitFor(() => a.updates.some((u) => u.cooling?.state === "cooling"));
        expect(a.updates.find((u) => u.cooling)!.cooling).toMatchObject({ status: 429, setBy: "pod-b" });
        expect(b.updates.some((u) => u.cooling)).toBe(false); // its own change is not applied back
      });

      it("a later, longer deadline is never shortened by a shorter one (atomic max on the server)", async () => {
        const a = await start("pod-a");
        const b = await start("pod-b");
        const now = Date.now();
        // As the engine does: its breaker opens, then it tells the fleet.
        a.store.cell(key).breaker = {
          state: "open",
          until: now + 10_000,
          breakLevel: 2,
          lastResortSpent: false,
        };
        a.link.publish(
          {
            type: "open",
            until: now + 10_000,
            breakLevel: 2,
            reason: "probe-failed",
            lastResortSpent: false,
          },
          now,
        );
        a.store.cell(key).cooling = { state: "cooling", until: now + 8_000, capped: false, status: 429 };
        a.link.publish({ type: "cool", until: now + 8_000, capped: false, status: 429 }, now);
        await waitFor(() => b.updates.some((u) => u.breaker) && b.updates.some((u) => u.cooling));
        b.link.publish(
          {
            type: "open",
            until: Date.now() + 2_000,
            breakLevel: 1,
            reason: "consecutive-failures",
            lastResortSpent: false,
          },
          Date.now(),
        );
        b.link.publish({ type: "cool", until: Date.now() + 1_000, capped: false, status: 429 }, Date.now());
        await new Promise((resolve) => setTimeout(resolve, 300));
        const raw = await readRecord(a.redis, prefix);
        expect(raw.b).toMatchObject({ s: "open", l: 2, by: "pod-a", r: "probe-failed" });
        expect(raw.c).toMatchObject({ s: "cooling", by: "pod-a" });
        expect(raw.b.u - raw.at).toBeGreaterThan(9_000);
        expect(a.updates).toEqual([]); // nothing from B ever reached A: B's writes changed nothing
      });

      it("one probe per fleet: exactly one instance holds the lease; only its holder releases it", async () => {
        const instancesThatWant = await Promise.all(["pod-a", "pod-b", "pod-c"].map((n) => start(n, 50)));
        const breakEnd = Date.now() + 150;
        // pod-a's breaker opened (it lets the others probe first), and the fleet learnt it.
        instancesThatWant[0]!.link.publish(
          {
            type: "open",
            until: breakEnd,
            breakLevel: 1,
            reason: "consecutive-failures",
            lastResortSpent: false,
          },
          Date.now(),
        );
        for (const instance of instancesThatWant) {
          instance.store.cell(key).breaker = {
            state: "open",
            until: breakEnd,
            breakLevel: 1,
            lastResortSpent: false,
          };
          instance.link.want(Date.now());
        }
        await waitFor(
          () =>
            instancesThatWant.every(
              (i) =>
                i.store.cell(key).lease?.holder === "self" || i.store.cell(key).lease?.holder === "other",
            ),
          2_000,
          "every instance knows who holds the lease",
        );
        const holders = instancesThatWant.filter((i) => i.store.cell(key).lease?.holder === "self");
        expect(holders).toHaveLength(1);
        const holder = holders[0]!;
        expect(holder.name).not.toBe("pod-a");
        const others = instancesThatWant.filter((i) => i !== holder);
        for (const other of others)
          expect(other.store.cell(key).lease).toMatchObject({ holder: "other", instance: holder.name });
        // A non-holder cannot release it (compare-and-delete): its release is not even sent.
        others[0]!.link.publish({ type: "probe-released" }, Date.now());
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await readRecord(holder.redis, prefix)).l).toMatchObject({ o: holder.name });
        // The holder's probe succeeds: the breaker closes fleet-wide and the lease is gone.
        holder.link.publish({ type: "close" }, Date.now());
        // (The engine's breakers close on that; here, by hand.)
        for (const i of instancesThatWant) i.store.cell(key).breaker = { state: "closed" };
        await waitFor(
          () => others.every((o) => o.updates.some((u) => u.breaker?.state === "closed")),
          2_000,
          `the others see the close: ${JSON.stringify(others.map((o) => o.updates))}`,
        );
        await waitFor(() => others.every((o) => o.store.cell(key).lease === undefined), 2_000, "lease gone");
        expect((await readRecord(holder.redis, prefix)).l).toBeUndefined();
      });

      it("failures in a row add up across instances and open the breaker fleet-wide; a success anywhere restarts the count", async () => {
        const a = await start("pod-a");
        const b = await start("pod-b");
        const failure = { type: "failure", threshold: 5, breakMs: 4_000, windowMs: 30_000 } as const;
        for (let i = 0; i < 3; i++) a.link.publish(failure, Date.now());
        // The streak's start is pushed, so that a success anywhere knows to restart the count.
        await waitFor(() => b.store.stats().pushed > 0);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await readRecord(a.redis, prefix)).s).toMatchObject({ n: 3 });
        b.link.publish({ type: "success" }, Date.now());
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await readRecord(a.redis, prefix)).s).toBeUndefined();
        for (let i = 0; i < 2; i++) a.link.publish(failure, Date.now());
        for (let i = 0; i < 3; i++) b.link.publish(failure, Date.now());
        await waitFor(
          () =>
            a.updates.some((u) => u.breaker?.state === "open") ||
            b.updates.some((u) => u.breaker?.state === "open"),
        );
        const raw = await readRecord(a.redis, prefix);
        expect(raw.b).toMatchObject({ s: "open", l: 1, r: "consecutive-failures" });
        expect(raw.b.u - raw.b.at).toBe(4_000);
      });

      it("Redis killed, then restarted empty: publishing never waits or throws, errors are events, the shared state is rebuilt", async () => {
        const a = await start("pod-a");
        const b = await start("pod-b");
        await server.kill();
        const now = Date.now();
        const exchangesBefore = a.store.stats().exchanges;
        a.store.cell(key).breaker = {
          state: "open",
          until: now + 20_000,
          breakLevel: 1,
          lastResortSpent: false,
        };
        a.link.publish(
          {
            type: "open",
            until: now + 20_000,
            breakLevel: 1,
            reason: "consecutive-failures",
            lastResortSpent: false,
          },
          now,
        );
        // publish() returned without touching Redis (it returns nothing to wait on, and threw nothing):
        // the write goes out in the background.
        expect(a.store.stats().exchanges).toBe(exchangesBefore);
        await waitFor(() => a.errors.some((e) => e.operation === "sync") && a.store.status === "unavailable");
        expect(a.errors.find((e) => e.operation === "sync")).toMatchObject({
          instance: "pod-a",
          consecutiveFailures: 1,
        });
        await server.restart();
        await waitFor(() => b.updates.some((u) => u.breaker?.state === "open"), 10_000);
        expect(b.updates.find((u) => u.breaker)!.breaker).toMatchObject({ state: "open", setBy: "pod-a" });
        await waitFor(() => a.store.status === "available" && b.store.status === "available", 10_000);
        expect(a.store.stats().resyncs + b.store.stats().resyncs).toBeGreaterThanOrEqual(1);
      });

      it("Redis black-holed (SIGSTOP): exchanges give up after their timeout; writes made meanwhile arrive when it answers again", async () => {
        const a = await start("pod-a");
        const b = await start("pod-b");
        server.pause();
        try {
          await waitFor(
            () => a.errors.some((e) => /StoreTimeoutError|has not answered/.test(e.message)),
            5_000,
          );
          const now = Date.now();
          a.link.publish(
            {
              type: "open",
              until: now + 20_000,
              breakLevel: 1,
              reason: "failure-ratio",
              lastResortSpent: false,
            },
            now,
          );
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          expect(a.store.status).toBe("unavailable");
          // Backing off: a handful of attempts in a second, not one per poll.
          expect(a.errors.length).toBeLessThan(10);
        } finally {
          server.resume();
        }
        await waitFor(() => b.updates.some((u) => u.breaker?.state === "open"), 10_000);
        expect(b.updates.find((u) => u.breaker)!.breaker).toMatchObject({
          reason: "failure-ratio",
          setBy: "pod-a",
        });
      });
    });
  }

  it("a node-redis instance and an ioredis instance share one fleet", async () => {
    const prefix = `mixed${++prefixSeq}:`;
    const one = await connectRedis("node-redis", server.url);
    const two = await connectRedis("ioredis", server.url);
    const a = redisStore({ client: one.client, keyPrefix: prefix, instance: "node-redis-pod" });
    const b = redisStore({ client: two.client, keyPrefix: prefix, instance: "ioredis-pod" });
    const seen: SharedHealthUpdate[] = [];
    const linkA = a.link(key, { applyShared: () => {} });
    b.link(key, { applyShared: (update) => seen.push(update) });
    try {
      await waitFor(() => a.status === "available" && b.status === "available");
      linkA.publish(
        {
          type: "disable",
          until: Date.now() + 60_000,
          breakLevel: 0,
          reason: "auth",
          status: 401,
          lastResortSpent: false,
        },
        Date.now(),
      );
      await waitFor(() => seen.some((u) => u.breaker?.state === "disabled"));
      expect(seen[0]!.breaker).toMatchObject({
        state: "disabled",
        reason: "auth",
        status: 401,
        setBy: "node-redis-pod",
      });
    } finally {
      await a.close();
      await b.close();
      await one.close();
      await two.close();
    }
  });
});

/** The raw record of `key` in Redis, with the server's time at reading (`at`). */
const readRecord = async (redis: ConnectedRedis, prefix: string) => {
  const client = redis.client as {
    sendCommand?: (a: string[]) => Promise<unknown>;
    call?: (...a: string[]) => Promise<unknown>;
  };
  const send = (args: string[]) => (client.call ? client.call(...args) : client.sendCommand!(args));
  const raw = (await send(["HGET", `${prefix}health`, `r:${healthKeyId(key.provider, key.model)}`])) as
    | string
    | null;
  const [seconds, micros] = (await send(["TIME"])) as [string, string];
  const at = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
  return { ...(raw ? JSON.parse(raw) : {}), at } as Record<string, any> & { at: number };
};
