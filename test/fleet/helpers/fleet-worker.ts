/**
 * One instance of a fleet, in a process of its own (`node --import tsx fleet-worker.ts`, forked by
 * fleet.ts): a real client (`openai()` first, `anthropic()` as the fallback, real SDKs over HTTP to
 * the mock servers of the test process), optionally with a `redisStore` on its own Redis client.
 * Driven over IPC: `setup`, `load`, `health`, `events`, `stats`, `exit`.
 *
 * `clockSkewMs` moves this process's `Date.now()` (what the engine and the store read) to fake an
 * instance whose clock is off; timers are not affected, as on a real machine with a wrong clock.
 */
import { performance } from "node:perf_hooks";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { anthropic, createClient, type FailoverClient, openai } from "../../../src/index.js";
import { redisStore } from "../../../src/state/redis/redis-store.js";
import type { SharedHealthStore } from "../../../src/state/shared-health-store.js";
import { type ConnectedRedis, connectRedis, type RedisClientKind } from "../../helpers/redis-clients.js";

const realNow = Date.now.bind(Date);
let skewMs = 0;
Date.now = () => realNow() + skewMs;

export interface WorkerSetup {
  instance: string;
  clockSkewMs?: number;
  primaryBaseURL: string;
  fallbackBaseURL: string;
  /** The shared store; without it, the in-memory default (each process alone). */
  redis?: {
    url: string;
    client: RedisClientKind;
    keyPrefix: string;
    syncIntervalMs?: number;
    pubsub?: boolean;
  };
  breaker?: { halfOpenAfterMs?: number; consecutiveFailures?: number; maxHalfOpenAfterMs?: number };
}

export interface LoadRequest {
  /** Calls per lane; lanes run side by side, each one call at a time. */
  calls: number;
  /** Or: each lane calls until this much time has passed. */
  durationMs?: number;
  lanes: number;
  /** Pause between two calls of a lane. */
  gapMs: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  failures: string[];
  byProvider: Record<string, number>;
  /** Per call: start (epoch ms, real clock), latency (ms), provider. */
  calls: { at: number; ms: number; provider: string }[];
}

export interface BreakerEventRecord {
  at: number;
  provider: string;
  from: string;
  to: string;
  reason: string;
  origin: string | undefined;
}

type Command =
  | { cmd: "setup"; args: WorkerSetup }
  | { cmd: "load"; args: LoadRequest }
  | { cmd: "health" }
  | { cmd: "events" }
  | { cmd: "stats" }
  | { cmd: "exit" };

let client: FailoverClient | undefined;
let store: SharedHealthStore | undefined;
let redis: ConnectedRedis | undefined;
let events: BreakerEventRecord[] = [];
let storeErrors = 0;
/** Unhandled rejections in this process (there must be none: a store error is never a rejection). */
const unhandled: string[] = [];
process.on("unhandledRejection", (reason) => unhandled.push(String(reason)));

const teardown = async (): Promise<void> => {
  await store?.close();
  await redis?.close();
  store = undefined;
  redis = undefined;
  client = undefined;
};

const setup = async (args: WorkerSetup): Promise<{ instance: string }> => {
  await teardown();
  skewMs = args.clockSkewMs ?? 0;
  events = [];
  storeErrors = 0;
  if (args.redis) {
    redis = await connectRedis(args.redis.client, args.redis.url);
    store = redisStore({
      client: redis.client,
      keyPrefix: args.redis.keyPrefix,
      instance: args.instance,
      ...(args.redis.syncIntervalMs !== undefined ? { syncIntervalMs: args.redis.syncIntervalMs } : {}),
      ...(args.redis.pubsub !== undefined ? { pubsub: args.redis.pubsub } : {}),
    });
    store.onError(() => storeErrors++);
  }
  client = createClient({
    providers: [
      {
        provider: openai({
          client: new OpenAI({ apiKey: "sk-test-fleet", baseURL: args.primaryBaseURL }),
          model: "gpt-4.1",
        }),
        policy: { deadlines: { headersMs: 1_000, firstContentMs: 2_000, idleMs: 1_000 } },
      },
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-test-fleet", baseURL: args.fallbackBaseURL }),
        model: "claude-sonnet-4-6",
      }),
    ],
    ...(args.breaker ? { breaker: args.breaker } : {}),
    ...(store ? { store } : {}),
  });
  client.onBreakerStateChange((e) =>
    events.push({
      at: realNow(),
      provider: e.provider,
      from: e.from,
      to: e.to,
      reason: e.reason,
      origin: e.origin?.instance,
    }),
  );
  if (store) {
    const started = realNow();
    while (store.status !== "available" && realNow() - started < 5_000)
      await new Promise((resolve) => setTimeout(resolve, 5));
    // An instance without its store would act alone and pass for a library bug.
    if (store.status !== "available")
      throw new Error(`${args.instance}: the store is ${store.status} 5 s after setup`);
  }
  return { instance: args.instance };
};

const load = async ({ calls, lanes, gapMs, durationMs }: LoadRequest): Promise<LoadResult> => {
  const result: LoadResult = { ok: 0, failed: 0, failures: [], byProvider: {}, calls: [] };
  const started = realNow();
  const more = (i: number) => (durationMs === undefined ? i < calls : realNow() - started < durationMs);
  const lane = async (): Promise<void> => {
    for (let i = 0; more(i); i++) {
      const at = realNow();
      const began = performance.now();
      try {
        const reply = await client!.chat({
          messages: [{ role: "user", content: "fleet drill" }],
          maxTokens: 16,
        });
        result.ok++;
        result.byProvider[reply.provider] = (result.byProvider[reply.provider] ?? 0) + 1;
        result.calls.push({ at, ms: performance.now() - began, provider: reply.provider });
      } catch (error) {
        result.failed++;
        result.failures.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return result;
};

const handle = async (message: Command): Promise<unknown> => {
  switch (message.cmd) {
    case "setup":
      return setup(message.args);
    case "load":
      return load(message.args);
    case "health":
      return client?.health() ?? [];
    case "events":
      return events;
    case "stats":
      return { store: store?.stats(), status: store?.status, storeErrors, unhandled };
    case "exit":
      await teardown();
      setImmediate(() => process.exit(0));
      return undefined;
  }
};

process.on("message", (raw: { id: number; message: Command }) => {
  handle(raw.message).then(
    (value) => process.send!({ id: raw.id, ok: true, value }),
    (error: unknown) => process.send!({ id: raw.id, ok: false, error: String(error) }),
  );
});
process.send!({ ready: true });
