/**
 * A half-open probe must always be released. When a provider's breaker is half-open, exactly one
 * call is admitted as its probe and every other call skips the provider until the probe reports.
 * If the caller walks away from that call (breaks out of a stream, aborts it), the probe must be
 * released so the next call can probe again: otherwise the recovered provider stays skipped until
 * the breaker's probe timeout (60 s by default), and when every provider is in that state every
 * call fails at once without trying anyone (seen in the soak: "no attempt | skipped: breaker-open").
 * Through the real SDKs: OpenAI primary, Anthropic fallback.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anthropic, createClient, type FailoverClient, openai } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEYS, MODELS, PROMPT } from "./helpers/providers.js";

const HALF_OPEN_AFTER_MS = 100;
const messages = [{ role: "user" as const, content: PROMPT }];

let primary: MockProvider;
let fallback: MockProvider;
let client: FailoverClient;

beforeEach(async () => {
  primary = await startMockProvider({ kind: "openai", name: "openai" });
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
    breaker: { halfOpenAfterMs: HALF_OPEN_AFTER_MS },
  });
  // Five 503s in a row open the primary's breaker; then wait out the break and heal the primary.
  primary.setDefault(faults.serverError(503));
  for (let i = 0; i < 5; i++) await client.chat({ messages });
  expect(client.health().find((h) => h.provider === "openai")?.state).toBe("open");
  await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_AFTER_MS + 20));
  // A slow reply, so the caller can walk away while the probe is still streaming.
  primary.setDefault(faults.reply({ eventIntervalMs: 20 }));
});

afterEach(async () => {
  await Promise.all([primary.close(), fallback.close()]);
});

/** The next call after the dropped probe: the healed primary must take it (as a new probe or closed). */
const expectPrimaryRecovers = async () => {
  const next = await client.chat({ messages });
  expect(
    { provider: next.provider, health: client.health().find((h) => h.provider === "openai") },
    "the healed primary answers the next call",
  ).toMatchObject({ provider: "openai", health: { state: "closed", retryInMs: 0 } });
};

describe("a half-open probe the caller walks away from is released", () => {
  it("stream: the consumer breaks out of the loop after the first text", async () => {
    let provider: string | undefined;
    for await (const event of client.stream({ messages })) {
      if (event.type === "start") provider = event.provider;
      if (event.type === "text") break;
    }
    expect(provider, "the probe went to the primary").toBe("openai");
    await expectPrimaryRecovers();
  });

  it("stream: the consumer calls stream.abort() after the first text", async () => {
    const stream = client.stream({ messages });
    let provider: string | undefined;
    await (async () => {
      for await (const event of stream) {
        if (event.type === "start") provider = event.provider;
        if (event.type === "text") stream.abort(new Error("user closed the tab"));
      }
    })().catch(() => {});
    expect(provider).toBe("openai");
    await expectPrimaryRecovers();
  });

  it("stream: the caller's AbortSignal fires after the first text", async () => {
    const controller = new AbortController();
    let provider: string | undefined;
    await (async () => {
      for await (const event of client.stream({ messages, signal: controller.signal })) {
        if (event.type === "start") provider = event.provider;
        if (event.type === "text") controller.abort(new Error("user closed the tab"));
      }
    })().catch(() => {});
    expect(provider).toBe("openai");
    await expectPrimaryRecovers();
  });

  it("chat: the caller's AbortSignal fires mid-reply", async () => {
    const controller = new AbortController();
    const call = client.chat({ messages, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort(new Error("user closed the tab"));
    await expect(call).rejects.toThrow("user closed the tab");
    expect(primary.callCount).toBe(6);
    await expectPrimaryRecovers();
  });
});
