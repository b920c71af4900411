/**
 * Benchmark 2: the transport trade-off of `chat()`. Streaming under the hood lets the headers
 * deadline catch a black hole whatever the reply's length, and costs the CPU of reading a stream;
 * a JSON call costs one parse, and can only tell a black hole from a long reply by waiting longer
 * than the longest reply. CPU per call and black-hole detection time, for each reply length.
 */
import { performance } from "node:perf_hooks";
import { faults } from "../src/testing/index.js";
import type { BenchContext } from "./lib/context.js";
import { facesFor, request } from "./lib/faces.js";
import { cpuPerCallOf, interleave, type VariantSamples } from "./lib/interleave.js";
import { jsonDelayMs, type Pacing } from "./lib/pacing.js";
import { openAIKit } from "./lib/providers.js";
import { fmtCount, fmtMs, fmtRatio, fmtUs, type Row, type Section } from "./lib/report.js";
import { summarize } from "./lib/stats.js";
import { sleep, waitUntil } from "./lib/timing.js";

/**
 * The smallest first-content deadline that never cuts a healthy JSON reply of this pacing: its
 * generation time plus a quarter (and 100 ms for scheduling).
 */
export const safeJsonDeadlineMs = (pacing: Pacing): number => Math.ceil(jsonDelayMs(pacing) * 1.25) + 100;

/** A fetch read loop that reads the body only every `gapMs`: how far spacing the reads can cut the CPU. */
const spacedRawRead = async (url: string, gapMs: number): Promise<void> => {
  const response = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
    body: JSON.stringify({ model: "gpt-4.1", messages: request.messages, stream: true }),
  });
  const reader = response.body!.getReader();
  for (let reads = 0; ; reads++) {
    if (reads > 1) await sleep(gapMs);
    if ((await reader.read()).done) return;
  }
};

