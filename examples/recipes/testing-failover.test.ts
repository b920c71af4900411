/**
 * Recipe: test your app's failover with `ai-failover/testing` and vitest.
 *
 * A real HTTP server per provider, speaking its wire format, with faults injected on the wire: your
 * app's code, the real SDKs and the engine all run as in production. Copy this file into your test
 * folder and change the imports to "ai-failover" and "ai-failover/testing". In this repository
 * test/examples/recipes.test.ts imports it, so `npx vitest run test/examples/recipes.test.ts` runs it.
 * See docs/recipes/testing-failover.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  anthropic,
  createClient,
  type FailoverClient,
  isAllProvidersFailedError,
  isStreamInterruptedError,
  openai,
  type PolicyOptions,
} from "../../src/index.js";
import { faults, type MockProvider, startMockProviders } from "../../src/testing/index.js";

// --- the app under test (normally in your src/) ---
interface LlmConfig {
  /** SDK options: production passes none (keys from OPENAI_API_KEY / ANTHROPIC_API_KEY), tests the mocks'. */
  openai?: { apiKey?: string; baseURL?: string };
  anthropic?: { apiKey?: string; baseURL?: string };
  policy?: PolicyOptions;
}

/** Builds the app's client: the same code in production and in tests. */
const createLlm = (config: LlmConfig = {}): FailoverClient =>
  createClient({
    providers: [
      openai({ client: new OpenAI(config.openai), model: "gpt-4.1" }),
      anthropic({ client: new Anthropic(config.anthropic), model: "claude-sonnet-4-6" }),
    ],
    ...config.policy,
  });

/** The feature: a reply for the support widget, or a polite fallback message. Never throws. */
const supportReply = async (llm: FailoverClient, question: string) => {
  try {
    const res = await llm.chat({ messages: [{ role: "user", content: question }] });
    return { text: res.text, provider: res.provider };
  } catch (error) {
    if (isAllProvidersFailedError(error))
      return { text: "Our assistant is unavailable, please retry.", provider: "none" };
    throw error;
  }
};

/** The streamed version: what the user saw, and whether it was cut off. */
const streamedReply = async (llm: FailoverClient, question: string) => {
  let shown = "";
  try {
    for await (const event of llm.stream({ messages: [{ role: "user", content: question }] })) {
      if (event.type === "text") shown += event.text;
    }
    return { shown, interrupted: false };
  } catch (error) {
    if (isStreamInterruptedError(error)) return { shown, interrupted: true, partial: error.partialText };
    throw error;
  }
};
// --- end of the app ---

describe("support assistant failover", () => {
  let mocks: { openai: MockProvider; anthropic: MockProvider; reset(): void; close(): Promise<void> };
  let llm: FailoverClient;

  beforeAll(async () => {
    mocks = await startMockProviders({ openai: {}, anthropic: {} });
  });
  afterAll(async () => {
    await mocks.close();
  });
  beforeEach(() => {
    mocks.reset();
    // A fresh client per test: breakers, cooling and budgets live in the client.
    // Short deadlines keep black-hole tests fast; the assertions are about attempts, not timing.
    llm = createLlm({
      openai: { apiKey: "sk-test", baseURL: mocks.openai.baseURL },
      anthropic: { apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL },
      policy: { deadlines: { headersMs: 1_000, firstContentMs: 2_000, idleMs: 1_000 } },
    });
  });

  it("answers from Anthropic when OpenAI returns 503", async () => {
    mocks.openai.script(faults.serverError(503));
    const reply = await supportReply(llm, "Where is my order?");
    expect(reply).toEqual({ text: "Hello from anthropic", provider: "anthropic" });
  });

  it("falls over from a black-holed OpenAI after the headers deadline", async () => {
    mocks.openai.setDefault(faults.blackHole());
    const res = await llm.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(res.provider).toBe("anthropic");
    expect(res.attempts[0]).toMatchObject({ provider: "openai", outcome: "timeout" });
    expect(res.attempts[0]?.message).toContain("no response headers within 1000 ms");
  });

  it("stops sending requests to OpenAI once its breaker opens", async () => {
    mocks.openai.setDefault(faults.serverError(503));
    for (let i = 0; i < 5; i++) await supportReply(llm, "hi"); // 5 failures in a row open it
    const before = mocks.openai.callCount;
    for (let i = 0; i < 10; i++) expect((await supportReply(llm, "hi")).provider).toBe("anthropic");
    expect(mocks.openai.callCount).toBe(before);
    expect(llm.health().find((h) => h.provider === "openai")?.state).toBe("open");
  });

  it("shows the polite message when every provider is down", async () => {
    mocks.openai.setDefault(faults.serverError(503));
    mocks.anthropic.setDefault(faults.overloaded());
    expect(await supportReply(llm, "hi")).toEqual({
      text: "Our assistant is unavailable, please retry.",
      provider: "none",
    });
  });

  it("never stitches two providers' text: a cut stream is reported with what was shown", async () => {
    const text = "Your parcel left our warehouse on Monday.";
    mocks.openai.script(faults.cut(2, { text, chunkSize: 10 })); // two chunks, then the socket dies
    const reply = await streamedReply(llm, "Where is my parcel?");
    expect(reply).toEqual({ shown: text.slice(0, 20), interrupted: true, partial: text.slice(0, 20) });
    expect(mocks.anthropic.callCount).toBe(0); // no second provider's text appended
  });

  it("falls over transparently when a stream fails before its first token", async () => {
    mocks.openai.script(faults.inBandError({ afterEvents: 0 }));
    expect(await streamedReply(llm, "hi")).toEqual({ shown: "Hello from anthropic", interrupted: false });
  });

  it("keeps the user's input out of the error it reports", async () => {
    mocks.openai.setDefault(faults.serverError(503));
    mocks.anthropic.setDefault(faults.overloaded());
    const error = await llm.chat({ messages: [{ role: "user", content: "card 4111-1111" }] }).catch((e) => e);
    expect(isAllProvidersFailedError(error)).toBe(true);
    expect(JSON.stringify(error.attempts) + error.message).not.toContain("4111");
  });
});
