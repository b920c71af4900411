/**
 * One instance of the `--fleet` drill, in a process of its own (forked by fleet-drill.ts): an app
 * with `createClient({ providers: [openai(...), anthropic(...)] })`, with or without
 * `store: redisStore(...)`, making calls one at a time per lane until told to stop. Driven over IPC.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { createClient as createRedis } from "redis";
import { anthropic, createClient, type FailoverClient, openai } from "../../src/index.js";
import { redisStore } from "../../src/state/redis/index.js";
import type { SharedHealthStore } from "../../src/state/shared-health-store.js";

export interface InstanceSetup {
  name: string;
  primaryBaseURL: string;
  fallbackBaseURL: string;
  /** With it: the shared Redis store; without: the in-memory default. */
  redis?: { url: string; keyPrefix: string };
  lanes: number;
  thinkMs: [number, number];
  breaker: { halfOpenAfterMs: number; maxHalfOpenAfterMs: number };
}

export interface InstanceStats {
  calls: number;
  failed: number;
  byProvider: Record<string, number>;
  /** The OpenAI breaker here, and who set it (this process, or another instance through Redis). */
  breaker: string;
  setBy: string | undefined;
  /** Redis errors the store reported (as events: no call ever saw them). */
  storeErrors: number;
}

let client: FailoverClient | undefined;
let store: SharedHealthStore | undefined;
let redis: ReturnType<typeof createRedis> | undefined;
let running = false;
let lanes: Promise<void>[] = [];
const stats: InstanceStats = {
  calls: 0,
  failed: 0,
  byProvider: {},
  breaker: "closed",
  setBy: undefined,
  storeErrors: 0,
};

const setup = async (options: InstanceSetup): Promise<void> => {
  if (options.redis) {
    redis = createRedis({ url: options.redis.url });
    redis.on("error", () => {}); // the store reports what matters (store.onError)
    await redis.connect();
    store = redisStore({ client: redis, keyPrefix: options.redis.keyPrefix, instance: options.name });
    store.onError(() => stats.storeErrors++);
  }
  client = createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: "sk-demo-fleet", baseURL: options.primaryBaseURL }),
        model: "gpt-4.1",
      }),
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-demo-fleet", baseURL: options.fallbackBaseURL }),
        model: "claude-sonnet-4-6",
      }),
    ],
    breaker: options.breaker,
    ...(store ? { store } : {}),
  });
  running = true;
  const [minThink, maxThink] = options.thinkMs;
  const lane = async (): Promise<void> => {
    while (running) {
      try {
        const reply = await client!.chat({
          messages: [{ role: "user", content: "Is the service up?" }],
          maxTokens: 32,
        });
        stats.byProvider[reply.provider] = (stats.byProvider[reply.provider] ?? 0) + 1;
      } catch {
        stats.failed++;
      }
      stats.calls++;
      await new Promise((resolve) => setTimeout(resolve, minThink + Math.random() * (maxThink - minThink)));
    }
  };
  lanes = Array.from({ length: options.lanes }, lane);
};

const snapshot = (): InstanceStats => {
  const row = client?.health().find((h) => h.provider === "openai");
  stats.breaker = row?.state ?? "closed";
  stats.setBy = row?.origin.source === "shared" ? row.origin.instance : undefined;
  return { ...stats, byProvider: { ...stats.byProvider } };
};

process.on("message", async (message: { id: number; cmd: string; args?: InstanceSetup }) => {
  let value: unknown;
  if (message.cmd === "setup") value = await setup(message.args!);
  else if (message.cmd === "stats") value = snapshot();
  else if (message.cmd === "stop") {
    running = false;
    await Promise.all(lanes);
    value = snapshot();
    await store?.close();
    redis?.destroy();
  }
  process.send!({ id: message.id, value });
});
process.send!({ ready: true });