export const runTransport = async (ctx: BenchContext): Promise<Section> => {
  const { pacing, transport } = ctx.config;
  const rows: Row[] = [];
  const detection: Row[] = [];
  const spacedGapMs = 50;
  const blackHole = await ctx.host.start("transport-black-hole", "openai");
  await blackHole.setDefault(faults.blackHole());
  for (const events of pacing.transportEvents) {
    const p: Pacing = { ...pacing.short, events };
    const mock = await ctx.host.startPaced(`transport-${events}`, "openai", p);
    const faces = facesFor(ctx.lib, "openai", mock);
    ctx.log(`transport: ${events}-event replies`);
    const samples = (await interleave(
      {
        sdkJson: faces.sdkJson,
        chatJson: faces.chatJson,
        chat: faces.chat,
        raw: faces.raw,
        rawSpaced: () => spacedRawRead(mock.baseURL, spacedGapMs),
      },
      { warmupRounds: 1, rounds: transport.rounds, blockSize: events >= 300 ? 1 : 10 },
    )) as Record<string, VariantSamples>;
    const cpu = (v: string): number => cpuPerCallOf(samples[v]!);
    const latency = (v: string): number => summarize(samples[v]!.elapsed).median;
    const floor = cpu("sdkJson");
    const cell = (v: string): string => `${fmtUs(cpu(v))} (${fmtRatio(cpu(v) / floor)})`;
    rows.push({
      cells: [
        fmtCount(events),
        fmtUs(floor),
        cell("chatJson"),
        cell("chat"),
        cell("raw"),
        cell("rawSpaced"),
        `${fmtMs(latency("sdkJson"))} / ${fmtMs(latency("chat"))} / ${fmtMs(latency("chatJson"))}`,
      ],
    });

    // Black hole: a fresh client whose primary reads the request and never answers, per transport,
    // each with the first-content deadline a JSON call of this length needs to never cut a reply.
    const safe = safeJsonDeadlineMs(p);
    const fallback = openAIKit(ctx.lib, mock).adapter("fallback");
    const primary = openAIKit(ctx.lib, blackHole).adapter("primary");
    const timeTo = async (kind: "stream" | "json"): Promise<number> => {
      const client = ctx.lib.createClient({
        providers: [primary, fallback],
        transport: kind,
        deadlines: { headersMs: transport.headersMs, firstContentMs: safe },
      });
      const start = performance.now();
      const result = await client.chat(request);
      const failed = result.attempts[0];
      if (result.provider !== "fallback" || failed?.outcome !== "timeout")
        throw new Error(`transport bench: the black hole was not detected (${kind})`);
      return (
        performance.now() - start - summarize(samples[kind === "json" ? "chatJson" : "chat"]!.elapsed).median
      );
    };
    const streamMs = await timeTo("stream");
    const jsonMs = await timeTo("json");
    await waitUntil(
      async () => (await blackHole.stats()).inFlight === 0,
      10_000,
      "black-holed requests to close",
    );
    detection.push({
      cells: [fmtCount(events), fmtMs(jsonDelayMs(p)), fmtMs(streamMs), fmtMs(jsonMs), `${fmtMs(safe)}`],
    });
  }
  return {
    id: "transport",
    heading: "The transport trade-off of chat()",
    intro: [
      '`chat()` streams under the hood by default (`transport: "stream"`): the headers deadline then catches a ' +
        "black hole whatever the reply's length, at the CPU cost of reading a stream, which wakes the process for " +
        'every event. `transport: "json"` costs one parse, but a provider answers JSON only once the whole reply ' +
        "is generated, so a black hole can only be told from a long reply by waiting longer than the longest reply " +
        "(`deadlines.firstContentMs`). OpenAI mock, paced as in section 1.",
    ],
    tables: [
      {
        title: "CPU per call (and ratio to the SDK's JSON call), by reply length",
        columns: [
          "reply (events)",
          "SDK JSON call",
          'chat(), `transport: "json"`',
          "chat(), streaming (default)",
          "raw `fetch` read loop",
          `raw loop reading every ${spacedGapMs} ms`,
          "latency: SDK JSON / chat() / chat(json)",
        ],
        rows,
        notes: [
          `${transport.rounds} interleaved rounds per length. The last two columns are floors of any reader of the ` +
            "stream: per-event reads, and reads spaced out so events pile up between them. Spacing the reads does " +
            "not bring a stream near a JSON call: Node's `fetch` (undici) still reads the socket and parses every " +
            "chunk as it arrives, until 16 KiB are buffered unread.",
        ],
      },
      {
        title: "Time to detect a black hole (primary reads the request, never answers), by reply length",
        columns: [
          "reply (events)",
          "healthy reply takes",
          "streaming: detected after",
          "JSON: detected after",
          "JSON's first-content deadline",
        ],
        rows: detection,
        notes: [
          `Streaming: \`deadlines.headersMs: ${transport.headersMs}\`, the same for every length. JSON: ` +
            "`firstContentMs` must exceed the longest healthy reply, here its generation time + 25 % + 100 ms. " +
            "Detected after = time to the fallback's answer minus a healthy call's. At a real provider's pace " +
            "(20–50 ms per token) a 1,000-token reply takes 20–50 s, so a JSON call needs a first-content deadline " +
            "near a minute, while streaming keeps the headers deadline (10 s by default) for every length. Every " +
            "call sent during that first deadline waits it out; later calls hedge to the next provider after " +
            "`suspectHedgeDelayMs` whichever the transport.",
        ],
      },
    ],
    notes: [
      "**The default stays `stream`.** No reader of a stream comes near a JSON call's CPU (spaced reads " +
        "included: first table), and no JSON call tells a black hole from a long reply before its first-content " +
        "deadline (second table). Choosing the transport from the provider's state (JSON while it is healthy, " +
        "streaming once it is suspect) was considered and not built: every call sent before the provider turns " +
        "suspect, the first calls of an outage, would wait out that deadline, near a minute at a real pace, which " +
        'is the wait the library exists to avoid. `transport: "json"` (per client, provider or call) is the choice ' +
        "where CPU per call matters more than how fast those first calls fall over.",
    ],
  };
};
