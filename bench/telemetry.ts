/**
 * What OpenTelemetry costs a call. The same in-memory adapter (no I/O) behind two clients: one with
 * `telemetry: false`, one with the default (the global providers). Measured twice: before any SDK is
 * registered (what every app without OpenTelemetry pays: the target is ≤ 2 µs per call), then with
 * the real SDK registered (BatchSpanProcessor to an exporter that drops, a MeterProvider with a
 * reader): what recording a call span, its attempt span and the metrics costs.
 *
 *   npx tsx bench/telemetry.ts            full run, prints the markdown section
 *   npx tsx bench/telemetry.ts --quick
 *
 * Two views. "Telemetry's own work": the events of a one-attempt call replayed through the engine's
 * event channels exactly as the engine emits them (a payload is built only when someone listens),
 * with and without telemetry attached: precise, since nothing else runs. "Through the engine": the
 * same clients making real calls, which adds the engine's own noise. Rounds alternate between the
 * two sides, so drift and other load hit both alike; CPU time from `process.cpuUsage()`; each side's
 * cost is its best round, the median of the per-round differences is shown beside it.
 */
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { callStartEvent, callStartRequest, okOutcome } from "../src/engine/call-events.js";
import { EngineEvents } from "../src/engine/events.js";
import { createClient, type FailoverClient } from "../src/index.js";
import type { Attempt } from "../src/spec/attempt.js";
import type { ChatResult } from "../src/spec/chat.js";
import { attachTelemetry } from "../src/telemetry/attach-telemetry.js";
import { InMemoryAdapter } from "./lib/in-memory-adapter.js";
import { median } from "./lib/stats.js";

const TARGET_NO_SDK_US = 2;

const messages = [{ role: "user" as const, content: "Say hello." }];

interface Variant {
  label: string;
  run: (client: FailoverClient) => Promise<unknown>;
}

const variants: Variant[] = [
  { label: "chat()", run: (client) => client.chat({ messages }) },
  {
    label: "stream() (4 text events)",
    run: async (client) => {
      for await (const _event of client.stream({ messages })) {
        // drain
      }
    },
  },
];

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** CPU µs per call of `calls` sequential calls. */
const round = async (client: FailoverClient, variant: Variant, calls: number): Promise<number> => {
  const start = cpuNow();
  for (let i = 0; i < calls; i++) await variant.run(client);
  return (cpuNow() - start) / calls;
};

interface Paired {
  off: number;
  on: number;
  added: number;
  medianAdded: number;
}

/** CPU per call of each client (see `estimate`), rounds alternating between them. */
const compare = async (
  off: FailoverClient,
  on: FailoverClient,
  variant: Variant,
  rounds: number,
  calls: number,
): Promise<Paired> => {
  // Warm up until the JIT has settled (the first thousands of calls cost several times more).
  for (let i = 0; i < 3; i++) for (const client of [off, on]) await round(client, variant, calls);
  const offs: number[] = [];
  const ons: number[] = [];
  const diffs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [off, on] : [on, off];
    const [a, b] = [await round(order[0]!, variant, calls), await round(order[1]!, variant, calls)];
    const [offUs, onUs] = order[0] === off ? [a, b] : [b, a];
    offs.push(offUs);
    ons.push(onUs);
    diffs.push(onUs - offUs);
  }
  return estimate(offs, ons, diffs);
};

const usage = { inputTokens: 8, outputTokens: 4, cachedInputTokens: 0, totalTokens: 12 };
const finishReason = { unified: "stop" as const, raw: "stop" };
const replayRequest = { messages };
let replayed = 0;

/** One healthy one-attempt call's events, emitted as the engine emits them. */
const replayCall = (events: EngineEvents): void => {
  const callId = `bench-${replayed++}`;
  const primary = { provider: "memory", model: "in-memory-model" };
  if (events.callStart.active)
    events.callStart.emit(
      callStartEvent(callId, "chat", callStartRequest(replayRequest), primary, replayRequest),
    );
  events.attemptStart.emit({ callId, ...primary, reason: "initial" });
  const open = (): number => 1;
  if (events.runAttempt) events.runAttempt(callId, "memory", open);
  else open();
  const attempt: Attempt = { ...primary, outcome: "ok", status: undefined, durationMs: 1, reason: "initial" };
  if (events.attemptEnd.active) {
    events.attemptEnd.emit({
      callId,
      attempt,
      timeToFirstContentMs: 1,
      usage,
      responseModel: primary.model,
      responseId: "r-1",
      finishReason,
    });
  }
  const result = { ...primary, finishReason, usage } as ChatResult;
  events.callEnd.emit({
    callId,
    operation: "chat",
    outcome: okOutcome(result),
    durationMs: 1,
    attempts: [attempt],
  });
};

/** CPU µs per replayed call, without and with telemetry attached (see `estimate`). */
const compareReplay = (rounds: number, calls: number): Paired => {
  const off = new EngineEvents();
  const on = new EngineEvents();
  attachTelemetry(on, [new InMemoryAdapter("memory")], () => [], undefined);
  const measure = (events: EngineEvents): number => {
    const start = cpuNow();
    for (let i = 0; i < calls; i++) replayCall(events);
    return (cpuNow() - start) / calls;
  };
  for (let i = 0; i < 3; i++) {
    measure(off);
    measure(on);
  }
  const offs: number[] = [];
  const ons: number[] = [];
  const diffs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let offUs: number;
    let onUs: number;
    if (r % 2 === 0) {
      offUs = measure(off);
      onUs = measure(on);
    } else {
      onUs = measure(on);
      offUs = measure(off);
    }
    offs.push(offUs);
    ons.push(onUs);
    diffs.push(onUs - offUs);
  }
  return estimate(offs, ons, diffs);
};

