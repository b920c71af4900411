/**
 * Events an OpenTelemetry integration builds on (rule 3 of the hardening issue): every event of a
 * logical call carries the same `callId`, unique per call; `onCallStart` and `onCallEnd` bracket the
 * call (the end says how it went: answered by whom, the error's class, or aborted); `onAttemptEnd`
 * carries what a span needs when it is known: usage, response model and id, time to first content.
 * Payloads are typed with the existing unions. Through the real SDKs against the mock servers.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anthropic, createClient, type FailoverClient, openai } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { type RecordedEvent, recordEvents } from "./helpers/observe.js";
import { API_KEYS, MODELS, PROMPT } from "./helpers/providers.js";

let primary: MockProvider;
let fallback: MockProvider;
let client: FailoverClient;

beforeEach(async () => {
  primary = await startMockProvider({ kind: "openai", name: "openai", model: "gpt-4.1-2025-04-14" });
  fallback = await startMockProvider({ kind: "anthropic", name: "anthropic" });
  client = createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }),
        model: MODELS.openai,
      }),
      anthropic({
        client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: fallback.baseURL }),
        model: MODELS.anthropic,
      }),
    ],
    retry: { maxRetries: 0 },
  });
});

afterEach(async () => {
  await Promise.all([primary.close(), fallback.close()]);
});

const messages = [{ role: "user" as const, content: PROMPT }];
const ids = (events: RecordedEvent[]) =>
  new Set(events.map((e) => (e.payload as { callId?: string }).callId));
const of = (events: RecordedEvent[], channel: string) =>
  events.filter((e) => e.channel === channel).map((e) => e.payload as Record<string, unknown>);

describe("call events", () => {
  it("one callId per call; start and end bracket it; the attempt end carries usage, model, id, first-content time", async () => {
    primary.script(faults.serverError(503));
    const { events } = recordEvents(client);
    await client.chat({ messages, maxTokens: 64, temperature: 0.2 });
    const first = [...events];
    events.length = 0;
    await client.chat({ messages });
    expect(ids(first).size).toBe(1);
    expect(ids(events).size).toBe(1);
    expect([...ids(first)][0]).not.toBe([...ids(events)][0]);
    expect(first.map((e) => e.channel)).toEqual([
      "onCallStart",
      "onAttemptStart",
      "onAttemptEnd",
      "onFallback",
      "onAttemptStart",
      "onAttemptEnd",
      "onCallEnd",
    ]);
    expect(of(first, "onCallStart")[0]).toMatchObject({
      operation: "chat",
      provider: "openai",
      model: MODELS.openai,
      request: { maxTokens: 64, temperature: 0.2, topP: undefined, tools: 0, structuredOutput: false },
    });
    const [failed, answered] = of(first, "onAttemptEnd");
    expect(failed).toMatchObject({ attempt: { provider: "openai", outcome: "server_error", status: 503 } });
    expect(failed).not.toHaveProperty("usage");
    expect(answered).toMatchObject({
      attempt: { provider: "anthropic", outcome: "ok" },
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
      responseModel: MODELS.anthropic,
      responseId: expect.stringMatching(/^msg_/),
      finishReason: { unified: "stop", raw: "end_turn" },
      timeToFirstContentMs: expect.any(Number),
    });
    expect(of(first, "onCallEnd")[0]).toMatchObject({
      operation: "chat",
      outcome: {
        type: "ok",
        provider: "anthropic",
        model: MODELS.anthropic,
        finishReason: { unified: "stop" },
      },
      attempts: [{ outcome: "server_error" }, { outcome: "ok" }],
      durationMs: expect.any(Number),
    });
    // The response model the provider reported, not the one requested.
    expect(of(events, "onAttemptEnd")[0]).toMatchObject({ responseModel: "gpt-4.1-2025-04-14" });
  });

  it("the end says the error's class, or that the caller walked away", async () => {
    const { events } = recordEvents(client);
    primary.script(faults.serverError(503));
    fallback.script(faults.badRequest());
    await client.chat({ messages }).catch(() => {});
    primary.setDefault(faults.reply({ eventIntervalMs: 20 }));
    for await (const event of client.stream({ messages })) if (event.type === "text") break;
    primary.setDefault(faults.serverError(503));
    fallback.setDefault(faults.serverError(503));
    await client.chat({ messages }).catch(() => {});
    expect(of(events, "onCallEnd").map((e) => e.outcome)).toEqual([
      { type: "error", error: "ProviderError", failureClass: "bad_request", provider: "anthropic" },
      { type: "aborted" },
      { type: "error", error: "AllProvidersFailedError", failureClass: "server_error", provider: undefined },
    ]);
    expect(of(events, "onCallStart").map((e) => e.operation)).toEqual(["chat", "stream", "chat"]);
    // Every attempt that started ended, the one the caller walked away from included.
    expect(of(events, "onAttemptEnd")).toHaveLength(of(events, "onAttemptStart").length);
    expect(of(events, "onAttemptEnd")[2]).toMatchObject({
      attempt: { provider: "openai", outcome: "aborted", message: "stopped: the call ended" },
      timeToFirstContentMs: expect.any(Number),
    });
  });

  it("breaker changes name the call that caused them, with the breaker's own unions", async () => {
    primary.setDefault(faults.serverError(503));
    const { events } = recordEvents(client);
    for (let i = 0; i < 5; i++) await client.chat({ messages });
    const [opened] = of(events, "onBreakerStateChange");
    const lastCall = of(events, "onCallStart").at(-1)!.callId;
    expect(opened).toEqual({
      callId: lastCall,
      provider: "openai",
      model: MODELS.openai,
      from: "closed",
      to: "open",
      reason: "consecutive-failures",
      retryInMs: 5_000,
    });
    await client.chat({ messages });
    expect(of(events, "onSkip").at(-1)).toMatchObject({
      provider: "openai",
      model: MODELS.openai,
      reason: "breaker-open",
      retryInMs: expect.any(Number),
    });
  });
});
