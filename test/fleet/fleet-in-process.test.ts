/**
 * Clients of one fleet in one process, each with its own Redis connection and `redisStore`, against
 * a real redis-server: what the fleet decides, as each instance's engine applies it (breakers,
 * `health()`, requests sent). The processes of a real fleet are in fleet.test.ts; the store's
 * protocol alone in test/state/redis-store.test.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { createClient, type FailoverClient } from "../../src/index.js";
import { healthKeyId } from "../../src/state/health-backend.js";
import { redisStore } from "../../src/state/redis/redis-store.js";
import type { SharedHealthStore } from "../../src/state/shared-health-store.js";
import { type ConnectedRedis, connectRedis, waitFor } from "../helpers/redis-clients.js";
import { describeWithRedis, type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";

const messages = [{ role: "user" as const, content: "hi" }];
const dead = { type: "fail", failureClass: "server_error", status: 503 } as const;

interface Instance {
  name: string;
  redis: ConnectedRedis;
  store: SharedHealthStore;
  client: FailoverClient;
  /** This instance's view of the primary (its requests are counted here). */
  primary: ScriptedAdapter;
}

let server: RedisServer;
let prefixSeq = 0;
let prefix: string;
let instances: Instance[];

describeWithRedis("a fleet in one process (a real redis-server)", () => {
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    instances = [];
    prefix = `f${++prefixSeq}:`;
  });
  afterEach(async () => {
    for (const { store, redis } of instances) {
      await store.close();
      await redis.close();
    }
  });

  /** A new instance, returned once its store has synced with Redis (and before any call). */
  const start = async (name: string): Promise<Instance> => {
    const redis = await connectRedis("node-redis", server.url);
    const store = redisStore({
      client: redis.client,
      keyPrefix: prefix,
      instance: name,
      syncIntervalMs: 100,
    });
    const primary = new ScriptedAdapter("primary");
    const client = createClient({
      providers: [primary, new ScriptedAdapter("backup")],
      store,
      // One request per call and a long break: every request to the primary is counted by hand.
      retry: { maxRetries: 0 },
      breaker: { halfOpenAfterMs: 30_000 },
    });
    const instance = { name, redis, store, client, primary };
    instances.push(instance);
    await waitFor(() => store.status === "available");
    return instance;
  };

  const primaryHealth = (instance: Instance) =>
    instance.client.health().find((h) => h.provider === "primary");

  /** The fleet's record of the primary, straight from Redis. */
  const fleetRecord = async (redis: ConnectedRedis): Promise<Record<string, any>> => {
    const client = redis.client as { sendCommand(args: string[]): Promise<unknown> };
    const field = `r:${healthKeyId("primary", "primary-model")}`;
    const raw = (await client.sendCommand(["HGET", `${prefix}health`, field])) as string | null;
    return raw ? JSON.parse(raw) : {};
  };

  const eventually = async (check: () => Promise<boolean>, what: string): Promise<void> => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > 2_000) throw new Error(`not within 2 s: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it("the instance whose failure takes the fleet's failures in a row to the threshold opens its breaker too, with the fleet's break", async () => {
    const a = await start("pod-a");
    const b = await start("pod-b");
    a.primary.always(dead);
    b.primary.always(dead);
    for (let i = 0; i < 4; i++) expect((await b.client.chat({ messages })).provider).toBe("backup");
    await eventually(async () => (await fleetRecord(b.redis)).s?.n === 4, "B's 4 strikes in Redis");
    expect(primaryHealth(b)?.state).toBe("closed"); // 4 failures: not enough on their own
    // A's one failure is the fleet's fifth: the breaker opens fleet-wide, recorded as set by A.
    await a.client.chat({ messages });
    await eventually(async () => (await fleetRecord(a.redis)).b?.s === "open", "the fleet's opening");
    expect((await fleetRecord(a.redis)).b).toMatchObject({ by: "pod-a", r: "consecutive-failures" });
    await waitFor(() => primaryHealth(a)?.state === "open" && primaryHealth(b)?.state === "open");
    for (const instance of [a, b]) {
      expect(primaryHealth(instance)).toMatchObject({
        unavailable: "breaker-open",
        origin: { source: "shared", instance: "pod-a" },
      });
    }
    // The same break on both: the fleet's, not a local one.
    const left = [a, b].map((instance) => primaryHealth(instance)!.retryInMs);
    for (const ms of left) expect(ms).toBeGreaterThan(29_000);
    expect(Math.abs(left[0]! - left[1]!)).toBeLessThan(500);
    const sent = a.primary.calls + b.primary.calls;
    for (let i = 0; i < 5; i++) {
      expect((await a.client.chat({ messages })).provider).toBe("backup");
      expect((await b.client.chat({ messages })).provider).toBe("backup");
    }
    expect(a.primary.calls + b.primary.calls).toBe(sent); // nothing more to the dead provider
  });

  it("a new instance knows the fleet's open breaker from its first calls, once its store has synced", async () => {
    const a = await start("pod-a");
    a.primary.always(dead);
    for (let i = 0; i < 5; i++) await a.client.chat({ messages });
    expect(primaryHealth(a)?.state).toBe("open");
    await eventually(async () => (await fleetRecord(a.redis)).b?.s === "open", "A's opening in Redis");

    const c = await start("pod-c"); // synced, and no call made yet
    c.primary.always(dead);
    const changes: unknown[] = [];
    c.client.onBreakerStateChange((change) => changes.push(change));
    const results = await Promise.all(Array.from({ length: 5 }, () => c.client.chat({ messages })));
    expect(results.map((result) => result.provider)).toEqual(Array(5).fill("backup"));
    expect(c.primary.calls).toBe(0);
    expect(primaryHealth(c)).toMatchObject({
      state: "open",
      origin: { source: "shared", instance: "pod-a" },
    });
    // The fleet's change, not the doing of the call that found it.
    expect(changes).toEqual([
      expect.objectContaining({
        callId: undefined,
        to: "open",
        origin: { source: "shared", instance: "pod-a" },
      }),
    ]);
  });
});
