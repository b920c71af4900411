/**
 * Fleet benchmark (the Redis health store), standalone:
 *
 *   npx tsx bench/fleet.ts            measures, then rewrites the "Fleet" section of docs/benchmarks.md
 *   npx tsx bench/fleet.ts --quick    fewer iterations
 *   npx tsx bench/fleet.ts --no-write print only
 *   npm run bench -- --only fleet     the same, through the bench CLI
 *
 * 1. CPU per call with `redisStore()` vs the in-memory default: two clients in this process over the
 *    same OpenAI SDK and the same mock server (in a child process), calls in rotating blocks with an A/A control;
 *    `process.cpuUsage()` over whole blocks. Target: within 5 %.
 * 2. Propagation: 4 instance processes, each with its own store and Redis client; one publishes a
 *    breaker opening, the time until the last of the others has applied it is measured on the
 *    machine's one clock. With pub/sub (the default) and polling alone. Target: ≤ 1 s (p50 and p99).
 * Needs `redis-server` (apt-get install -y redis-server). Numbers are reported, never asserted.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { createClient as createNodeRedis } from "redis";
import { createClient, type FailoverClient, openai } from "../src/index.js";
import type { ProviderAdapter } from "../src/spec/provider.js";
import { redisStore } from "../src/state/redis/redis-store.js";
import type { SharedHealthStore } from "../src/state/shared-health-store.js";
import { startMockProvider } from "../src/testing/index.js";
import { findRedisServer, type RedisServer, startRedisServer } from "../test/helpers/redis-server.js";

const self = fileURLToPath(import.meta.url);
const role = process.argv[2];

const median = (values: number[]): number => percentile(values, 50);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

// ---- child roles -------------------------------------------------------------------------------

/** A mock OpenAI server, in a process of its own so its CPU is not the client's. */
const runMockRole = async (): Promise<void> => {
  const mock = await startMockProvider({ kind: "openai", recordRequests: false });
  process.send!({ baseURL: mock.baseURL });
  process.on("disconnect", () => void mock.close().then(() => process.exit(0)));
};

/** One fleet instance: a store on its own Redis client, recording when each key's opening arrives. */
const runInstanceRole = async (): Promise<void> => {
  let store: SharedHealthStore | undefined;
  let redis: ReturnType<typeof createNodeRedis> | undefined;
  const received = new Map<string, number>();
  const links = new Map<string, ReturnType<SharedHealthStore["link"]>>();
  process.on("message", async (message: { cmd: string; [k: string]: any }) => {
    if (message.cmd === "setup") {
      redis = createNodeRedis({ url: message.url });
      redis.on("error", () => {});
      await redis.connect();
      store = redisStore({
        client: redis,
        keyPrefix: message.keyPrefix,
        instance: message.instance,
        pubsub: message.pubsub,
      });
      for (const model of message.models as string[]) {
        const key = { provider: "openai", model };
        links.set(
          model,
          store.link(key, {
            applyShared: (update) => {
              if (update.breaker?.state === "open" && !received.has(model)) received.set(model, Date.now());
            },
          }),
        );
      }
      while (store.status !== "available") await new Promise((resolve) => setTimeout(resolve, 5));
      process.send!({ ok: true });
    } else if (message.cmd === "open") {
      const now = Date.now();
      links.get(message.model)!.publish(
        {
          type: "open",
          until: now + 60_000,
          breakLevel: 1,
          reason: "consecutive-failures",
          lastResortSpent: false,
        },
        now,
      );
      process.send!({ sentAt: now });
    } else if (message.cmd === "received") {
      process.send!({ received: Object.fromEntries(received) });
    } else if (message.cmd === "exit") {
      await store?.close();
      redis?.destroy();
      process.exit(0);
    }
  });
  process.send!({ ready: true });
};

// ---- the measurements --------------------------------------------------------------------------

const forkRole = (which: string): ChildProcess =>
  fork(self, [which], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });

const nextMessage = <T>(child: ChildProcess): Promise<T> =>
  new Promise((resolve) => child.once("message", (message) => resolve(message as T)));

