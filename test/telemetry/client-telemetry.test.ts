/**
 * Spans and metrics of real calls: the real OpenTelemetry SDK registered globally (in-memory span
 * exporter, pull metric reader), real SDK clients behind the library's adapters, faults on the wire
 * from the mock servers. A trace must say which provider served and why the others did not.
 */
import Anthropic from "@anthropic-ai/sdk";
import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  anthropic,
  type ClientOptions,
  createClient,
  isAllProvidersFailedError,
  isStreamInterruptedError,
  openai,
} from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { histogramOf, type OtelSdk, pointsOf, startOtelSdk } from "./helpers/otel-sdk.js";

const PROMPT = "PROMPT-CANARY-7c2d: the purple elephant ledger";
const messages = [{ role: "user" as const, content: PROMPT }];

let sdk: OtelSdk;
let primary: MockProvider;
let fallback: MockProvider;

beforeAll(() => {
  sdk = startOtelSdk();
});
afterAll(async () => {
  await sdk.stop();
});

beforeEach(async () => {
  primary = await startMockProvider({ kind: "openai", name: "openai", model: "gpt-4.1-2025-04-14" });
  fallback = await startMockProvider({ kind: "anthropic", name: "anthropic" });
});
afterEach(async () => {
  await Promise.all([primary.close(), fallback.close()]);
  sdk.resetSpans();
});

const clientOf = (options: Partial<ClientOptions> = {}) =>
  createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: "sk-test-openai", baseURL: primary.baseURL }),
        model: "gpt-4.1",
      }),
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-test", baseURL: fallback.baseURL }),
        model: "claude-sonnet-4-6",
      }),
    ],
    retry: { maxRetries: 0 },
    ...options,
  });

/** The call span and its attempt spans, in the order the attempts started. */
const traceOf = (spans: ReadableSpan[]) => {
  const calls = spans.filter((span) => span.kind === SpanKind.INTERNAL);
  expect(calls).toHaveLength(1);
  const call = calls[0]!;
  const attempts = spans
    .filter((span) => span.parentSpanContext?.spanId === call.spanContext().spanId)
    .sort((a, b) => (a.startTime[0] - b.startTime[0]) * 1e9 + (a.startTime[1] - b.startTime[1]));
  for (const attempt of attempts) {
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(attempt.spanContext().traceId).toBe(call.spanContext().traceId);
  }
  return { call, attempts };
};

const eventsOf = (span: ReadableSpan) =>
  span.events.map((event) => ({ name: event.name, ...event.attributes }));

/** Runs `fn` with a span of the app's own active, as a request handler would. */
const inAppSpan = async <T>(fn: () => Promise<T>): Promise<{ result: T; parent: Span }> => {
  const parent = trace.getTracer("app").startSpan("POST /api/chat", { kind: SpanKind.SERVER });
  try {
    const result = await context.with(trace.setSpan(context.active(), parent), fn);
    return { result, parent };
  } finally {
    parent.end();
  }
};

