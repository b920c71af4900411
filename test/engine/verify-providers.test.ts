/**
 * `client.verify()`: every provider checked on demand through its real SDK against the mock
 * server, with the fault on the wire; each reported as ok, skipped or its classified failure.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isInvalidRequestError } from "../../src/errors/invalid-request-error.js";
import {
  aiSdk,
  anthropic,
  azureOpenAI,
  createClient,
  getFailoverClient,
  mistral,
  openai,
  openaiCompatible,
  perplexity,
  withFailover,
} from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { sdkModel } from "../providers/ai-sdk/helpers.js";

const KEY = "sk-verify-right-key-0123456789";
const WRONG = "sk-verify-wrong-key-9876543210";

let oa: MockProvider;
let az: MockProvider;
let an: MockProvider;
let mi: MockProvider;

beforeAll(async () => {
  [oa, az, an, mi] = await Promise.all([
    startMockProvider({ kind: "openai", apiKey: KEY, models: ["gpt-4.1", "gpt-4.1-mini"] }),
    startMockProvider({ kind: "azure", apiKey: KEY }),
    startMockProvider({ kind: "anthropic", apiKey: KEY }),
    startMockProvider({ kind: "mistral", apiKey: KEY }),
  ]);
});
afterEach(() => {
  for (const mock of [oa, az, an, mi]) mock.reset();
});
afterAll(async () => {
  await Promise.all([oa, az, an, mi].map((mock) => mock.close()));
});

const providers = (key = KEY) => [
  openai({ client: new OpenAI({ apiKey: key, baseURL: oa.baseURL }), model: "gpt-4.1" }),
  azureOpenAI({
    client: new AzureOpenAI({ apiKey: key, endpoint: az.baseURL, apiVersion: "2024-10-21" }),
    model: "gpt-4.1",
  }),
  anthropic({ client: new Anthropic({ apiKey: key, baseURL: an.baseURL }), model: "claude-sonnet-4-6" }),
  mistral({ client: new Mistral({ apiKey: key, serverURL: mi.baseURL }), model: "mistral-large-latest" }),
];

describe("client.verify()", () => {
  it("checks every provider with its cheapest authenticated request", async () => {
    const client = createClient({
      providers: [
        ...providers(),
        openaiCompatible({ name: "groq", baseURL: oa.baseURL, apiKey: KEY, model: "llama-3.3-70b" }),
        perplexity({ apiKey: KEY, model: "sonar", baseURL: oa.baseURL }),
        aiSdk({ name: "gateway", model: sdkModel("openai", oa) }),
      ],
    });
    const report = await client.verify();
    expect(report.ok).toBe(true);
    expect(report.providers.map(({ provider, outcome, check }) => ({ provider, outcome, check }))).toEqual([
      { provider: "openai", outcome: "ok", check: "GET /models/gpt-4.1" },
      { provider: "azure-openai", outcome: "ok", check: "GET /models" },
      { provider: "anthropic", outcome: "ok", check: "GET /v1/models/claude-sonnet-4-6" },
      { provider: "mistral", outcome: "ok", check: "GET /v1/models/mistral-large-latest" },
      { provider: "groq", outcome: "ok", check: "GET /models" },
      { provider: "perplexity", outcome: "skipped", check: "perplexity has no models endpoint to check" },
      {
        provider: "gateway",
        outcome: "skipped",
        check: "ai-sdk providers have no cheap authenticated request to make",
      },
    ]);
    expect(oa.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["GET /v1/models/gpt-4.1", "GET /v1/models"]),
    );
    expect(az.lastRequest?.path).toBe("/openai/models?api-version=2024-10-21");
    expect(an.lastRequest?.path).toBe("/v1/models/claude-sonnet-4-6");
    expect(mi.lastRequest?.path).toBe("/v1/models/mistral-large-latest");
  });

  it("reports each failure with its class, status and sanitized message, and never throws", async () => {
    oa.script(faults.serverError(503));
    az.script(faults.html(502));
    // A 401 whose message quotes the configured key: the key is redacted from the report.
    an.script(faults.auth({ message: `invalid x-api-key ${KEY}` }));
    const [o, z, a] = providers();
    const m = mistral({
      client: new Mistral({ apiKey: WRONG, serverURL: mi.baseURL }),
      model: "mistral-large-latest",
    });
    const client = createClient({ providers: [o!, z!, a!, m] });
    const report = await client.verify();
    expect(report.ok).toBe(false);
    expect(report.providers).toEqual([
      expect.objectContaining({ provider: "openai", outcome: "server_error", status: 503 }),
      expect.objectContaining({ outcome: "server_error", status: 502, message: "HTML error page" }),
      expect.objectContaining({ outcome: "auth", status: 401, message: "invalid x-api-key [redacted]" }),
      // The mock checks the key: a wrong one is Mistral's own 401.
      expect.objectContaining({ provider: "mistral", outcome: "auth", status: 401 }),
    ]);
    for (const check of report.providers) expect(check.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(report)).not.toContain(KEY);
    expect(JSON.stringify(report)).not.toContain(WRONG);
  });

  it("a misspelt model is a 404 bad_request before the first chat call", async () => {
    const client = createClient({
      providers: [
        openai({ client: new OpenAI({ apiKey: KEY, baseURL: oa.baseURL }), model: "gpt-4.1-mnii" }),
      ],
    });
    const [check] = (await client.verify()).providers;
    expect(check).toMatchObject({ outcome: "bad_request", status: 404 });
    expect(check!.message).toContain("gpt-4.1-mnii");
  });

  it("a black hole is a timeout after timeoutMs, and the abandoned request is closed", async () => {
    oa.script(faults.blackHole());
    const client = createClient({ providers: providers().slice(0, 1) });
    const report = await client.verify({ timeoutMs: 300 });
    expect(report.providers[0]).toMatchObject({
      outcome: "timeout",
      status: undefined,
      message: "no answer within 300 ms",
    });
    await expect.poll(() => oa.inFlight).toBe(0);
  });

  it("leaves health alone: failed checks never open a breaker", async () => {
    oa.setDefault(faults.serverError(503));
    const client = createClient({ providers: providers().slice(0, 3) });
    for (let i = 0; i < 6; i++) await client.verify({ providers: ["openai"] });
    expect(client.health()).toEqual([]);
    oa.reset();
    const result = await client.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(result.provider).toBe("openai");
    expect(result.attempts).toHaveLength(1);
  });

  it("checks only the named providers, and rejects unknown names and the caller's abort", async () => {
    const client = createClient({ providers: providers() });
    const report = await client.verify({ providers: ["mistral"] });
    expect(report.providers.map((p) => p.provider)).toEqual(["mistral"]);
    await expect(client.verify({ providers: ["mistrall"] })).rejects.toThrow(/no provider named "mistrall"/);
    await expect(client.verify({ timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    oa.script(faults.blackHole());
    const controller = new AbortController();
    const pending = client.verify({ signal: controller.signal });
    controller.abort(new Error("shutting down"));
    await expect(pending).rejects.toThrow("shutting down");
  });

  it("rejects malformed options with an InvalidRequestError naming the field, checking nothing", async () => {
    const client = createClient({ providers: providers() });
    const cases: [unknown, string][] = [
      [null, "verify: expected an options object ({ timeoutMs, signal, providers })"],
      ["fast", "verify: expected an options object ({ timeoutMs, signal, providers })"],
      [{ providers: "openai" }, "verify.providers: expected a non-empty array of provider names"],
      [{ providers: [] }, "verify.providers: expected a non-empty array of provider names"],
      [{ signal: {} }, "verify.signal: expected an AbortSignal"],
      [{ timeoutMS: 500 }, 'verify: unknown option "timeoutMS" (did you mean "timeoutMs"?)'],
    ];
    for (const [options, issue] of cases) {
      const error = await client.verify(options as never).catch((e: unknown) => e);
      expect(isInvalidRequestError(error) && error.issues, JSON.stringify(options)).toEqual([issue]);
    }
    expect(oa.callCount).toBe(0);
  });

  it("the drop-in: getFailoverClient(wrapped).verify() checks the wrapped client and the fallbacks", async () => {
    const wrapped = withFailover(new OpenAI({ apiKey: KEY, baseURL: oa.baseURL }), {
      fallbacks: providers().slice(2),
    });
    const report = await getFailoverClient(wrapped)!.verify();
    expect(
      report.providers.map(({ provider, model, outcome, check }) => ({ provider, model, outcome, check })),
    ).toEqual([
      { provider: "openai", model: "per-call", outcome: "ok", check: "GET /models" },
      {
        provider: "anthropic",
        model: "claude-sonnet-4-6",
        outcome: "ok",
        check: "GET /v1/models/claude-sonnet-4-6",
      },
      {
        provider: "mistral",
        model: "mistral-large-latest",
        outcome: "ok",
        check: "GET /v1/models/mistral-large-latest",
      },
    ]);
  });
});
