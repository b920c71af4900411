/**
 * How a client finds its telemetry: the global providers, read on every call (an SDK registered after
 * the client was built is used); providers passed explicitly; `false`; prompts and replies only when
 * asked for; telemetry's own failures kept out of the call. The real SDK, real adapters, mock servers.
 */
import { type DiagLogger, diag, metrics, trace } from "@opentelemetry/api";
import { AlwaysOffSampler, BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EngineEvents } from "../../src/engine/events.js";
import { type ClientOptions, createClient, isConfigError, openai } from "../../src/index.js";
import { attachTelemetry } from "../../src/telemetry/attach-telemetry.js";
import { loadOtelApi } from "../../src/telemetry/load-otel-api.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { histogramOf, type OtelSdk, startOtelSdk } from "./helpers/otel-sdk.js";

const PROMPT = "PROMPT-CANARY-91ab: the purple elephant ledger";
const messages = [{ role: "user" as const, content: PROMPT }];

let mock: MockProvider;
const started: OtelSdk[] = [];
const sdkFor = (options?: { register?: boolean }): OtelSdk => {
  const sdk = startOtelSdk(options);
  started.push(sdk);
  return sdk;
};

beforeEach(async () => {
  mock = await startMockProvider({ kind: "openai", name: "openai", model: "gpt-4.1-2025-04-14" });
});
afterEach(async () => {
  await mock.close();
  await Promise.all(started.splice(0).map((sdk) => sdk.stop()));
  vi.unstubAllEnvs();
  diag.disable();
});

const clientOf = (options: Partial<ClientOptions> = {}) =>
  createClient({
    providers: [
      openai({ client: new OpenAI({ apiKey: "sk-test-openai", baseURL: mock.baseURL }), model: "gpt-4.1" }),
    ],
    ...options,
  });

/** A call-start event's generation parameters (for events emitted by hand). */
const startParams = {
  maxTokens: undefined,
  temperature: undefined,
  topP: undefined,
  tools: 0,
  structuredOutput: false,
};

const durationCount = async (sdk: OtelSdk): Promise<number> =>
  histogramOf(await sdk.metrics(), "gen_ai.client.operation.duration").reduce((n, p) => n + p.value.count, 0);

describe("the global providers", () => {
  it("are read on every call: a client built before the app registers its SDK is traced from then on", async () => {
    const client = clientOf();
    await client.chat({ messages }); // no SDK yet: nothing to record, nothing breaks
    const sdk = sdkFor();
    await client.chat({ messages });
    expect(sdk.spans().map((span) => span.name)).toEqual(["chat gpt-4.1", "chat gpt-4.1"]);
    expect(await durationCount(sdk)).toBe(1);
  });

  it("a call the SDK does not sample is not followed: one unsampled span, no attempt spans", async () => {
    const provider = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
    const tracer = provider.getTracer("ai-failover");
    const startSpan = vi.spyOn(tracer, "startSpan");
    vi.spyOn(provider, "getTracer").mockReturnValue(tracer);
    const client = clientOf({ telemetry: { tracerProvider: provider, meterProvider: false } });
    mock.script(faults.serverError(503));
    await client.chat({ messages, policy: { retry: { maxRetries: 1, backoff: { initialDelayMs: 1 } } } });
    expect(startSpan).toHaveBeenCalledTimes(1);
  });
});

describe("options", () => {
  it("tracerProvider and meterProvider send this client's telemetry there, whatever is registered", async () => {
    const global = sdkFor();
    const own = sdkFor({ register: false });
    const client = clientOf({
      telemetry: { tracerProvider: own.tracerProvider, meterProvider: own.meterProvider },
    });
    await client.chat({ messages });
    expect(own.spans()).toHaveLength(2);
    expect(await durationCount(own)).toBe(1);
    expect(global.spans()).toEqual([]);
    expect(await durationCount(global)).toBe(0);
  });

  it("telemetry: false records nothing, tracerProvider: false keeps the metrics", async () => {
    const sdk = sdkFor();
    await clientOf({ telemetry: false }).chat({ messages });
    expect(sdk.spans()).toEqual([]);
    expect(await durationCount(sdk)).toBe(0);
    await clientOf({ telemetry: { tracerProvider: false } }).chat({ messages });
    expect(sdk.spans()).toEqual([]);
    expect(await durationCount(sdk)).toBe(1);
    await clientOf({ telemetry: { meterProvider: false } }).chat({ messages });
    expect(sdk.spans()).toHaveLength(2);
    expect(await durationCount(sdk)).toBe(1);
  });

  it("a bad telemetry option is a ConfigError naming the field", () => {
    for (const telemetry of [{ tracerProvider: {} }, { captureContent: "yes" }, { tracer: {} }, true]) {
      let error: unknown;
      try {
        clientOf({ telemetry: telemetry as never });
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error), JSON.stringify(telemetry)).toBe(true);
      expect(String((error as Error).message)).toContain("telemetry");
    }
  });
});

