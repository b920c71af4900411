/**
 * Runs one face in a loop, for profiling the hot path (not part of `npm run bench`):
 *
 *   npx tsx bench/profile.ts stream 2000                      CPU µs and wall ms per call
 *   npx tsx bench/profile.ts stream 2000 --profile /tmp/s.cpuprofile   (open in Chrome DevTools)
 *   npx tsx bench/profile.ts compare sdkStream stream 2000    interleaved blocks, CPU per call each
 *                                                           (any number of faces; the count is per face)
 *   npx tsx bench/callgrind.ts stream                         instruction counts (see callgrind.ts)
 *
 * Faces: raw, rawParse (the raw loop that also parses every event), sdkStream, sdkJson, stream, chat, chatJson, dropInStream, dropInChat (see
 * lib/faces.ts), adapterJson (the adapter's generate() by hand, no engine), with `--fake` also
 * sdkJsonSignal (the SDK's JSON call with a signal and timeout, as the adapter calls it), and
 * memory-chat, memory-json, memory-direct, memory-stream (the engine alone, no I/O; memory-direct is
 * the in-memory adapter called by hand).
 * `--kind anthropic|mistral`, `--events N`, `--interval ms`, `--first ms` set the paced mock (in a
 * child process: the profile holds the client side only). `--fake` replaces the network with an
 * in-memory `fetch` (OpenAI faces): no I/O, no timers, the cheapest way to see the client's own
 * work. `--marks` calls `process.memoryUsage.rss()` before each call, when the request reaches
 * `fetch` and at the first text: markers for `valgrind --dump-before=uv_resident_set_memory`.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { type Face, type Faces, facesFor, request } from "./lib/faces.js";
import { InMemoryAdapter } from "./lib/in-memory-adapter.js";
import { cpuPerCallOf, interleave, medianElapsed } from "./lib/interleave.js";
import { type Library, loadLibrary } from "./lib/library.js";
import type { Pacing } from "./lib/pacing.js";
import { type BenchKind, MAX_TOKENS, readBody } from "./lib/providers.js";
import { startMockHost } from "./lib/remote-mocks.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: "string", default: "openai" },
    events: { type: "string", default: "10" },
    interval: { type: "string", default: "2" },
    first: { type: "string", default: "20" },
    warmup: { type: "string", default: "300" },
    /** Profile the TypeScript source through tsx instead of the bundle (see lib/library.ts). */
    source: { type: "boolean", default: false },
    fake: { type: "boolean", default: false },
    marks: { type: "boolean", default: false },
    /** Write a .cpuprofile of the measured loop only (not startup, not warm-up). */
    profile: { type: "string" },
    interval_us: { type: "string", default: "50" },
  },
});

let marking = false;
/** A callgrind marker (see the doc above): a native call nothing else in the process makes. */
const mark = (): void => {
  if (marking) process.memoryUsage.rss();
};
let seenFirst = false;
const firstText = (): void => {
  if (seenFirst) return;
  seenFirst = true;
  mark();
};

/** An in-memory `fetch` answering every request with the same SSE stream (or JSON body). */
const fakeFetch = (events: number): typeof fetch => {
  const chunk = (delta: string, finish: string | null, usage: string | null = null) =>
    `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","system_fingerprint":"fp_1","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}],"usage":${usage}}\n\n`;
  const encoder = new TextEncoder();
  const sse = [
    chunk('{"role":"assistant","content":""}', null),
    ...Array.from({ length: events }, () => chunk('{"content":"abcd"}', null)),
    chunk("{}", '"stop"'),
    `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":${events},"total_tokens":${events + 5}}}\n\ndata: [DONE]\n\n`,
  ].map((s) => encoder.encode(s));
  const json = JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4.1",
    choices: [
      { index: 0, message: { role: "assistant", content: "abcd".repeat(events) }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 5, completion_tokens: events, total_tokens: events + 5 },
  });
  return (async (_url: unknown, init?: RequestInit) => {
    mark();
    if (typeof init?.body === "string" && !init.body.includes('"stream":true'))
      return new Response(json, { status: 200, headers: { "content-type": "application/json" } });
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < sse.length) controller.enqueue(sse[i++]!);
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  }) as typeof fetch;
};