describe("a healthy call", () => {
  it("is one `chat {model}` span under the caller's span, with one attempt span holding the usage", async () => {
    const client = clientOf();
    const { result, parent } = await inAppSpan(() =>
      client.chat({ messages, maxTokens: 64, temperature: 0.2 }),
    );
    expect(result.provider).toBe("openai");
    const { call, attempts } = traceOf(sdk.spans());
    expect(call.name).toBe("chat gpt-4.1");
    expect(call.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(call.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1",
      "gen_ai.request.max_tokens": 64,
      "gen_ai.request.temperature": 0.2,
      "gen_ai.response.model": "gpt-4.1-2025-04-14",
      "gen_ai.response.id": expect.stringMatching(/^chatcmpl-/),
      "gen_ai.response.finish_reasons": ["stop"],
      "ai_failover.provider": "openai",
      "ai_failover.attempt_count": 1,
      "ai_failover.failed_over": false,
    });
    // Tokens live on the attempt that used them only: a backend summing spans counts them once.
    expect(Object.keys(call.attributes).filter((key) => key.startsWith("gen_ai.usage."))).toEqual([]);
    expect(call.attributes).not.toHaveProperty("gen_ai.request.stream");
    expect(call.attributes).not.toHaveProperty("error.type");
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.name).toBe("chat gpt-4.1");
    expect(attempts[0]!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1",
      "gen_ai.response.model": "gpt-4.1-2025-04-14",
      "gen_ai.usage.input_tokens": result.usage.inputTokens,
      "gen_ai.usage.output_tokens": result.usage.outputTokens,
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
      "ai_failover.attempt.outcome": "ok",
      "ai_failover.attempt.reason": "initial",
    });
    // No prompt or reply text anywhere unless asked for.
    expect(JSON.stringify(sdk.spans().map((span) => [span.attributes, span.events]))).not.toContain(
      "PROMPT-CANARY",
    );
  });

  it("records the conventions' metrics once per call: duration, tokens, attempts; no time to first chunk for chat()", async () => {
    const client = clientOf();
    const before = await sdk.metrics();
    const countBefore = histogramOf(before, "gen_ai.client.operation.duration").reduce(
      (n, point) => n + point.value.count,
      0,
    );
    const result = await client.chat({ messages });
    const after = await sdk.metrics();
    const durations = histogramOf(after, "gen_ai.client.operation.duration");
    const mine = durations.find(
      (point) =>
        point.attributes["gen_ai.response.model"] === "gpt-4.1-2025-04-14" && !point.attributes["error.type"],
    );
    expect(mine?.attributes).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1",
      "gen_ai.response.model": "gpt-4.1-2025-04-14",
    });
    expect(durations.reduce((n, point) => n + point.value.count, 0)).toBe(countBefore + 1);
    const duration = after.get("gen_ai.client.operation.duration")!;
    expect(duration.descriptor.unit).toBe("s");
    expect(mine!.value.buckets.boundaries).toEqual([
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]);
    const tokens = histogramOf(after, "gen_ai.client.token.usage");
    const input = tokens.find((point) => point.attributes["gen_ai.token.type"] === "input")!;
    expect(input.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1",
    });
    expect(input.value.sum).toBeGreaterThanOrEqual(result.usage.inputTokens!);
    expect(after.get("gen_ai.client.token.usage")!.descriptor.unit).toBe("{token}");
    expect(input.value.buckets.boundaries.at(-1)).toBe(67108864);
    const attempts = pointsOf(after, "ai_failover.attempts");
    expect(attempts).toContainEqual(
      expect.objectContaining({
        attributes: {
          "ai_failover.provider": "openai",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4.1",
          "ai_failover.attempt.outcome": "ok",
          "ai_failover.attempt.reason": "initial",
        },
      }),
    );
    expect(histogramOf(after, "gen_ai.client.operation.time_to_first_chunk")).toEqual([]);
  });
});

