/**
 * Rule 5 of the hardening issue: Retry-After is a hint with bounds. A stated wait beyond
 * `maxCoolingMs` (60 s by default) — Azure's `Retry-After: 86400`, `99999999`, a reset header of
 * 1e20 — cools the provider only that long; then one probe decides: its success ends the cooling,
 * another 429 starts a new one, and while it is out every other call still skips the provider.
 * Before the fix a single header took a provider out for a day (or for ever).
 * Through the real OpenAI SDK against the mock server, with only `Date` faked (the cooling clock):
 * sockets and SDK timers run for real.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { anthropic, createClient, type FailoverClient, openai } from "../../src/index.js";
import { faults, type MockFault, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEYS, MODELS, PROMPT } from "./helpers/providers.js";

const MAX_COOLING_MS = 60_000;
const messages = [{ role: "user" as const, content: PROMPT }];

let primary: MockProvider;
let fallback: MockProvider;
let client: FailoverClient;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-01T12:00:00Z") });
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
  });
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all([primary.close(), fallback.close()]);
});

const rateLimitBody = {
  error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" },
};

/** [header, fault, the wait it states in ms] */
const HUGE_WAITS: [string, MockFault, number][] = [
  [
    "Retry-After: 86400 (Azure)",
    faults.rateLimited({ retryAfter: "86400", resetHeaders: false }),
    86_400_000,
  ],
  [
    "Retry-After: 99999999",
    faults.rateLimited({ retryAfter: "99999999", resetHeaders: false }),
    99_999_999_000,
  ],
  [
    "retry-after-ms: 1e20",
    faults.rateLimited({ retryAfterMs: "100000000000000000000", resetHeaders: false }),
    1e20,
  ],
  [
    "x-ratelimit-reset-requests: 99999999h",
    faults.status(429, rateLimitBody, {
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "99999999h",
    }),
    359_999_996_400_000,
  ],
];

const healthOfPrimary = () => client.health().find((h) => h.provider === "openai")!;
const providersOf = async (calls: number) =>
  (await Promise.all(Array.from({ length: calls }, () => client.chat({ messages })))).map((r) => r.provider);

describe.each(HUGE_WAITS)("%s (stated: %d ms)", (_name, fault) => {
  it("cools at most maxCoolingMs, then one probe decides and its success ends the cooling", async () => {
    primary.script(fault);
    const first = await client.chat({ messages });
    expect(first.provider).toBe("anthropic");
    expect(first.attempts[0]).toMatchObject({ provider: "openai", outcome: "rate_limited", status: 429 });
    expect(healthOfPrimary()).toMatchObject({
      unavailable: "cooling",
      retryInMs: MAX_COOLING_MS,
      cooling: { retryInMs: MAX_COOLING_MS, capped: true, status: 429 },
    });
    // Inside the window: skipped at no cost, by every call.
    vi.setSystemTime(Date.now() + MAX_COOLING_MS - 1);
    expect(await providersOf(3)).toEqual(["anthropic", "anthropic", "anthropic"]);
    expect(primary.callCount).toBe(1);

    // After it: three concurrent calls, exactly one of them the probe.
    vi.setSystemTime(Date.now() + 2);
    expect((await providersOf(3)).sort()).toEqual(["anthropic", "anthropic", "openai"]);
    expect(primary.callCount).toBe(2);
    expect(healthOfPrimary()).toMatchObject({ unavailable: undefined, retryInMs: 0, cooling: undefined });
    expect(await providersOf(2)).toEqual(["openai", "openai"]);
  });

  it("a probe that is rate limited again starts a new capped cooling; nobody else goes meanwhile", async () => {
    primary.script(fault, fault);
    await client.chat({ messages });
    vi.setSystemTime(Date.now() + MAX_COOLING_MS + 1);
    expect((await providersOf(3)).sort()).toEqual(["anthropic", "anthropic", "anthropic"]);
    expect(primary.callCount).toBe(2);
    expect(healthOfPrimary()).toMatchObject({ unavailable: "cooling", cooling: { capped: true } });
    expect(healthOfPrimary().retryInMs).toBeGreaterThan(MAX_COOLING_MS - 1_000);
  });
});

it("a stated wait within the bound is honoured as stated, and expires without a probe", async () => {
  primary.script(faults.rateLimited({ retryAfter: "30", resetHeaders: false }));
  await client.chat({ messages });
  expect(healthOfPrimary()).toMatchObject({
    unavailable: "cooling",
    retryInMs: 30_000,
    cooling: { capped: false },
  });
  vi.setSystemTime(Date.now() + 30_000);
  expect(await providersOf(3)).toEqual(["openai", "openai", "openai"]);
});

it("a call already in flight when the 429 comes back, and then answered, does not end the stated wait", async () => {
  // Two calls at once: one is answered after 150 ms, the other told at once to wait 30 s.
  primary.setDefault((call) =>
    call.n === 1 ? faults.slowHeaders(150) : faults.rateLimited({ retryAfter: "30", resetHeaders: false }),
  );
  expect((await providersOf(2)).sort()).toEqual(["anthropic", "openai"]);
  expect(healthOfPrimary()).toMatchObject({ unavailable: "cooling", retryInMs: 30_000 });
  expect(await providersOf(2)).toEqual(["anthropic", "anthropic"]);
  expect(primary.callCount).toBe(2);
});