/** The OpenAI faces over the in-memory fetch (as facesFor does over the network). */
const fakeFaces = (lib: Library, events: number): Record<string, Face> => {
  const f = fakeFetch(events);
  const client = new OpenAI({
    apiKey: "sk-bench",
    baseURL: "http://127.0.0.1:9/v1",
    maxRetries: 0,
    fetch: f,
  });
  const adapter = lib.openai({ client, model: "gpt-4.1" });
  const engine = lib.createClient({ providers: [lib.openai({ client, model: "gpt-4.1" })] });
  const json = lib.createClient({ providers: [lib.openai({ client, model: "gpt-4.1" })], transport: "json" });
  const dropIn = lib.withFailover(
    new OpenAI({ apiKey: "sk-bench", baseURL: "http://127.0.0.1:9/v1", maxRetries: 0, fetch: f }),
    { fallbacks: [] },
  );
  const params = { model: "gpt-4.1", messages: request.messages, max_completion_tokens: MAX_TOKENS };
  const streamParams = { ...params, stream: true as const, stream_options: { include_usage: true } };
  return {
    raw: async () => {
      const response = await client.chat.completions.create(streamParams).asResponse();
      await readBody(response.body!, "bytes", firstText);
      return -1;
    },
    rawParse: async () => {
      const response = await client.chat.completions.create(streamParams).asResponse();
      await readBody(response.body!, "parse", firstText);
      return -1;
    },
    sdkStream: async () => {
      for await (const chunk of await client.chat.completions.create(streamParams))
        if (chunk.choices[0]?.delta?.content) firstText();
      return -1;
    },
    sdkJson: async () => {
      await client.chat.completions.create(params);
      firstText();
      return -1;
    },
    // What the adapter passes: the attempt's signal, a timeout, no retries.
    sdkStreamSignal: async () => {
      const options = { signal: new AbortController().signal, timeout: 600_000, maxRetries: 0 };
      for await (const chunk of await client.chat.completions.create(streamParams, options))
        if (chunk.choices[0]?.delta?.content) firstText();
      return -1;
    },
    // The JSON call with what the adapter passes (see sdkStreamSignal), and the adapter alone.
    sdkJsonSignal: async () => {
      const options = { signal: new AbortController().signal, timeout: 600_000, maxRetries: 0 };
      await client.chat.completions.create(params, options);
      firstText();
      return -1;
    },
    adapterJson: async () => {
      const context = { signal: new AbortController().signal, timeoutMs: 600_000 };
      await adapter.generate({ model: "gpt-4.1", ...request }, context);
      firstText();
      return -1;
    },
    stream: async () => {
      for await (const event of engine.stream(request)) if (event.type === "text") firstText();
      return -1;
    },
    chat: async () => {
      await engine.chat(request);
      firstText();
      return -1;
    },
    chatJson: async () => {
      await json.chat(request);
      firstText();
      return -1;
    },
    dropInStream: async () => {
      for await (const chunk of await dropIn.chat.completions.create(streamParams))
        if (chunk.choices[0]?.delta?.content) firstText();
      return -1;
    },
    dropInChat: async () => {
      await dropIn.chat.completions.create(params);
      firstText();
      return -1;
    },
  };
};

const memoryFaces = (lib: Library): Record<string, Face> => {
  const memory = new InMemoryAdapter();
  const engine = lib.createClient({ providers: [memory] });
  const json = lib.createClient({ providers: [memory], transport: "json" });
  const memoryRequest = { messages: [{ role: "user" as const, content: "Say hello." }] };
  return {
    "memory-chat": () => engine.chat(memoryRequest).then(() => -1),
    "memory-json": async () => {
      await json.chat(memoryRequest);
      firstText();
      return -1;
    },
    // The same adapter called by hand: memory-json minus this is the engine's own work.
    "memory-direct": async () => {
      const context = { signal: new AbortController().signal, timeoutMs: 600_000 };
      await memory.generate({ model: memory.model, ...memoryRequest }, context);
      firstText();
      return -1;
    },
    "memory-stream": async () => {
      for await (const _ of engine.stream(memoryRequest)) {
        // drain
      }
      return -1;
    },
  };
};

/**
 * Where a JSON call's CPU goes, over the network: the adapter's generate() called by hand with an
 * attempt's context (no engine), for every kind. chatJson minus adapterJson is the engine's part;
 * adapterJson minus sdkJson the adapter's (the SDK's signal handling included).
 */
const networkJsonFaces = (network: Faces): Record<string, Face> => {
  const adapter = network.kit.adapter();
  const providerRequest = { model: adapter.model, ...request };
  return {
    adapterJson: async () => {
      const context = { signal: new AbortController().signal, timeoutMs: 600_000 };
      await adapter.generate(providerRequest, context);
      return -1;
    },
  };
};

const lib = await loadLibrary(values.source ? "source" : "bundle");
const kind = values.kind as BenchKind;
const pacing: Pacing = {
  firstTokenMs: Number(values.first),
  intervalMs: Number(values.interval),
  events: Number(values.events),
  chunkSize: 4,
};
const host = values.fake ? undefined : await startMockHost();
let faces: Record<string, Face>;
if (values.fake) {
  faces = { ...fakeFaces(lib, pacing.events), ...memoryFaces(lib) };
} else {
  const mock = await host!.startPaced("profile", kind, pacing);
  const network: Faces = facesFor(lib, kind, mock);
  const { kit: _kit, client: _client, rawReads: _reads, ...rest } = network;
  faces = { ...(rest as Record<string, Face>), ...memoryFaces(lib), ...networkJsonFaces(network) };
}
const pick = (name: string): Face => {
  const face = faces[name];
  if (!face) throw new Error(`unknown face ${name}: ${Object.keys(faces).join(", ")}`);
  return face;
};

if (positionals[0] === "compare") {
  // compare <face> <face> … [calls per face]
  const rest = positionals.slice(1);
  const count = /^\d+$/.test(rest.at(-1) ?? "") ? Number(rest.pop()) : 2000;
  const blockSize = 20;
  const samples = await interleave(Object.fromEntries(rest.map((name) => [name, pick(name)])), {
    warmupRounds: 5,
    rounds: Math.max(2, Math.round(count / blockSize)),
    blockSize,
  });
  for (const [name, s] of Object.entries(samples))
    console.log(
      `${name}: ${cpuPerCallOf(s).toFixed(1)} µs CPU/call, median ${medianElapsed(s).toFixed(3)} ms`,
    );
} else {
  const face = pick(positionals[0] ?? "stream");
  const calls = Number(positionals[1] ?? 2000);
  for (let i = 0; i < Number(values.warmup); i++) await face(performance.now());
  const session = values.profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: Number(values.interval_us) });
    await session.post("Profiler.start");
  }
  marking = values.marks;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    seenFirst = false;
    mark();
    await face(performance.now());
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  marking = false;
  process.memoryUsage.rss(); // the end marker
  if (session) {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(values.profile!, JSON.stringify(profile));
    session.disconnect();
  }
  console.log(
    `${positionals[0] ?? "stream"} (${values.fake ? "in-memory fetch" : kind}): ${((cpu.user + cpu.system) / calls).toFixed(1)} µs CPU/call, ${(wall / calls).toFixed(3)} ms/call`,
  );
}
await host?.close();