describe("a failover", () => {
  it("shows the failed attempt, why, and the provider that served", async () => {
    primary.script(faults.serverError(503));
    const client = clientOf();
    const result = await client.chat({ messages });
    expect(result.provider).toBe("anthropic");
    const { call, attempts } = traceOf(sdk.spans());
    expect(call.name).toBe("chat gpt-4.1");
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(call.attributes).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "gpt-4.1",
      "gen_ai.response.model": "claude-sonnet-4-6",
      "ai_failover.provider": "anthropic",
      "ai_failover.attempt_count": 2,
      "ai_failover.failed_over": true,
    });
    expect(eventsOf(call)).toContainEqual({
      name: "ai_failover.failover",
      "ai_failover.from": "openai",
      "ai_failover.to": "anthropic",
      "ai_failover.failure_class": "server_error",
    });
    const [failed, served] = attempts;
    expect(failed!.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "error.type": "server_error",
      "http.response.status_code": 503,
      "ai_failover.attempt.outcome": "server_error",
      "gen_ai.response.finish_reasons": ["error"],
    });
    expect(failed!.status).toMatchObject({
      code: SpanStatusCode.ERROR,
      message: expect.stringContaining("server_error"),
    });
    expect(failed!.attributes).not.toHaveProperty("gen_ai.usage.input_tokens");
    expect(served!.name).toBe("chat claude-sonnet-4-6");
    expect(served!.attributes).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-6",
      "gen_ai.response.id": expect.stringMatching(/^msg_/),
      "gen_ai.response.finish_reasons": ["end_turn"],
      "gen_ai.usage.input_tokens": result.usage.inputTokens,
      "ai_failover.attempt.reason": "fallback",
      "ai_failover.attempt.outcome": "ok",
    });
    expect(served!.status.code).toBe(SpanStatusCode.UNSET);
    const metrics = await sdk.metrics();
    expect(pointsOf(metrics, "ai_failover.failovers")).toContainEqual(
      expect.objectContaining({
        attributes: {
          "ai_failover.from": "openai",
          "ai_failover.to": "anthropic",
          "ai_failover.failure_class": "server_error",
        },
      }),
    );
    expect(pointsOf(metrics, "ai_failover.attempts")).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({
          "ai_failover.provider": "openai",
          "ai_failover.attempt.outcome": "server_error",
        }),
      }),
    );
  });

  it("a breaker that opens shows on the attempt that opened it, and the next call's span says the provider was skipped", async () => {
    primary.setDefault(faults.serverError(503));
    const client = clientOf({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } });
    await client.chat({ messages });
    const first = traceOf(sdk.spans());
    expect(eventsOf(first.attempts[0]!)).toContainEqual(
      expect.objectContaining({
        name: "ai_failover.breaker",
        "ai_failover.provider": "openai",
        "ai_failover.breaker.from": "closed",
        "ai_failover.breaker.to": "open",
        "ai_failover.retry_in_ms": expect.any(Number),
      }),
    );
    sdk.resetSpans();
    const requestsBefore = primary.requests.length;
    await client.chat({ messages });
    expect(primary.requests.length).toBe(requestsBefore);
    const second = traceOf(sdk.spans());
    expect(second.attempts.map((span) => span.attributes["ai_failover.provider"])).toEqual(["anthropic"]);
    expect(eventsOf(second.call)).toContainEqual(
      expect.objectContaining({
        name: "ai_failover.skip",
        "ai_failover.provider": "openai",
        "ai_failover.skip.reason": "breaker-open",
      }),
    );
    const metrics = await sdk.metrics();
    expect(pointsOf(metrics, "ai_failover.breaker.transitions")).toContainEqual(
      expect.objectContaining({
        attributes: {
          "ai_failover.provider": "openai",
          "gen_ai.request.model": "gpt-4.1",
          "ai_failover.breaker.from": "closed",
          "ai_failover.breaker.to": "open",
        },
      }),
    );
    const state = pointsOf(metrics, "ai_failover.breaker.state").filter(
      (point) => point.attributes["ai_failover.provider"] === "openai",
    );
    expect(
      Object.fromEntries(state.map((p) => [p.attributes["ai_failover.breaker.state"], p.value])),
    ).toEqual({
      closed: 0,
      "half-open": 0,
      open: 1,
      disabled: 0,
    });
    expect(pointsOf(metrics, "ai_failover.skips")).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({ "ai_failover.skip.reason": "breaker-open" }),
      }),
    );
  });
});

describe("the provider's own request", () => {
  it("runs inside its attempt span: spans an HTTP or SDK instrumentation makes there nest under it", async () => {
    primary.script(faults.serverError(503));
    const seen: Record<string, string | undefined> = {};
    const recordingFetch =
      (provider: string): typeof fetch =>
      (input, init) => {
        seen[provider] = trace.getActiveSpan()?.spanContext().spanId;
        return fetch(input, init);
      };
    const client = createClient({
      providers: [
        openai({
          client: new OpenAI({ apiKey: "k", baseURL: primary.baseURL, fetch: recordingFetch("openai") }),
          model: "gpt-4.1",
        }),
        anthropic({
          client: new Anthropic({
            apiKey: "k",
            baseURL: fallback.baseURL,
            fetch: recordingFetch("anthropic"),
          }),
          model: "claude-sonnet-4-6",
        }),
      ],
    });
    await inAppSpan(() => client.chat({ messages }));
    const spans = sdk.spans();
    const { attempts } = traceOf(spans.filter((span) => span.kind !== SpanKind.SERVER));
    /** The attempt span `spanId` is, or is under (the Anthropic SDK traces its own API calls). */
    const attemptOf = (spanId: string | undefined): string | undefined => {
      const span = spans.find((candidate) => candidate.spanContext().spanId === spanId);
      if (!span) return undefined;
      if (attempts.includes(span)) return span.attributes["ai_failover.provider"] as string;
      return attemptOf(span.parentSpanContext?.spanId);
    };
    expect(attemptOf(seen.openai)).toBe("openai");
    expect(attemptOf(seen.anthropic)).toBe("anthropic");
  });

  it("the Anthropic SDK's own span of a streamed attempt ends with the response headers, under its attempt span", async () => {
    // The adapter reads the event stream itself (asResponse()): the SDK ends its call span when it
    // hands the response over, so the span is complete before the call resolves.
    const client = createClient({
      providers: [
        anthropic({
          client: new Anthropic({ apiKey: "k", baseURL: fallback.baseURL }),
          model: "claude-sonnet-4-6",
        }),
      ],
    });
    await client.chat({ messages });
    const spans = sdk.spans();
    const { attempts } = traceOf(spans.filter((span) => span.kind !== SpanKind.SERVER));
    const sdkSpans = spans.filter((span) => span.name === "anthropic.messages.create");
    expect(sdkSpans).toHaveLength(1);
    expect(sdkSpans[0]!.parentSpanContext?.spanId).toBe(attempts[0]!.spanContext().spanId);
    expect(sdkSpans[0]!.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "http.response.status_code": 200,
    });
    expect(sdkSpans[0]!.status.code).toBe(SpanStatusCode.OK);
  });
});

