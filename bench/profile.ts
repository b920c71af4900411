/**
 * Runs one overhead scenario in a tight loop, for profiling the hot path:
 *
 *   npx tsx bench/profile.ts chat-json 5000 --profile /tmp/chat-json.cpuprofile
 *
 * (`--profile` records only the measured loop, after warm-up; open the file in Chrome DevTools.)
 *
 * Scenarios: direct-json, chat-json, adapter-json, chat-stream, direct-stream, stream, adapter-stream
 * (OpenAI kit; `--kind anthropic|mistral` for another), and memory-chat, memory-json, memory-stream
 * (the engine alone over the in-memory adapter). The mock runs in a child
 * process, so the profile holds the client side only. Prints CPU µs and wall ms per call.
 *
 *   npx tsx bench/profile.ts compare direct-json adapter-json 4000   (ABBA blocks, CPU per call each)
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { InMemoryAdapter } from "./lib/in-memory-adapter.js";
import { loadLibrary } from "./lib/library.js";
import { type BenchKind, kitFor, MAX_TOKENS, MODELS, PROMPT } from "./lib/providers.js";
import { startMockHost } from "./lib/remote-mocks.js";
import { summarize } from "./lib/stats.js";
import { compare, cpuPerCall } from "./lib/timing.js";
import { SHORT_REPLY } from "./overhead.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: "string", default: "openai" },
    /** Profile the TypeScript source through tsx instead of the bundle (see lib/library.ts). */
    source: { type: "boolean", default: false },
    /** Write a .cpuprofile of the measured loop only (not startup, not warm-up). */
    profile: { type: "string" },
    /** Write a sampling heap profile of the measured loop: every allocation, collected or not. */
    heap: { type: "string" },
    interval: { type: "string", default: "50" },
  },
});
const scenario = positionals[0] ?? "chat-json";
const calls = Number(positionals[1] ?? 3000);
const kind = values.kind as BenchKind;

const host = await startMockHost();
const mock = await host.start("profile", kind, { text: SHORT_REPLY });
const lib = await loadLibrary(values.source ? "source" : "bundle");
const kit = kitFor(lib, kind, mock);
const request = { messages: [{ role: "user" as const, content: PROMPT }], maxTokens: MAX_TOKENS };
const streamClient = lib.createClient({ providers: [kit.adapter()] });
const jsonClient = lib.createClient({ providers: [kit.adapter()], transport: "json" });
const adapter = kit.adapter();
const memory = new InMemoryAdapter();
const memoryClient = lib.createClient({ providers: [memory] });
const memoryJsonClient = lib.createClient({ providers: [memory], transport: "json" });
const memoryRequest = { messages: [{ role: "user" as const, content: "Say hello." }] };

const scenarios: Record<string, () => Promise<unknown>> = {
  "direct-json": () => kit.directChat(),
  "direct-stream": () => kit.directStream(performance.now()),
  "chat-json": () => jsonClient.chat(request),
  "chat-stream": () => streamClient.chat(request),
  stream: async () => {
    for await (const _ of streamClient.stream(request)) {
      // drain
    }
  },
  "memory-chat": () => memoryClient.chat(memoryRequest),
  "memory-json": () => memoryJsonClient.chat(memoryRequest),
  "memory-stream": async () => {
    for await (const _ of memoryClient.stream(memoryRequest)) {
      // drain
    }
  },
  "adapter-json": () =>
    adapter.generate(
      { model: MODELS[kind], messages: request.messages, maxTokens: MAX_TOKENS },
      { signal: new AbortController().signal, timeoutMs: 600_000 },
    ),
  "adapter-stream": async () => {
    const parts = await adapter.stream(
      { model: MODELS[kind], messages: request.messages, maxTokens: MAX_TOKENS },
      { signal: new AbortController().signal, timeoutMs: 600_000 },
    );
    for await (const _ of parts) {
      // drain
    }
  },
};
const pick = (name: string): (() => Promise<unknown>) => {
  const found = scenarios[name];
  if (!found) throw new Error(`unknown scenario ${name}: ${Object.keys(scenarios).join(", ")}`);
  return found;
};

if (scenario === "compare") {
  // npx tsx bench/profile.ts compare <a> <b> [calls]: ABBA blocks, CPU and wall per call of each.
  const [, nameA = "direct-json", nameB = "chat-json", count = "4000"] = positionals;
  const a = pick(nameA);
  const b = pick(nameB);
  const n = Number(count);
  const paired = await compare(
    { direct: a, wrapped: b },
    { warmupBlocks: 10, blocks: n / 50, blockSize: 50 },
  );
  const fmt = (side: typeof paired.direct) =>
    `${cpuPerCall(side).toFixed(1)} µs CPU/call, median ${summarize(side.elapsed).median.toFixed(3)} ms`;
  console.log(`${nameA}: ${fmt(paired.direct)}`);
  console.log(`${nameB}: ${fmt(paired.wrapped)}`);
  console.log(`added: ${(cpuPerCall(paired.wrapped) - cpuPerCall(paired.direct)).toFixed(1)} µs CPU/call`);
  await host.close();
  process.exit(0);
}
const run = pick(scenario);

for (let i = 0; i < 500; i++) await run();
const session = values.profile || values.heap ? new Session() : undefined;
if (session) session.connect();
if (session && values.profile) {
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: Number(values.interval) });
  await session.post("Profiler.start");
}
if (session && values.heap) {
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < calls; i++) await run();
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (session && values.profile) {
  const { profile } = await session.post("Profiler.stop");
  await writeFile(values.profile, JSON.stringify(profile));
}
if (session && values.heap) {
  const { profile } = await session.post("HeapProfiler.stopSampling");
  await writeFile(values.heap, JSON.stringify(profile));
}
session?.disconnect();
console.log(
  `${scenario} (${kind}): ${((cpu.user + cpu.system) / calls).toFixed(1)} µs CPU/call, ${(wall / calls).toFixed(3)} ms/call`,
);
await host.close();
