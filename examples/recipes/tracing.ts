/**
 * Recipe: seeing failovers in a trace. The app sets up OpenTelemetry as usual (here the console
 * exporter); the client needs no option: every call is a `chat {model}` span with a child per
 * attempt, and the GenAI metrics are recorded.
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/tracing.ts
 * See docs/recipes/tracing.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { anthropic, createClient, openai } from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

// --- the app's OpenTelemetry setup (usually a file loaded first: node --import ./instrumentation.js) ---
const verbose = process.argv.includes("--console");
const spans = new InMemorySpanExporter(); // kept to print the trees below
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [
    new SimpleSpanProcessor(spans),
    // Every span printed in full as it ends (`--console`); in production: an OTLP exporter.
    ...(verbose ? [new SimpleSpanProcessor(new ConsoleSpanExporter())] : []),
  ],
});
trace.setGlobalTracerProvider(tracerProvider);
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 })],
});
metrics.setGlobalMeterProvider(meterProvider);
// --- end of the setup: nothing below mentions OpenTelemetry but the app's own request span ---

const mocks = await startMockProviders({ openai: {}, anthropic: {} });
const llm = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
  breaker: { consecutiveFailures: 2 },
});
const messages = [{ role: "user" as const, content: "Where is my order?" }];

/** A request handler of the app: its span is the parent of the library's. */
const handleRequest = (): Promise<unknown> => {
  const span = trace.getTracer("app").startSpan("POST /api/support");
  return context
    .with(trace.setSpan(context.active(), span), () => llm.chat({ messages }))
    .finally(() => span.end());
};

/** The trace of the last request, one line per span and span event, as a trace view lays it out. */
const printTrace = (title: string): ReadableSpan[] => {
  const finished = spans.getFinishedSpans();
  spans.reset();
  const children = (parent: ReadableSpan) =>
    finished.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
  const describe = (s: ReadableSpan): string => {
    const a = s.attributes;
    if (a["ai_failover.attempt.outcome"] !== undefined) {
      const status = a["http.response.status_code"] ? ` ${a["http.response.status_code"]}` : "";
      const tokens =
        a["gen_ai.usage.output_tokens"] !== undefined
          ? `, ${a["gen_ai.usage.input_tokens"]} in / ${a["gen_ai.usage.output_tokens"]} out tokens`
          : "";
      return `${s.name} [${a["gen_ai.provider.name"]}] ${a["ai_failover.attempt.outcome"]}${status}${tokens}`;
    }
    if (a["ai_failover.call.id"] !== undefined) {
      return `${s.name} → ${a["gen_ai.provider.name"]} (${a["gen_ai.response.model"] ?? a["error.type"]}), ${a["ai_failover.attempt_count"]} attempt(s)`;
    }
    return s.name;
  };
  const eventLine = (e: ReadableSpan["events"][number]): string => {
    const a = e.attributes ?? {};
    const detail =
      e.name === "ai_failover.failover"
        ? `${a["ai_failover.from"]} → ${a["ai_failover.to"]} (${a["ai_failover.failure_class"]})`
        : e.name === "ai_failover.breaker"
          ? `${a["ai_failover.provider"]} ${a["ai_failover.breaker.from"]} → ${a["ai_failover.breaker.to"]}`
          : e.name === "ai_failover.skip"
            ? `${a["ai_failover.provider"]} (${a["ai_failover.skip.reason"]})`
            : "";
    return `event ${e.name} ${detail}`;
  };
  console.log(`\n${title}`);
  const print = (s: ReadableSpan, depth: number): void => {
    console.log(`${"  ".repeat(depth)}${describe(s)}`);
    for (const e of s.events) console.log(`${"  ".repeat(depth + 1)}${eventLine(e)}`);
    for (const child of children(s)) print(child, depth + 1);
  };
  for (const root of finished.filter((s) => !s.parentSpanContext)) print(root, 0);
  return finished;
};

await handleRequest();
printTrace("1. healthy:");

mocks.openai.setDefault(faults.serverError(503));
await handleRequest();
const failover = printTrace("2. OpenAI answers 503:");

await handleRequest();
printTrace("3. OpenAI fails again, its breaker opens:");

await handleRequest();
const skipped = printTrace("4. breaker open, OpenAI is not even asked:");

// The metrics, as a collector would receive them.
await meterProvider.forceFlush();
const collected =
  metricExporter
    .getMetrics()
    .at(-1)
    ?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
console.log("\nmetrics:");
for (const metric of collected) {
  for (const point of metric.dataPoints) {
    const value = typeof point.value === "number" ? point.value : `count ${point.value.count}`;
    const labels = Object.entries(point.attributes)
      .filter(([key]) => !["gen_ai.operation.name", "gen_ai.request.model"].includes(key))
      .map(([key, v]) => `${key.replace(/^(gen_ai|ai_failover)\./, "")}=${v}`)
      .join(" ");
    if (metric.descriptor.name !== "ai_failover.breaker.state" || value === 1)
      console.log(`  ${metric.descriptor.name} {${labels}} ${value}`);
  }
}

await mocks.close();
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);

const attemptsOf = (finished: ReadableSpan[]) =>
  finished.filter((s) => s.attributes["ai_failover.attempt.outcome"] !== undefined);
const eventNames = (finished: ReadableSpan[]) => finished.flatMap((s) => s.events.map((e) => e.name));
if (
  attemptsOf(failover)
    .map((s) => s.attributes["ai_failover.attempt.outcome"])
    .join() !== "server_error,ok" ||
  !eventNames(failover).includes("ai_failover.failover") ||
  attemptsOf(skipped).length !== 1 ||
  !eventNames(skipped).includes("ai_failover.skip") ||
  !collected.some((m) => m.descriptor.name === "gen_ai.client.operation.duration")
) {
  console.error("unexpected result");
  process.exit(1);
}
