/**
 * Recipe: a fleet sharing provider health through Redis — one client per instance, each with
 * `store: redisStore({ client })`. Here two instances live in one process for a runnable example (in
 * production each is its own process, pod or container, with its own Redis client); one uses
 * node-redis, the other ioredis. Runs against local mock providers and a throwaway redis-server it
 * starts (no API keys): npx tsx examples/recipes/fleet.ts
 * See docs/recipes/fleet.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Redis } from "ioredis";
import OpenAI from "openai";
import { createClient as createNodeRedis } from "redis";
import { anthropic, createClient, type FailoverClient, openai } from "../../src/index.js";
import { type RedisLikeClient, redisStore, type SharedHealthStore } from "../../src/state/redis/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";
import { findRedisServer, startLocalRedis } from "../demo/local-redis.js";

const binary = findRedisServer();
if (!binary) {
  console.log("skipped: redis-server is not installed (apt-get install -y redis-server)");
  process.exit(0);
}
const server = await startLocalRedis(binary);
const mocks = await startMockProviders({ openai: {}, anthropic: {} });
const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
};

// --- what each instance of the app does at startup ---
const makeInstance = (name: string, redis: RedisLikeClient) => {
  const store: SharedHealthStore = redisStore({ client: redis, keyPrefix: "recipe:", instance: name });
  // Redis trouble is an event, never a call failure: log it, alert on `unavailable`.
  store.onStatusChange((e) => console.log(`${name} store: ${e.from} → ${e.to}`));
  store.onError(() => {}); // (a real app logs e.message here)
  const client = createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: "sk-recipe", baseURL: mocks.openai.baseURL }),
        model: "gpt-4.1",
      }),
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-recipe", baseURL: mocks.anthropic.baseURL }),
        model: "claude-sonnet-4-6",
      }),
    ],
    store,
  });
  return { name, store, client };
};

// node-redis: connect it yourself, and keep an error listener (node-redis throws without one).
const nodeRedis = createNodeRedis({ url: server.url });
nodeRedis.on("error", () => {});
await nodeRedis.connect();
// ioredis: the same.
const ioredis = new Redis(server.url);
ioredis.on("error", () => {});
await new Promise((resolve) => ioredis.once("ready", resolve));

const a = makeInstance("pod-a", nodeRedis);
const b = makeInstance("pod-b", ioredis);
const ask = (client: FailoverClient) =>
  client.chat({ messages: [{ role: "user", content: "Is the service up?" }] });
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

// Both have used OpenAI (health() lists what was used).
await ask(a.client);
await ask(b.client);

// 1. OpenAI dies. pod-a's calls fall over to Anthropic; after 5 failures its breaker opens, and the
//    fleet learns it through Redis.
mocks.openai.setDefault(faults.serverError(503));
for (let i = 0; i < 5; i++) await ask(a.client);
await until(() => b.client.health().find((h) => h.provider === "openai")?.state === "open");
const seen = b.client.health().find((h) => h.provider === "openai")!;
console.log(
  `pod-b sees openai ${seen.state}, set by ${seen.origin.source === "shared" ? seen.origin.instance : "itself"}`,
);
check(seen.origin.source === "shared", "pod-b learnt the opening from pod-a");
const before = mocks.openai.callCount;
const answer = await ask(b.client);
console.log(
  `pod-b's call: answered by ${answer.provider}; requests pod-b sent to openai: ${mocks.openai.callCount - before}`,
);
check(mocks.openai.callCount === before, "pod-b sent nothing to the dead provider");

// 2. A health endpoint shows the fleet's view.
console.log(`pod-b fleet view: store ${seen.fleet?.store}, instance ${seen.fleet?.instance}`);

// 3. Redis goes away: calls go on with each instance's local view.
await server.stop();
const during = await ask(b.client);
console.log(`Redis down: pod-b's call answered by ${during.provider}`);
check(during.provider === "anthropic", "calls go on while Redis is down");
await until(() => b.store.status === "unavailable");

// 4. Shutdown: close the stores (they never close your clients), then your clients.
await a.store.close();
await b.store.close();
nodeRedis.destroy();
ioredis.disconnect();
await mocks.close();

if (problems.length > 0) {
  console.error(`recipe check failed: ${problems.join("; ")}`);
  process.exit(1);
}
