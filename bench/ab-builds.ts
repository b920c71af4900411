/**
 * Two builds of the library, A and B, side by side in one process (not part of `npm run bench`):
 * the way to tell whether a change to the path in front of the request helps a real call.
 *
 *   git worktree add --detach /tmp/ab-base HEAD      # A: the code before the change
 *   npx tsx bench/ab-builds.ts --a /tmp/ab-base [--b .] [--faces stream,drop,json] [--rounds 400]
 *
 * Each source tree's `src/index.ts` is bundled as `npm run bench` bundles it, and both builds call
 * one OpenAI mock paced like a provider (first token after 20 ms). Every round runs each face once
 * (the SDK's own stream, then A's and B's faces) in a seeded random order, each after 20 ms idle:
 * a call after a pause, when the code in front of the request runs cold (see bench/cold-paths.ts).
 * Per face: medians of the time until the request reaches `fetch` and of the time to first text
 * (or, for `json`, of the whole call); then B − A, as the median of the per-round differences and
 * as the difference of medians, each with a 90 % bootstrap interval. Between runs on this 2-core VM
 * the difference moves by ~±15 µs more than one run's interval says: repeat a run before believing
 * a gain of that size. An A/A run (`--a .`) shows the noise.
 */
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { loadLibrary } from "./lib/library.js";
import { clockedFetch, MAX_TOKENS, MODELS, PROMPT, requestClock } from "./lib/providers.js";
import { startMockHost } from "./lib/remote-mocks.js";
import { bootstrapInterval, median, seededRandom } from "./lib/stats.js";

const { values } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string", default: "." },
    rounds: { type: "string", default: "400" },
    faces: { type: "string", default: "stream" },
    idle: { type: "string", default: "20" },
  },
});
if (!values.a) throw new Error("--a <source tree> is required (a git worktree of the base commit)");
const rounds = Number(values.rounds);
const idleMs = Number(values.idle);
const wanted = values.faces.split(",");
for (const face of wanted)
  if (!["stream", "drop", "json"].includes(face)) throw new Error(`unknown face ${face}: stream, drop, json`);

const builds = { A: await loadLibrary("bundle", values.a), B: await loadLibrary("bundle", values.b) };

const host = await startMockHost();
const mock = await host.startPaced("ab", "openai", {
  firstTokenMs: 20,
  intervalMs: 3,
  events: 10,
  chunkSize: 4,
});
const model = MODELS.openai;
const messages = [{ role: "user" as const, content: PROMPT }];
const sdkClient = (): OpenAI =>
  new OpenAI({ apiKey: "sk-bench", baseURL: mock.baseURL, maxRetries: 0, fetch: clockedFetch });
const sdk = sdkClient();
const streamParams = {
  model,
  messages,
  max_completion_tokens: MAX_TOKENS,
  stream: true as const,
  stream_options: { include_usage: true },
};

/** One call; resolves with its time to first text (or, for a JSON call, its duration) in ms. */
type Face = () => Promise<number>;
const faces: Record<string, Face> = {
  sdk: async () => {
    const start = performance.now();
    let ttft = -1;
    for await (const chunk of await sdk.chat.completions.create(streamParams))
      if (ttft < 0 && chunk.choices[0]?.delta?.content) ttft = performance.now() - start;
    return ttft;
  },
};
for (const [tag, lib] of Object.entries(builds)) {
  const provider = () => lib.openai({ client: sdk, model });
  if (wanted.includes("stream")) {
    const client = lib.createClient({ providers: [provider()] });
    faces[`${tag}.stream`] = async () => {
      const start = performance.now();
      let ttft = -1;
      for await (const event of client.stream({ messages, maxTokens: MAX_TOKENS }))
        if (ttft < 0 && event.type === "text") ttft = performance.now() - start;
      return ttft;
    };
  }
  if (wanted.includes("drop")) {
    const wrapped = lib.withFailover(sdkClient(), { fallbacks: [] });
    faces[`${tag}.drop`] = async () => {
      const start = performance.now();
      let ttft = -1;
      for await (const chunk of await wrapped.chat.completions.create(streamParams))
        if (ttft < 0 && chunk.choices[0]?.delta?.content) ttft = performance.now() - start;
      return ttft;
    };
  }
  if (wanted.includes("json")) {
    const client = lib.createClient({ providers: [provider()], transport: "json" });
    faces[`${tag}.json`] = async () => {
      const start = performance.now();
      await client.chat({ messages, maxTokens: MAX_TOKENS });
      return performance.now() - start;
    };
  }
}

const names = Object.keys(faces);
const random = seededRandom(0xab);
const sent: Record<string, number[]> = {};
const ttft: Record<string, number[]> = {};
for (const name of names) for (let i = 0; i < 20; i++) await faces[name]!();
for (let round = 0; round < rounds; round++) {
  const order = names
    .map((name) => [name, random()] as const)
    .sort((x, y) => x[1] - y[1])
    .map(([name]) => name);
  for (const name of order) {
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    requestClock.sentAt = -1;
    const start = performance.now();
    (ttft[name] ??= []).push(await faces[name]!());
    (sent[name] ??= []).push(requestClock.sentAt - start);
  }
}
await host.close();

const us = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;
for (const name of names)
  console.log(
    `${name.padEnd(9)} to fetch ${us(median(sent[name]!)).padStart(8)}   ${name.endsWith(".json") ? "whole call" : "to first text"} ${us(median(ttft[name]!)).padStart(9)}`,
  );
for (const face of wanted) {
  for (const [label, series] of [
    ["to fetch", sent],
    [face === "json" ? "whole call" : "to first text", ttft],
  ] as const) {
    const a = series[`A.${face}`]!;
    const b = series[`B.${face}`]!;
    const paired = b.map((x, i) => x - a[i]!);
    const perRound = bootstrapInterval([paired], ([m]) => m!);
    const ofMedians = bootstrapInterval([a, b], ([ma, mb]) => mb! - ma!);
    console.log(
      `${face} ${label}: B − A ${us(median(paired))} [${us(perRound.low)} … ${us(perRound.high)}] per round; ` +
        `${us(median(b) - median(a))} [${us(ofMedians.low)} … ${us(ofMedians.high)}] of medians`,
    );
  }
}
process.exit(0);