interface SideCpu {
  /** Median CPU per call (µs) with the in-memory store, with the Redis store, and of the A/A control. */
  memoryUs: number;
  redisUs: number;
  controlUs: number;
  memoryLatencyMs: number;
  redisLatencyMs: number;
  controlLatencyMs: number;
}

interface CpuResult {
  /** The engine alone: an in-process adapter (no I/O), so the store's share is as large as it gets. */
  engine: SideCpu;
  /** Through the OpenAI SDK to the mock server in a child process: what an app's call costs here. */
  sdk: SideCpu;
  /** The store's background work with no calls: CPU per second, exchanges per second. */
  backgroundMsPerS: number;
  exchangesPerS: number;
}

/** The cheapest adapter that honours the contract: no I/O, a fixed reply. Measures the engine alone. */
const inProcessAdapter = (): ProviderAdapter => ({
  name: "openai",
  kind: "openai",
  model: "gpt-4.1",
  domain: "openai",
  contextWindow: undefined,
  generate: async (request) => ({
    text: "Hello",
    toolCalls: [],
    finishReason: { unified: "stop", raw: "stop" },
    usage: { inputTokens: 8, outputTokens: 4, cachedInputTokens: 0, totalTokens: 12 },
    model: request.model,
    raw: undefined,
  }),
  stream: async (request) =>
    (async function* () {
      yield { type: "text" as const, text: "Hello" };
      yield {
        type: "finish" as const,
        finishReason: { unified: "stop" as const, raw: "stop" },
        usage: { inputTokens: 8, outputTokens: 4, cachedInputTokens: 0, totalTokens: 12 },
        model: request.model,
      };
    })(),
});

/**
 * CPU per call of three clients over the same provider: the in-memory default, the Redis store, and
 * a second in-memory client as the A/A control (how far two identical sides differ here: the noise
 * floor). Blocks rotate so that drift falls on every side.
 */
const compareSides = async (
  provider: () => ProviderAdapter,
  store: SharedHealthStore,
  blocks: number,
  blockSize: number,
): Promise<SideCpu> => {
  const make = (withStore: boolean): FailoverClient =>
    createClient({ providers: [provider()], ...(withStore ? { store } : {}) });
  const sides = { memory: make(false), redis: make(true), control: make(false) };
  type Side = keyof typeof sides;
  const cpu: Record<Side, number[]> = { memory: [], redis: [], control: [] };
  const latency: Record<Side, number[]> = { memory: [], redis: [], control: [] };
  const block = async (side: Side, record: boolean): Promise<void> => {
    const client = sides[side];
    const before = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < blockSize; i++)
      await client.chat({ messages: [{ role: "user", content: "bench" }], maxTokens: 16 });
    const used = process.cpuUsage(before);
    if (!record) return;
    cpu[side].push((used.user + used.system) / blockSize);
    latency[side].push((performance.now() - started) / blockSize);
  };
  for (let i = 0; i < 4; i++)
    for (const side of ["memory", "redis", "control"] as const) await block(side, false);
  const rotations: Side[][] = [
    ["memory", "redis", "control"],
    ["control", "redis", "memory"],
    ["redis", "control", "memory"],
    ["memory", "control", "redis"],
  ];
  for (let i = 0; i < blocks; i++)
    for (const side of rotations[i % rotations.length]!) await block(side, true);
  return {
    memoryUs: median(cpu.memory),
    redisUs: median(cpu.redis),
    controlUs: median(cpu.control),
    memoryLatencyMs: median(latency.memory),
    redisLatencyMs: median(latency.redis),
    controlLatencyMs: median(latency.control),
  };
};