/**
 * Each side's cost is its best round: other processes' load only ever adds CPU time to a round (the
 * machine these numbers come from is shared). The median of the per-round differences is kept as a
 * cross-check.
 */
const estimate = (offs: number[], ons: number[], diffs: number[]): Paired => {
  const off = Math.min(...offs);
  const on = Math.min(...ons);
  return { off, on, added: on - off, medianAdded: median(diffs) };
};

/** An exporter that drops everything: the SDK's own work is measured, not a network. */
const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

class IdleReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

export interface TelemetryBenchResult {
  rows: (Paired & { measure: string; target?: string; pass?: boolean })[];
  markdown: string;
}

export interface TelemetryBenchOptions {
  quick?: boolean;
  /** Iteration counts (the smoke test's tiny ones); default by `quick`. */
  sizes?: { rounds: number; calls: number; replayRounds: number; replayCalls: number };
}

export const runTelemetryBench = async ({
  quick = false,
  sizes = quick
    ? { rounds: 6, calls: 500, replayRounds: 10, replayCalls: 20_000 }
    : { rounds: 16, calls: 2_000, replayRounds: 20, replayCalls: 50_000 },
}: TelemetryBenchOptions = {}): Promise<TelemetryBenchResult> => {
  const { rounds, calls, replayRounds, replayCalls } = sizes;
  const clientOf = (telemetry: false | undefined) =>
    createClient({
      providers: [new InMemoryAdapter("memory")],
      ...(telemetry === false ? { telemetry } : {}),
    });
  const off = clientOf(false);
  const on = clientOf(undefined);
  // The noise floor: two identical clients measured the same way.
  const control = clientOf(false);
  const rows: TelemetryBenchResult["rows"] = [];
  const measureAll = async (when: string, target: boolean): Promise<void> => {
    const replay = compareReplay(replayRounds, replayCalls);
    rows.push({
      measure: `telemetry's own work per call, ${when}`,
      ...replay,
      ...(target ? { target: `≤ +${TARGET_NO_SDK_US} µs`, pass: replay.added <= TARGET_NO_SDK_US } : {}),
    });
    for (const variant of variants) {
      rows.push({
        measure: `${variant.label} through the engine, ${when}`,
        ...(await compare(off, on, variant, rounds, calls)),
      });
    }
  };
  for (const variant of variants) {
    rows.push({
      measure: `control, two \`telemetry: false\` clients: ${variant.label}`,
      ...(await compare(off, control, variant, rounds, calls)),
    });
  }
  await measureAll("no SDK registered", true);
  // Now as an app with OpenTelemetry set up.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  try {
    await measureAll("SDK registered", false);
  } finally {
    trace.disable();
    metrics.disable();
    context.disable();
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  }
  const us = (value: number) => `${value.toFixed(2)} µs`;
  const signed = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(2)} µs`;
  const table = [
    "| measure | `telemetry: false` | default | added | added (median of rounds) | target | result |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (row) =>
        `| ${row.measure}: CPU per call | ${us(row.off)} | ${us(row.on)} | ${signed(row.added)} | ${signed(row.medianAdded)} | ${row.target ?? "—"} | ${row.pass === undefined ? "—" : row.pass ? "pass" : "miss"} |`,
    ),
  ];
  const load = loadavg()[0]!.toFixed(1);
  const markdown = [
    "## Telemetry",
    "",
    "What OpenTelemetry costs a call, `@opentelemetry/api` installed: a client with the default telemetry (the global providers) against one with `telemetry: false`. First with no SDK registered — what every app without OpenTelemetry pays — then with the real SDK registered (sdk-trace-base 2.x, a `BatchSpanProcessor` to an exporter that drops everything; sdk-metrics 2.x with a reader): a call span, an attempt span, the duration, token and attempt metrics. Without `@opentelemetry/api` installed, or with `telemetry: false`, nothing is subscribed: the cost is zero.",
    "",
    "*Telemetry's own work* replays a healthy one-attempt call's events through the engine's event channels exactly as the engine emits them (a payload is built only when someone listens), with and without telemetry attached — precise, nothing else runs. *Through the engine* makes real calls to an in-memory adapter (no I/O), so the engine's own noise is in it: the control rows measure two identical clients the same way, and show how large that noise is on this machine.",
    "",
    ...table,
    "",
    `${new Date().toISOString()}, \`src/\` through tsx (both sides alike). Replay: ${replayRounds} rounds × ${replayCalls.toLocaleString("en-US")} calls per side; engine: ${rounds} rounds × ${calls.toLocaleString("en-US")} sequential calls per client; alternating; CPU per call from \`process.cpuUsage()\`. Each side is its best round (load from other processes only adds time to a round); the median of the per-round differences beside it. 1-minute load average at the end: ${load}. \`npx tsx bench/telemetry.ts\` (or \`npm run bench -- --only telemetry\`).`,
    "",
  ].join("\n");
  return { rows, markdown };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
  const { markdown, rows } = await runTelemetryBench({ quick: values.quick });
  console.log(markdown);
  for (const row of rows.filter((r) => r.pass !== undefined)) {
    console.error(
      `${row.pass ? "pass" : "MISS"}  telemetry, ${row.measure}: ${row.added.toFixed(2)} µs per call`,
    );
  }
}
