/**
 * Clients of one fleet in one process, each with its own Redis connection and `redisStore`, against
 * a real redis-server: what the fleet decides, as each instance's engine applies it (breakers,
 * `health()`, requests sent). The processes of a real fleet are in fleet.test.ts; the store's
 * protocol alone in test/state/redis-store.test.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { getFailoverInfo } from "../../src/compat/openai/index.js";
import { createClient, type FailoverClient } from "../../src/index.js";
import { healthKeyId } from "../../src/state/health-backend.js";
import { createRedisBackend } from "../../src/state/redis/redis-backend.js";
import { connectionFor } from "../../src/state/redis/redis-connection.js";
import { redisStore } from "../../src/state/redis/redis-store.js";
import type { SharedHealthStore } from "../../src/state/shared-health-store.js";
import { faults } from "../../src/testing/index.js";
import {
  type DropInMocks,
  sdks,
  startDropInMocks,
  userMessage,
  wrappedClient,
} from "../compat/openai/drop-in-fixture.js";
import { type ConnectedRedis, connectRedis, waitFor } from "../helpers/redis-clients.js";
import { describeWithRedis, type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";

const messages = [{ role: "user" as const, content: "hi" }];
const dead = { type: "fail", failureClass: "server_error", status: 503 } as const;

/** A store of the fleet and its own Redis connection (closed after each test). */
interface StoreOf {
  redis: ConnectedRedis;
  store: SharedHealthStore;
}

interface Instance extends StoreOf {
  name: string;
  client: FailoverClient;
  /** This instance's view of the primary (its requests are counted here). */
  primary: ScriptedAdapter;
}

let server: RedisServer;
let mocks: DropInMocks;
let prefixSeq = 0;
let prefix: string;
let stores: StoreOf[];

describeWithRedis("a fleet in one process (a real redis-server)", () => {
  beforeAll(async () => {
    server = await startRedisServer();
    mocks = await startDropInMocks();
  });
  afterAll(async () => {
    await server?.stop();
    await mocks?.close();
  });
  beforeEach(() => {
    stores = [];
    prefix = `f${++prefixSeq}:`;
    mocks.reset();
  });
  afterEach(async () => {
    for (const { store, redis } of stores) {
      await store.close();
      await redis.close();
    }
  });

  /** A store of the fleet named `name`, not synced yet. */
  const openStore = async (name: string): Promise<StoreOf> => {
    const redis = await connectRedis("node-redis", server.url);
    const store = redisStore({
      client: redis.client,
      keyPrefix: prefix,
      instance: name,
      syncIntervalMs: 100,
    });
    stores.push({ redis, store });
    return { redis, store };
  };

  /** A new instance, returned once its store has synced with Redis (and before any call). */
  const start = async (name: string): Promise<Instance> => {
    const { redis, store } = await openStore(name);
    const primary = new ScriptedAdapter("primary");
    const client = createClient({
      providers: [primary, new ScriptedAdapter("backup")],
      store,
      // One request per call and a long break: every request to the primary is counted by hand.
      retry: { maxRetries: 0 },
      breaker: { halfOpenAfterMs: 30_000 },
    });
    const instance = { name, redis, store, client, primary };
    await waitFor(() => store.status === "available");
    return instance;
  };

  const primaryHealth = (instance: Instance) =>
    instance.client.health().find((h) => h.provider === "primary");

  /** The fleet's record of the primary (or of `provider`'s `model`), straight from Redis. */
  const fleetRecord = async (
    redis: ConnectedRedis,
    provider = "primary",
    model = "primary-model",
  ): Promise<Record<string, any>> => {
    const client = redis.client as { sendCommand(args: string[]): Promise<unknown> };
    const field = `r:${healthKeyId(provider, model)}`;
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

  it("a new drop-in instance knows the fleet's open breaker of the model its calls name (no provider's default) from its first calls", async () => {
    // pod-a's OpenAI answers 503: five calls for gpt-4.1 open its breaker fleet-wide.
    const a = await openStore("pod-a");
    const openaiA = wrappedClient(mocks, sdks[0]!, { store: a.store });
    await waitFor(() => a.store.status === "available");
    mocks.openai.setDefault(faults.serverError());
    for (let i = 0; i < 5; i++) {
      const completion = await openaiA.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
      expect(getFailoverInfo(completion)?.provider).toBe("anthropic");
    }
    await eventually(
      async () => (await fleetRecord(a.redis, "openai", "gpt-4.1")).b?.s === "open",
      "pod-a's opening of gpt-4.1 in Redis",
    );

    // pod-c starts during the outage (OpenAI now a black hole): synced, no call made yet.
    mocks.openai.setDefault(faults.blackHole());
    const sent = mocks.openai.callCount;
    const c = await openStore("pod-c");
    const openaiC = wrappedClient(mocks, sdks[0]!, { store: c.store });
    await waitFor(() => c.store.status === "available");
    const started = Date.now();
    const completions = await Promise.all(
      Array.from({ length: 5 }, () =>
        openaiC.chat.completions.create({ model: "gpt-4.1", messages: userMessage() }),
      ),
    );
    expect(completions.map((completion) => getFailoverInfo(completion)?.provider)).toEqual(
      Array(5).fill("anthropic"),
    );
    expect(mocks.openai.callCount).toBe(sent); // nothing sent into the outage
    expect(Date.now() - started).toBeLessThan(500); // none waited headersMs (500 ms) on the black hole
  });

  it("a new instance while the fleet's break has elapsed and another instance's probe is out: it waits for that probe", async () => {
    // The fleet's record as pod-a leaves it: a 100 ms break, then pod-a's probe (its lease, 30 s).
    const writer = await connectRedis("node-redis", server.url);
    try {
      const backend = createRedisBackend(connectionFor(writer.client), prefix);
      const k = healthKeyId("primary", "primary-model");
      await backend.exchange(
        {
          instance: "pod-a",
          generation: "gen-test",
          ops: [
            { op: "open", k, state: "open", ms: 100, level: 1, reason: "consecutive-failures" },
            { op: "claim", k, ms: 30_000 },
          ],
        },
        new AbortController().signal,
      );
    } finally {
      await writer.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // the break elapses; the record stays open

    const c = await start("pod-c"); // synced, and no call made yet
    c.primary.always(dead);
    for (let i = 0; i < 3; i++) expect((await c.client.chat({ messages })).provider).toBe("backup");
    expect(c.primary.calls).toBe(0); // no request beside pod-a's probe
    expect(primaryHealth(c)).toMatchObject({
      unavailable: "breaker-open",
      origin: { source: "shared", instance: "pod-a" },
      fleet: { probe: { instance: "pod-a", self: false } },
    });
  });
});
