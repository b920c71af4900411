/**
 * CPU per streamed event of each layer of the OpenAI path, in memory (no network): what each layer
 * adds on top of the one below, for deciding where the per-event cost goes (not part of
 * `npm run bench`):
 *
 *   npx tsx bench/layers.ts            EVENTS=1000 ROUNDS=30 by default; ONLY=raw,engine to pick
 *
 * raw: a web-stream read loop over the body · sse: SseEventReader, event by event · batch: the
 * same, a read at a time · convert: the part iterator (JSON.parse and conversion) · adapter: the
 * OpenAI adapter through the SDK's `create().asResponse()` · engine: `client.stream()`.
 */
import OpenAI from "openai";
import { createClient, openai } from "../src/index.js";
import { convertOpenAIStream } from "../src/providers/openai/convert-openai-stream.js";
import { SseEventReader } from "../src/providers/shared/read-sse-events.js";
import { cpuPerCallOf, interleave } from "./lib/interleave.js";

const events = Number(process.env.EVENTS ?? 1000);
const encoder = new TextEncoder();
const chunk = (delta: string, finish: string | null): string =>
  `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","system_fingerprint":"fp_1","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}],"usage":null}\n\n`;
const sse = [
  chunk('{"role":"assistant","content":""}', null),
  ...Array.from({ length: events }, () => chunk('{"content":"abcd"}', null)),
  chunk("{}", '"stop"'),
  "data: [DONE]\n\n",
].map((s) => encoder.encode(s));
const body = (): ReadableStream<Uint8Array> => {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < sse.length) controller.enqueue(sse[i++]!);
      else controller.close();
    },
  });
};
const fakeFetch = (async () =>
  new Response(body(), { status: 200, headers: { "content-type": "text/event-stream" } })) as typeof fetch;
const client = new OpenAI({
  apiKey: "sk-bench",
  baseURL: "http://127.0.0.1:9/v1",
  maxRetries: 0,
  fetch: fakeFetch,
});
const adapter = openai({ client, model: "gpt-4.1" });
const engine = createClient({ providers: [openai({ client, model: "gpt-4.1" })] });
const messages = [{ role: "user" as const, content: "hi" }];
const context = { provider: "p", model: "m", secrets: [] };

const variants: Record<string, () => Promise<unknown>> = {
  raw: async () => {
    const reader = body().getReader();
    while (!(await reader.read()).done) {
      // read
    }
  },
  sse: async () => {
    const reader = new SseEventReader(body());
    while (await reader.next()) {
      // read
    }
  },
  batch: async () => {
    const reader = new SseEventReader(body());
    while (await reader.nextBatch()) {
      // read
    }
  },
  convert: async () => {
    for await (const _ of convertOpenAIStream(new SseEventReader(body()), context)) {
      // read
    }
  },
  adapter: async () => {
    const parts = await adapter.stream(
      { model: "gpt-4.1", messages },
      { signal: new AbortController().signal, timeoutMs: 600_000 },
    );
    for await (const _ of parts) {
      // read
    }
  },
  engine: async () => {
    for await (const _ of engine.stream({ messages })) {
      // read
    }
  },
};
const only = process.env.ONLY?.split(",");
const picked = Object.fromEntries(Object.entries(variants).filter(([name]) => !only || only.includes(name)));
const samples = await interleave(picked, {
  warmupRounds: 3,
  rounds: Number(process.env.ROUNDS ?? 30),
  blockSize: 2,
});
for (const [name, s] of Object.entries(samples))
  console.log(`${name.padEnd(8)} ${(cpuPerCallOf(s) / events).toFixed(2)} µs CPU per event`);
