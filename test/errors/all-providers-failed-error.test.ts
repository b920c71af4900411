import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/engine/create-client.js";
import {
  AllProvidersFailedError,
  isAllProvidersFailedError,
} from "../../src/errors/all-providers-failed-error.js";
import { anthropic } from "../../src/providers/anthropic/index.js";
import { openai } from "../../src/providers/openai/index.js";
import type { Attempt } from "../../src/spec/attempt.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";

const attempt = (over: Partial<Attempt>): Attempt => ({
  provider: "openai",
  model: "gpt-4.1",
  outcome: "server_error",
  status: 503,
  durationMs: 41.2,
  reason: "initial",
  ...over,
});

describe("AllProvidersFailedError's message", () => {
  it("carries each attempt's short reason, without repeating the provider prefix", () => {
    const error = new AllProvidersFailedError(
      [
        attempt({ message: "openai (gpt-4.1) server_error: Service Unavailable" }),
        attempt({
          provider: "anthropic",
          model: "claude-sonnet-4-6",
          outcome: "auth",
          status: 401,
          durationMs: 12,
          reason: "fallback",
          message: "anthropic (claude-sonnet-4-6) auth: invalid x-api-key",
        }),
      ],
      [],
    );
    expect(error.message).toBe(
      'All providers failed. Attempts: openai/gpt-4.1: server_error 503 (41 ms) "Service Unavailable"; ' +
        'anthropic/claude-sonnet-4-6: auth 401 (12 ms) "invalid x-api-key"',
    );
  });

  it("cuts a long reason and leaves out an empty one", () => {
    const long = "x".repeat(500);
    const error = new AllProvidersFailedError(
      [attempt({ message: `openai (gpt-4.1) server_error: ${long}` }), attempt({ message: "no message" })],
      [],
    );
    expect(error.message).toContain(`"${"x".repeat(120)}…"`);
    expect(error.message).not.toContain("x".repeat(121));
    expect(error.message).toMatch(/server_error 503 \(41 ms\)$/);
  });
});

describe("AllProvidersFailedError through the real SDKs", () => {
  const key = "sk-live-abcdefghijklmnop0123456789";
  const prompt = "my secret prompt about project Bluebird";
  let openaiMock: MockProvider;
  let anthropicMock: MockProvider;

  beforeAll(async () => {
    openaiMock = await startMockProvider({ kind: "openai" });
    anthropicMock = await startMockProvider({ kind: "anthropic" });
  });
  afterAll(async () => {
    await Promise.all([openaiMock.close(), anthropicMock.close()]);
  });

  it("one log line says what went wrong, with no key, prompt or HTML in it", async () => {
    openaiMock.script(faults.html(502));
    anthropicMock.script(faults.auth({ message: `invalid x-api-key: ${key}` }));
    const client = createClient({
      providers: [
        openai({ client: new OpenAI({ apiKey: key, baseURL: openaiMock.baseURL }), model: "gpt-4.1" }),
        anthropic({
          client: new Anthropic({ apiKey: key, baseURL: anthropicMock.baseURL }),
          model: "claude-sonnet-4-6",
        }),
      ],
      retry: { maxRetries: 0 },
    });
    const error = await client.chat({ messages: [{ role: "user", content: prompt }] }).catch((e) => e);
    expect(isAllProvidersFailedError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/openai\/gpt-4\.1: server_error 502 \(\d+ ms\) "HTML error page"/);
    expect(message).toMatch(
      /anthropic\/claude-sonnet-4-6: auth 401 \(\d+ ms\) "invalid x-api-key: \[redacted\]"/,
    );
    expect(message).not.toContain(key);
    expect(message).not.toContain("Bluebird");
    expect(message).not.toMatch(/<html|<!doctype/i);
  });
});