const measureCpu = async (redisUrl: string, quick: boolean): Promise<CpuResult> => {
  const redis = createNodeRedis({ url: redisUrl });
  redis.on("error", () => {});
  await redis.connect();
  const idle = redisStore({ client: redis, keyPrefix: "bench-idle:" });
  for (let i = 0; i < 3; i++) idle.link({ provider: "openai", model: `m${i}` }, { applyShared: () => {} });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = process.cpuUsage();
  const exchanges = idle.stats().exchanges;
  await new Promise((resolve) => setTimeout(resolve, quick ? 2_000 : 5_000));
  const used = process.cpuUsage(before);
  const seconds = quick ? 2 : 5;
  const backgroundMsPerS = (used.user + used.system) / 1_000 / seconds;
  const exchangesPerS = (idle.stats().exchanges - exchanges) / seconds;
  await idle.close();

  const store = redisStore({ client: redis, keyPrefix: "bench-cpu:" });
  const engine = await compareSides(inProcessAdapter, store, quick ? 8 : 24, quick ? 500 : 2_000);
  const mockChild = forkRole("mock");
  const { baseURL } = await nextMessage<{ baseURL: string }>(mockChild);
  const sdk = await compareSides(
    () => openai({ client: new OpenAI({ apiKey: "sk-bench", baseURL }), model: "gpt-4.1" }),
    store,
    quick ? 6 : 20,
    quick ? 50 : 100,
  );
  mockChild.disconnect();
  await store.close();
  redis.destroy();
  return { engine, sdk, backgroundMsPerS, exchangesPerS };
};

interface PropagationResult {
  pubsub: boolean;
  trials: number;
  p50: number;
  p99: number;
  max: number;
}

const measurePropagation = async (
  redisUrl: string,
  pubsub: boolean,
  trials: number,
): Promise<PropagationResult> => {
  const instances = Array.from({ length: 4 }, () => forkRole("instance"));
  await Promise.all(instances.map((child) => nextMessage(child)));
  const models = Array.from({ length: trials }, (_, i) => `m${i}`);
  const keyPrefix = `bench-prop-${pubsub ? "push" : "poll"}-${Date.now()}:`;
  await Promise.all(
    instances.map((child, i) => {
      child.send({ cmd: "setup", url: redisUrl, keyPrefix, instance: `pod-${i}`, pubsub, models });
      return nextMessage(child);
    }),
  );
  const sentAt: number[] = [];
  for (let t = 0; t < trials; t++) {
    const opener = instances[t % instances.length]!;
    opener.send({ cmd: "open", model: models[t] });
    sentAt.push((await nextMessage<{ sentAt: number }>(opener)).sentAt);
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const received = await Promise.all(
    instances.map((child) => {
      child.send({ cmd: "received" });
      return nextMessage<{ received: Record<string, number> }>(child);
    }),
  );
  const delays = models.map((model, t) => {
    const others = received.filter((_, i) => i !== t % instances.length).map((r) => r.received[model]);
    return others.some((at) => at === undefined)
      ? Number.POSITIVE_INFINITY
      : Math.max(...(others as number[])) - sentAt[t]!;
  });
  for (const child of instances) child.send({ cmd: "exit" });
  return { pubsub, trials, p50: median(delays), p99: percentile(delays, 99), max: Math.max(...delays) };
};

export interface FleetBenchResult {
  cpu: CpuResult;
  propagation: PropagationResult[];
}

export const runFleetBench = async (
  options: { quick?: boolean; log?: (m: string) => void } = {},
): Promise<FleetBenchResult> => {
  const log = options.log ?? ((m: string) => console.error(`[bench fleet] ${m}`));
  if (!findRedisServer())
    throw new Error("bench/fleet.ts needs redis-server (apt-get install -y redis-server)");
  const server: RedisServer = await startRedisServer();
  try {
    log("CPU per call, in-memory vs Redis store…");
    const cpu = await measureCpu(server.url, options.quick ?? false);
    log("propagation with pub/sub…");
    const push = await measurePropagation(server.url, true, options.quick ? 40 : 200);
    log("propagation by polling alone…");
    const poll = await measurePropagation(server.url, false, options.quick ? 40 : 200);
    return { cpu, propagation: [push, poll] };
  } finally {
    await server.stop();
  }
};

const pct = (ratio: number) => `${ratio >= 1 ? "+" : ""}${((ratio - 1) * 100).toFixed(1)} %`;

const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : "not seen");