describe("a retry", () => {
  it("is a second attempt span on the same provider, and a retry event with its delay", async () => {
    primary.script(faults.serverError(503));
    const client = clientOf({
      retry: { maxRetries: 1, preferPrimary: true, backoff: { initialDelayMs: 1, maxDelayMs: 1 } },
    });
    const result = await client.chat({ messages });
    expect(result.provider).toBe("openai");
    const { call, attempts } = traceOf(sdk.spans());
    expect(
      attempts.map((span) => [span.attributes["ai_failover.attempt.reason"], span.attributes["error.type"]]),
    ).toEqual([
      ["initial", "server_error"],
      ["retry", undefined],
    ]);
    expect(eventsOf(call)).toContainEqual(
      expect.objectContaining({
        name: "ai_failover.retry",
        "ai_failover.provider": "openai",
        "ai_failover.failure_class": "server_error",
        "ai_failover.retry.number": 1,
        "ai_failover.retry.delay_ms": expect.any(Number),
      }),
    );
    expect(call.attributes).toMatchObject({
      "ai_failover.attempt_count": 2,
      "ai_failover.failed_over": false,
    });
  });
});

describe("a hedge", () => {
  it("runs the second provider beside the slow one: the loser's span ends aborted, not as an error", async () => {
    primary.script(faults.slowFirstToken(10_000));
    const client = clientOf({ hedging: { enabled: true, delayMs: 30 } });
    const result = await client.chat({ messages });
    expect(result.provider).toBe("anthropic");
    const { call, attempts } = traceOf(sdk.spans());
    expect(eventsOf(call)).toContainEqual({
      name: "ai_failover.hedge",
      "ai_failover.hedge.slow": "openai",
      "ai_failover.hedge.started": "anthropic",
      "ai_failover.hedge.after_ms": 30,
    });
    const byProvider = Object.fromEntries(
      attempts.map((span) => [span.attributes["ai_failover.provider"], span]),
    );
    expect(byProvider.anthropic!.attributes).toMatchObject({
      "ai_failover.attempt.reason": "hedge",
      "ai_failover.attempt.outcome": "ok",
    });
    expect(byProvider.openai!.attributes).toMatchObject({
      "ai_failover.attempt.outcome": "aborted",
      "error.type": "aborted",
    });
    expect(byProvider.openai!.status.code).toBe(SpanStatusCode.UNSET);
    expect(call.attributes).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "ai_failover.failed_over": true,
    });
  });
});