describe("content", () => {
  it("prompts and replies are recorded only with captureContent, on the call span, never in events", async () => {
    const sdk = sdkFor();
    const client = clientOf({ telemetry: { captureContent: true } });
    const payloads: unknown[] = [];
    client.onCallStart((event) => payloads.push(event));
    client.onCallEnd((event) => payloads.push(event));
    const result = await client.chat({ messages: [{ role: "system", content: "Be brief." }, ...messages] });
    const [attempt, call] = sdk.spans();
    expect(JSON.parse(String(call!.attributes["gen_ai.input.messages"]))).toEqual([
      { role: "system", parts: [{ type: "text", content: "Be brief." }] },
      { role: "user", parts: [{ type: "text", content: PROMPT }] },
    ]);
    expect(JSON.parse(String(call!.attributes["gen_ai.output.messages"]))).toEqual([
      { role: "assistant", parts: [{ type: "text", content: result.text }], finish_reason: "stop" },
    ]);
    expect(JSON.stringify(attempt!.attributes)).not.toContain("PROMPT-CANARY");
    expect(JSON.stringify(payloads)).not.toContain("PROMPT-CANARY");
    // Another client of the same process, without the option, records none.
    sdk.resetSpans();
    await clientOf().chat({ messages });
    expect(JSON.stringify(sdk.spans().map((span) => span.attributes))).not.toContain("PROMPT-CANARY");
  });

  it("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true turns it on; the option wins over it", async () => {
    const sdk = sdkFor();
    vi.stubEnv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true");
    await clientOf().chat({ messages });
    expect(sdk.spans()[1]!.attributes["gen_ai.input.messages"]).toContain("PROMPT-CANARY");
    sdk.resetSpans();
    await clientOf({ telemetry: { captureContent: false } }).chat({ messages });
    expect(sdk.spans()[1]!.attributes).not.toHaveProperty("gen_ai.input.messages");
  });
});

describe("failures of telemetry itself", () => {
  it("a tracer that throws never breaks the call nor reaches onListenerError: OpenTelemetry's diag logger gets it", async () => {
    const errors: unknown[][] = [];
    const logger: DiagLogger = {
      error: (...args) => errors.push(args),
      warn: () => {},
      info: () => {},
      debug: () => {},
      verbose: () => {},
    };
    diag.setLogger(logger);
    const broken = {
      getTracer: () => ({
        startSpan: () => {
          throw new Error("exporter exploded");
        },
      }),
    };
    const onListenerError = vi.fn();
    const client = clientOf({ telemetry: { tracerProvider: broken, meterProvider: false }, onListenerError });
    const result = await client.chat({ messages });
    expect(result.provider).toBe("openai");
    expect(onListenerError).not.toHaveBeenCalled();
    expect(errors.some((args) => String(args[1]).includes("exporter exploded"))).toBe(true);
  });

  it("without @opentelemetry/api nothing is subscribed: the client's events stay idle", () => {
    const events = new EngineEvents();
    attachTelemetry(events, [], () => [], undefined, { api: undefined });
    expect([events.callStart, events.attemptEnd, events.callEnd].map((channel) => channel.active)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("with @opentelemetry/api but no SDK, a call builds no event payload; once an SDK records, it does", () => {
    const events = new EngineEvents();
    attachTelemetry(events, [], () => [], {}, { api: loadOtelApi() });
    const perCall = [events.callStart, events.attemptStart, events.attemptEnd, events.callEnd, events.retry];
    expect(perCall.map((channel) => channel.active)).toEqual([false, false, false, false, false]);
    // Metrics of fall-overs, skips and breaker moves need no followed call.
    expect([events.fallback, events.skip, events.breakerStateChange].every((c) => c.active)).toBe(true);
    sdkFor();
    expect(events.callStart.active).toBe(true);
    events.callStart.emit({
      callId: "c1",
      operation: "chat",
      provider: "openai",
      model: "gpt-4.1",
      request: startParams,
    });
    expect(perCall.slice(1).map((channel) => channel.active)).toEqual([true, true, true, true]);
  });

  it("metrics turned off after a call: the breaker gauge stops reporting to the old provider", async () => {
    const sdk = sdkFor();
    const client = clientOf();
    await client.chat({ messages });
    trace.disable();
    metrics.disable();
    await client.chat({ messages });
    // (Collected once, at the end: a collection keeps what it observed.)
    const collected = await sdk.metrics();
    expect(collected.get("gen_ai.client.operation.duration")?.dataPoints.length).toBe(1);
    expect(collected.get("ai_failover.breaker.state")?.dataPoints ?? []).toEqual([]);
  });

  it("a tracer provider that throws when asked keeps its calls followed: the failure goes to diag, not the call", async () => {
    const errors: unknown[][] = [];
    diag.setLogger({ error: (...args) => errors.push(args), warn() {}, info() {}, debug() {}, verbose() {} });
    const broken = {
      getTracer: () => {
        throw new Error("provider exploded");
      },
    };
    const client = clientOf({ telemetry: { tracerProvider: broken, meterProvider: false } });
    const result = await client.chat({ messages });
    expect(result.provider).toBe("openai");
    expect(errors.some((args) => String(args[1]).includes("provider exploded"))).toBe(true);
  });

  it("a call its caller dropped unfinished is given up once too many are in flight: its span ends as abandoned", async () => {
    const sdk = sdkFor();
    const events = new EngineEvents();
    attachTelemetry(events, [], () => [], {}, { api: loadOtelApi(), maxCallsInFlight: 2 });
    for (const callId of ["dropped", "second", "third"]) {
      events.callStart.emit({
        callId,
        operation: "stream",
        provider: "openai",
        model: "gpt-4.1",
        request: startParams,
      });
    }
    expect(
      sdk.spans().map((span) => [span.attributes["ai_failover.call.id"], span.attributes["error.type"]]),
    ).toEqual([["dropped", "abandoned"]]);
  });
});
