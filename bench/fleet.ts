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
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { createClient as createNodeRedis } from "redis";
import { createClient, type FailoverClient, openai } from "../src/index.js";
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

interface CpuResult {
  memoryUs: number;
  redisUs: number;
  ratio: number;
  memoryLatencyMs: number;
  redisLatencyMs: number;
  /** The same ratio between two identical in-memory clients: the noise floor of this machine. */
  controlRatio: number;
}

const measureCpu = async (redisUrl: string, blocks: number, blockSize: number): Promise<CpuResult> => {
  const mockChild = forkRole("mock");
  const { baseURL } = await nextMessage<{ baseURL: string }>(mockChild);
  const redis = createNodeRedis({ url: redisUrl });
  redis.on("error", () => {});
  await redis.connect();
  const store = redisStore({ client: redis, keyPrefix: "bench-cpu:" });
  const make = (withStore: boolean): FailoverClient =>
    createClient({
      providers: [openai({ client: new OpenAI({ apiKey: "sk-bench", baseURL }), model: "gpt-4.1" })],
      ...(withStore ? { store } : {}),
    });
  // A second in-memory client is the A/A control: how far two identical sides differ here (noise).
  const sides = { memory: make(false), redis: make(true), control: make(false) };
  const cpu: Record<keyof typeof sides, number[]> = { memory: [], redis: [], control: [] };
  const latency: Record<keyof typeof sides, number[]> = { memory: [], redis: [], control: [] };
  const block = async (side: keyof typeof sides, record: boolean): Promise<void> => {
    const client = sides[side];
    const before = process.cpuUsage();
    for (let i = 0; i < blockSize; i++) {
      const started = performance.now();
      await client.chat({ messages: [{ role: "user", content: "bench" }], maxTokens: 16 });
      if (record) latency[side].push(performance.now() - started);
    }
    const used = process.cpuUsage(before);
    if (record) cpu[side].push((used.user + used.system) / blockSize);
  };
  for (let i = 0; i < 4; i++)
    for (const side of ["memory", "redis", "control"] as const) await block(side, false);
  const rotations: (keyof typeof sides)[][] = [
    ["memory", "redis", "control"],
    ["control", "redis", "memory"],
    ["redis", "control", "memory"],
    ["memory", "control", "redis"],
  ];
  for (let i = 0; i < blocks; i++)
    for (const side of rotations[i % rotations.length]!) await block(side, true);
  await store.close();
  redis.destroy();
  mockChild.disconnect();
  return {
    memoryUs: median(cpu.memory),
    redisUs: median(cpu.redis),
    ratio: median(cpu.redis) / median(cpu.memory),
    memoryLatencyMs: median(latency.memory),
    redisLatencyMs: median(latency.redis),
    controlRatio: median(cpu.control) / median(cpu.memory),
  };
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
    const cpu = await measureCpu(server.url, options.quick ? 6 : 20, options.quick ? 50 : 100);
    log("propagation with pub/sub…");
    const push = await measurePropagation(server.url, true, options.quick ? 40 : 200);
    log("propagation by polling alone…");
    const poll = await measurePropagation(server.url, false, options.quick ? 40 : 200);
    return { cpu, propagation: [push, poll] };
  } finally {
    await server.stop();
  }
};

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
    "CPU per call: one client with `redisStore()` (node-redis, a local redis-server) and one with the",
    "in-memory default, over the same OpenAI SDK and mock server (a child process), calls alternating",
    "in rotating blocks with a second in-memory client as an A/A control (the noise floor); medians of",
    "`process.cpuUsage()` per block. Propagation: 4 instance processes, each",
    "its own store and Redis client; one publishes a breaker opening, the delay until the last other",
    "instance has applied it, on the machine's one clock.",
    "",
    "| measure | target | measured | result |",
    "| --- | --- | ---: | --- |",
    `| CPU per call, Redis store vs in-memory | within 5 % | ${cpu.redisUs.toFixed(0)} µs vs ${cpu.memoryUs.toFixed(0)} µs (${((cpu.ratio - 1) * 100).toFixed(1)} %) | ${verdict(cpu.ratio <= 1.05)} |`,
    `| CPU per call, A/A control: a second in-memory client vs the first (noise floor) | (reported) | ${((cpu.controlRatio - 1) * 100).toFixed(1)} % | |`,
    `| median latency per call, Redis store vs in-memory | (reported) | ${cpu.redisLatencyMs.toFixed(2)} ms vs ${cpu.memoryLatencyMs.toFixed(2)} ms | |`,
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