describe("streams", () => {
  it("a healthy stream's span lives until the last event, with time to first chunk on span and metric", async () => {
    const client = clientOf();
    const { parent } = await inAppSpan(async () => {
      const stream = client.stream({ messages });
      for await (const event of stream) {
        if (event.type === "text") expect(sdk.spans()).toEqual([]); // nothing ended mid-stream
      }
    });
    const { call, attempts } = traceOf(sdk.spans());
    expect(call.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
    });
    expect(attempts).toHaveLength(1);
    const ttfc = histogramOf(await sdk.metrics(), "gen_ai.client.operation.time_to_first_chunk");
    expect(
      ttfc.find((point) => point.attributes["gen_ai.provider.name"] === "openai")?.value.count,
    ).toBeGreaterThan(0);
  });

  it("cut after the first chunk: the call fails with StreamInterruptedError, the chunk counted as delivered", async () => {
    primary.script(faults.cut(2));
    const client = clientOf();
    const before = histogramOf(await sdk.metrics(), "gen_ai.client.operation.time_to_first_chunk");
    let text = "";
    const error = await (async () => {
      try {
        for await (const event of client.stream({ messages })) if (event.type === "text") text += event.text;
      } catch (caught) {
        return caught;
      }
    })();
    expect(isStreamInterruptedError(error)).toBe(true);
    expect(text).not.toBe("");
    const { call, attempts } = traceOf(sdk.spans());
    expect(call.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(call.attributes).toMatchObject({
      "error.type": "StreamInterruptedError",
      "ai_failover.failure_class": expect.any(String),
      "gen_ai.provider.name": "openai",
      "gen_ai.response.finish_reasons": ["error"],
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
    });
    // Committed: never moved to the fallback.
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.attributes["error.type"]).toBe(call.attributes["ai_failover.failure_class"]);
    const metrics = await sdk.metrics();
    const failed = histogramOf(metrics, "gen_ai.client.operation.duration").find(
      (point) => point.attributes["error.type"] === "StreamInterruptedError",
    );
    expect(failed?.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1",
    });
    const ttfc = histogramOf(metrics, "gen_ai.client.operation.time_to_first_chunk");
    const count = (points: typeof ttfc) => points.reduce((n, point) => n + point.value.count, 0);
    expect(count(ttfc)).toBe(count(before) + 1);
  });

  it("a caller that stops reading ends the span at once, aborted, not failed", async () => {
    const client = clientOf();
    for await (const event of client.stream({ messages })) if (event.type === "text") break;
    const { call, attempts } = traceOf(sdk.spans());
    expect(call.attributes["error.type"]).toBe("aborted");
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts[0]!.attributes).toMatchObject({ "ai_failover.attempt.outcome": "aborted" });
  });

  it("a caller's abort ends the span aborted, in the duration metric as error.type aborted", async () => {
    primary.script(faults.slowFirstToken(10_000));
    const client = clientOf();
    const controller = new AbortController();
    const pending = client.chat({ messages, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toThrow();
    const { call, attempts } = traceOf(sdk.spans());
    expect(call.attributes["error.type"]).toBe("aborted");
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.attributes["ai_failover.attempt.outcome"]).toBe("aborted");
    const durations = histogramOf(await sdk.metrics(), "gen_ai.client.operation.duration");
    expect(durations.some((point) => point.attributes["error.type"] === "aborted")).toBe(true);
  });
});

describe("all providers failed", () => {
  it("the call span is an error naming AllProvidersFailedError, every attempt with its own failure class", async () => {
    primary.script(faults.serverError(503));
    fallback.script(faults.overloaded());
    const client = clientOf();
    const error = await client.chat({ messages }).catch((caught: unknown) => caught);
    expect(isAllProvidersFailedError(error)).toBe(true);
    const { call, attempts } = traceOf(sdk.spans());
    expect(call.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: "AllProvidersFailedError (overloaded)",
    });
    expect(call.attributes).toMatchObject({
      "error.type": "AllProvidersFailedError",
      "ai_failover.failure_class": "overloaded",
      "gen_ai.provider.name": "anthropic",
      "ai_failover.attempt_count": 2,
    });
    expect(call.attributes).not.toHaveProperty("gen_ai.response.model");
    expect(attempts.map((span) => span.attributes["error.type"])).toEqual(["server_error", "overloaded"]);
    expect(attempts.map((span) => span.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
    const failed = histogramOf(await sdk.metrics(), "gen_ai.client.operation.duration").find(
      (point) => point.attributes["error.type"] === "AllProvidersFailedError",
    );
    expect(failed?.attributes).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "gpt-4.1",
      "error.type": "AllProvidersFailedError",
    });
  });
});

describe("an embedding call", () => {
  it("is an `embeddings {model}` span with the conventions' operation name, its attempt a child", async () => {
    const client = createClient({
      providers: [
        openai({
          client: new OpenAI({ apiKey: "sk-test-openai", baseURL: primary.baseURL }),
          model: "gpt-4.1",
          embeddings: { model: "text-embedding-3-small" },
        }),
      ],
    });
    await client.embed({ input: PROMPT });
    const spans = sdk.spans();
    const call = spans.find((span) => span.parentSpanContext === undefined);
    expect(call?.name).toBe("embeddings text-embedding-3-small");
    expect(call?.attributes["gen_ai.operation.name"]).toBe("embeddings");
    const attempt = spans.find((span) => span.parentSpanContext?.spanId === call?.spanContext().spanId);
    expect(attempt?.attributes["gen_ai.operation.name"]).toBe("embeddings");
    expect(attempt?.name).toBe("embeddings text-embedding-3-small");
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(PROMPT);
  });
});
