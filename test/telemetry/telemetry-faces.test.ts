/**
 * Every face runs on the engine, so each gets the same telemetry with nothing to set up: the drop-in
 * (`withFailover`, Chat Completions and Responses) and the AI SDK's `failoverModel` under the real
 * `ai` package. One logical call is one call span and one duration point, its tokens counted once.
 */
import Anthropic from "@anthropic-ai/sdk";
import { context, SpanKind, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { failoverModel } from "../../src/compat/ai-sdk/index.js";
import { anthropic, createClient, openai, withFailover } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { histogramOf, type OtelSdk, startOtelSdk } from "./helpers/otel-sdk.js";

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

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

const fallbacks = () => [
  anthropic({
    client: new Anthropic({ apiKey: "sk-ant-test", baseURL: fallback.baseURL }),
    model: "claude-sonnet-4-6",
  }),
];

const callSpans = (): ReadableSpan[] => sdk.spans().filter((span) => span.attributes["ai_failover.call.id"]);
const attemptSpansOf = (call: ReadableSpan): ReadableSpan[] =>
  sdk.spans().filter((span) => span.parentSpanContext?.spanId === call.spanContext().spanId);

/** Calls and tokens recorded so far. */
const totals = async () => {
  const metrics = await sdk.metrics();
  const count = (name: string) => histogramOf(metrics, name).reduce((n, point) => n + point.value.count, 0);
  const tokens = histogramOf(metrics, "gen_ai.client.token.usage").reduce(
    (n, point) => n + point.value.sum!,
    0,
  );
  return {
    calls: count("gen_ai.client.operation.duration"),
    tokenPoints: count("gen_ai.client.token.usage"),
    tokens,
  };
};

describe("withFailover (the drop-in)", () => {
  const wrapped = () =>
    withFailover(new OpenAI({ apiKey: "sk-test-openai", baseURL: primary.baseURL }), {
      fallbacks: fallbacks(),
    });

  it("chat.completions.create: the span is named after the app's model, and shows the failover", async () => {
    primary.script(faults.serverError(503));
    const before = await totals();
    const completion = await wrapped().chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "hi" }],
    });
    const [call] = callSpans();
    expect(call!.name).toBe("chat gpt-4.1");
    expect(call!.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4.1",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.response.model": completion.model,
    });
    expect(attemptSpansOf(call!).map((span) => span.attributes["error.type"] ?? "ok")).toEqual([
      "server_error",
      "ok",
    ]);
    const after = await totals();
    expect(after.calls - before.calls).toBe(1);
    expect(after.tokens - before.tokens).toBe(
      completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
    );
  });

  it("a stream: the span ends when the app has read the last chunk", async () => {
    const stream = await wrapped().chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    for await (const _chunk of stream) expect(callSpans()).toEqual([]);
    const [call] = callSpans();
    expect(call!.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.provider.name": "openai",
    });
  });

  it("takes createClient's telemetry option", async () => {
    const client = withFailover(new OpenAI({ apiKey: "sk-test-openai", baseURL: primary.baseURL }), {
      fallbacks: fallbacks(),
      telemetry: false,
    });
    await client.chat.completions.create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] });
    expect(callSpans()).toEqual([]);
  });

  it("responses.create is a chat span too", async () => {
    await wrapped().responses.create({ model: "gpt-4.1", input: "hi" });
    const [call] = callSpans();
    expect(call!.name).toBe("chat gpt-4.1");
    expect(attemptSpansOf(call!)).toHaveLength(1);
  });
});

describe("failoverModel (the AI SDK)", () => {
  const model = () =>
    failoverModel(
      createClient({
        providers: [
          openai({
            client: new OpenAI({ apiKey: "sk-test-openai", baseURL: primary.baseURL }),
            model: "gpt-4.1",
          }),
          ...fallbacks(),
        ],
      }),
    );

  it("generateText: one call span under the app's span, tokens counted once", async () => {
    primary.script(faults.serverError(503));
    const before = await totals();
    const parent = trace.getTracer("app").startSpan("POST /api/chat", { kind: SpanKind.SERVER });
    const result = await context.with(trace.setSpan(context.active(), parent), () =>
      generateText({ model: model(), prompt: "hi" }),
    );
    parent.end();
    const calls = callSpans();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(calls[0]!.attributes["gen_ai.provider.name"]).toBe("anthropic");
    const after = await totals();
    expect(after.calls - before.calls).toBe(1);
    expect(after.tokenPoints - before.tokenPoints).toBe(2);
    expect(after.tokens - before.tokens).toBe(result.usage.inputTokens! + result.usage.outputTokens!);
  });

  it("streamText: the span lives until the stream is read to its end", async () => {
    const result = streamText({ model: model(), prompt: "hi" });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).not.toBe("");
    const calls = callSpans();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.time_to_first_chunk": expect.any(Number),
    });
  });
});