/** The "Fleet" section of docs/benchmarks.md. */
export const renderFleetSection = (result: FleetBenchResult, command: string): string => {
  const { cpu, propagation } = result;
  const [push, poll] = propagation;
  const verdict = (ok: boolean) => (ok ? "pass" : "**miss**");
  return [
    "## Fleet: the Redis health store",
    "",
    `<!-- Written by bench/fleet.ts (${command}), ${new Date().toISOString()}. -->`,
    "",
    "CPU per call: one client with `redisStore()` (node-redis, a local redis-server), one with the",
    "in-memory default and a second in-memory client as an A/A control (the noise floor of the machine),",
    "in rotating blocks; medians of `process.cpuUsage()` per block. First over an in-process adapter (the",
    "engine alone: the store's share is as large as it gets), then through the OpenAI SDK to a mock server",
    "in a child process. Propagation: 4 instance processes, each",
    "its own store and Redis client; one publishes a breaker opening, the delay until the last other",
    "instance has applied it, on the machine's one clock.",
    "",
    `Load average during the run: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")} on ${cpus().length} cores. A CPU comparison is "inconclusive" when the A/A control`,
    "itself differs by more than the 5 % target: the machine was too busy to resolve it.",
    "",
    "| measure | target | measured | result |",
    "| --- | --- | ---: | --- |",
    ...(["engine", "sdk"] as const).map((which) => {
      const side = cpu[which];
      const label =
        which === "engine" ? "the engine alone (in-process adapter)" : "through the OpenAI SDK to the mock";
      const ratio = side.redisUs / side.memoryUs;
      const control = side.controlUs / side.memoryUs;
      // When two identical sides differ by more than the target, the machine cannot tell.
      const result =
        Math.abs(control - 1) > 0.05 ? `inconclusive (noise ${pct(control)})` : verdict(ratio <= 1.05);
      return `| CPU per call, ${label}: Redis store vs in-memory (A/A control) | within 5 % | ${side.redisUs.toFixed(1)} µs vs ${side.memoryUs.toFixed(1)} µs: ${pct(ratio)} (control ${pct(control)}) | ${result} |`;
    }),
    `| latency per call through the SDK, Redis store vs in-memory (A/A control) | (reported) | ${cpu.sdk.redisLatencyMs.toFixed(2)} ms vs ${cpu.sdk.memoryLatencyMs.toFixed(2)} ms (control ${cpu.sdk.controlLatencyMs.toFixed(2)} ms) | |`,
    `| the store's background work, no calls (3 keys) | (reported) | ${cpu.backgroundMsPerS.toFixed(2)} ms CPU per second, ${cpu.exchangesPerS.toFixed(1)} exchanges per second | |`,
    `| opening seen by all, pub/sub (default), p50 / p99 of ${push!.trials} | ≤ 1 s | ${fmt(push!.p50)} / ${fmt(push!.p99)} (max ${fmt(push!.max)}) | ${verdict(push!.p99 <= 1_000)} |`,
    `| opening seen by all, polling alone (250 ms), p50 / p99 of ${poll!.trials} | ≤ 1 s | ${fmt(poll!.p50)} / ${fmt(poll!.p99)} (max ${fmt(poll!.max)}) | ${verdict(poll!.p99 <= 1_000)} |`,
    "",
  ].join("\n");
};

const start = "<!-- fleet:start -->";
const end = "<!-- fleet:end -->";

/** Puts `section` between the fleet markers of `markdown` (appended when absent). */
export const withFleetSection = (markdown: string, section: string): string => {
  const block = `${start}\n${section}\n${end}`;
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from >= 0 && to > from) return `${markdown.slice(0, from)}${block}${markdown.slice(to + end.length)}`;
  return `${markdown.trimEnd()}\n\n${block}\n`;
};

/** The fleet section of an existing docs/benchmarks.md, to keep it when the rest is regenerated. */
export const fleetSectionOf = (markdown: string): string | undefined => {
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  return from >= 0 && to > from ? markdown.slice(from + start.length, to).trim() : undefined;
};

if (role === "mock") await runMockRole();
else if (role === "instance") await runInstanceRole();
else if (process.argv[1] === self) {
  const { values } = parseArgs({
    options: { quick: { type: "boolean", default: false }, "no-write": { type: "boolean", default: false } },
  });
  const result = await runFleetBench({ quick: values.quick });
  const command = `npx tsx bench/fleet.ts${values.quick ? " --quick" : ""}`;
  const section = renderFleetSection(result, command);
  console.log(section);
  if (!values["no-write"]) {
    const path = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
    await writeFile(path, withFleetSection(await readFile(path, "utf8"), section));
    console.error("[bench fleet] wrote docs/benchmarks.md");
  }
}
