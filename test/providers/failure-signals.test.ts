/**
 * Rule 7 of issue 7: every failure signal is read, and the same signal means the same thing on
 * every provider. Each signal is served on the wire by a local server and read through the real
 * SDK; the class is checked on the adapter's error, and the call is checked to fall over (or not)
 * through the engine with a healthy provider behind.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FailureClass } from "../../src/errors/failure-class.js";
import { anthropic, azureOpenAI, createClient, mistral, openai, openaiCompatible } from "../../src/index.js";
import type { ProviderAdapter } from "../../src/spec/provider.js";
import { faults, type MockFault, type MockProvider, startMockProvider } from "../../src/testing/index.js";

type Wire = "openai" | "azure" | "anthropic" | "mistral";
type Kind = "openai" | "azure" | "openai-compatible" | "anthropic" | "mistral";
const wireOf = (kind: Kind): Wire => (kind === "openai-compatible" ? "openai" : kind);

const mocks = {} as Record<Wire | "healthy", MockProvider>;
beforeAll(async () => {
  for (const wire of ["openai", "azure", "anthropic", "mistral"] as const) {
    mocks[wire] = await startMockProvider({ kind: wire });
  }
  mocks.healthy = await startMockProvider({ kind: "openai", name: "healthy" });
});
beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.reset();
});
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const apiKey = "test-key-0001";
const adapterFor = (kind: Kind): ProviderAdapter => {
  switch (kind) {
    case "openai":
      return openai({ apiKey, baseURL: mocks.openai.baseURL, model: "gpt-4.1" });
    case "azure":
      return azureOpenAI({
        endpoint: mocks.azure.baseURL,
        apiKey,
        deployment: "d",
        apiVersion: "2024-10-21",
        model: "gpt-4.1",
      });
    case "openai-compatible":
      return openaiCompatible({ name: "vllm", baseURL: mocks.openai.baseURL, model: "llama" });
    case "anthropic":
      return anthropic({
        client: new Anthropic({ apiKey, baseURL: mocks.anthropic.baseURL }),
        model: "claude",
      });
    case "mistral":
      return mistral({
        client: new Mistral({ apiKey, serverURL: mocks.mistral.baseURL }),
        model: "mistral-small-latest",
      });
  }
};
const healthy = () => openaiCompatible({ name: "healthy", baseURL: mocks.healthy.baseURL, model: "backup" });

const sse = (...events: string[]): MockFault =>
  faults.status(200, events.map((e) => `${e}\n\n`).join(""), { "content-type": "text/event-stream" });
const data = (value: unknown) => `data: ${typeof value === "string" ? value : JSON.stringify(value)}`;
const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
  data({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
const completion = (message: Record<string, unknown>, finishReason: string) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finishReason }],
});

const context = () => ({ signal: new AbortController().signal, timeoutMs: 10_000 });
const request = (adapter: ProviderAdapter) => ({
  model: adapter.model,
  messages: [{ role: "user" as const, content: "hi" }],
});

/** What one adapter call does: its error (or undefined) and the parts it yielded. */
const callAdapter = async (kind: Kind, stream: boolean) => {
  const adapter = adapterFor(kind);
  try {
    if (!stream) {
      await adapter.generate(request(adapter), context());
      return { error: undefined as any };
    }
    for await (const _ of await adapter.stream(request(adapter), context())) {
      // read to the end
    }
    return { error: undefined as any };
  } catch (error) {
    return { error: error as any };
  }
};

/** The same signal through the engine, with a healthy provider behind: who answered, and the first attempt. */
const callEngine = async (kind: Kind, transport: "stream" | "json") => {
  const client = createClient({ providers: [adapterFor(kind), healthy()], transport });
  const result = await client.chat({ messages: [{ role: "user", content: "hi" }] });
  return { provider: result.provider, first: result.attempts[0] };
};

describe("finish_reason error is a failure that falls over, on every Chat Completions-style provider", () => {
  const errorStream = sse(chunk({ role: "assistant", content: "Par" }), chunk({}, "error"), data("[DONE]"));
  const errorBody = faults.status(200, completion({ content: "Par" }, "error"));
  it.for(["openai", "azure", "openai-compatible"] as const)(
    "%s: stream and JSON → server_error, then the fallback answers",
    async (kind) => {
      mocks[wireOf(kind)].script(errorStream, errorBody, errorStream, errorBody);
      expect((await callAdapter(kind, true)).error).toMatchObject({
        failureClass: "server_error",
        providerCode: "error",
      });
      expect((await callAdapter(kind, false)).error).toMatchObject({
        failureClass: "server_error",
        providerCode: "error",
      });
      for (const transport of ["stream", "json"] as const) {
        const { provider, first } = await callEngine(kind, transport);
        expect(provider).toBe("healthy");
        expect(first).toMatchObject({ outcome: "server_error" });
      }
    },
  );

  it("mistral (the same signal, read the same way)", async () => {
    mocks.mistral.script(faults.inBandError(), faults.inBandError());
    expect((await callAdapter("mistral", true)).error).toMatchObject({
      failureClass: "server_error",
      providerCode: "error",
    });
    expect((await callEngine("mistral", "stream")).provider).toBe("healthy");
  });
});

interface InBandCase {
  name: string;
  /** The error object as OpenAI-style servers put it under `error`. */
  error: Record<string, unknown>;
  failureClass: FailureClass;
}

const IN_BAND: InBandCase[] = [
  {
    name: "code 402 (OpenRouter: insufficient credits)",
    error: { code: 402, message: "Insufficient credits" },
    failureClass: "quota",
  },
  {
    name: "insufficient_quota",
    error: {
      type: "insufficient_quota",
      code: "insufficient_quota",
      message: "You exceeded your current quota",
    },
    failureClass: "quota",
  },
  {
    name: "rate_limit_exceeded",
    error: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests" },
    failureClass: "rate_limited",
  },
  { name: "code 429", error: { code: 429, message: "Too many" }, failureClass: "rate_limited" },
  {
    name: "code 503",
    error: { code: 503, message: "Provider returned error" },
    failureClass: "server_error",
  },
  { name: "invalid_api_key", error: { code: "invalid_api_key", message: "bad key" }, failureClass: "auth" },
];

describe("in-band error codes mean what the same code means as a status", () => {
  for (const c of IN_BAND) {
    it.for(["openai", "azure", "openai-compatible"] as const)(
      `${c.name} → ${c.failureClass} (%s, SSE frame and 200 JSON body)`,
      async (kind) => {
        mocks[wireOf(kind)].script(
          sse(chunk({ role: "assistant", content: "" }), data({ error: c.error })),
          faults.status(200, { error: c.error }),
        );
        expect((await callAdapter(kind, true)).error).toMatchObject({
          failureClass: c.failureClass,
          status: undefined,
        });
        expect((await callAdapter(kind, false)).error).toMatchObject({
          failureClass: c.failureClass,
          status: undefined,
        });
      },
    );
  }

  it("an error field beside choices (OpenRouter's mid-stream form) is read too", async () => {
    mocks.openai.script(
      sse(
        chunk({ role: "assistant", content: "Hel" }),
        data({
          id: "x",
          object: "chat.completion.chunk",
          choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
          error: { code: 502, message: "Provider disconnected" },
        }),
      ),
    );
    expect((await callAdapter("openai-compatible", true)).error).toMatchObject({
      failureClass: "server_error",
    });
  });

  it("mistral: a 200 JSON error body with code 402 → quota", async () => {
    mocks.mistral.script(
      faults.status(200, {
        object: "error",
        message: "Insufficient credits",
        type: "payment_required",
        code: 402,
      }),
    );
    expect((await callAdapter("mistral", false)).error).toMatchObject({ failureClass: "quota" });
  });

  it("the quota falls over through the engine, and takes the provider out", async () => {
    mocks.openai.script(sse(data({ error: IN_BAND[0]!.error })));
    const client = createClient({ providers: [adapterFor("openai-compatible"), healthy()] });
    const result = await client.chat({ messages: [{ role: "user", content: "hi" }] });
    expect(result.provider).toBe("healthy");
    expect(result.attempts[0]).toMatchObject({ provider: "vllm", outcome: "quota" });
    expect(client.health().find((h) => h.provider === "vllm")?.state).toBe("disabled");
  });
});

describe("Anthropic: a 200 JSON error body (or an event: error) is classed by its type", () => {
  it.each([
    ["billing_error", "quota"],
    ["not_found_error", "bad_request"],
    ["permission_error", "auth"],
    ["authentication_error", "auth"],
    ["rate_limit_error", "rate_limited"],
    ["request_too_large", "context_length"],
    ["api_error", "server_error"],
    ["timeout_error", "server_error"],
    ["overloaded_error", "overloaded"],
    ["invalid_request_error", "bad_request"],
  ] as const)("%s → %s", async (type, failureClass) => {
    const body = { type: "error", error: { type, message: "something went wrong" } };
    mocks.anthropic.script(
      faults.status(200, body),
      sse(
        `event: message_start\n${data({ type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "claude", content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 0 } } })}`,
        `event: error\n${data(body)}`,
      ),
    );
    expect((await callAdapter("anthropic", false)).error).toMatchObject({
      failureClass,
      providerCode: type,
      status: undefined,
    });
    expect((await callAdapter("anthropic", true)).error).toMatchObject({
      failureClass,
      providerCode: type,
      status: undefined,
    });
  });
});

describe("a stream of only `data: [DONE]` is not a successful empty reply", () => {
  it.each([
    ["[DONE] alone", sse(data("[DONE]"))],
    ["a role chunk, then [DONE]", sse(chunk({ role: "assistant", content: "" }), data("[DONE]"))],
    [
      "a usage chunk (choices: []), then [DONE]",
      sse(
        data({ id: "x", choices: [], usage: { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 } }),
        data("[DONE]"),
      ),
    ],
  ])("%s → invalid_response, and the call falls over", async (_, fault) => {
    mocks.openai.script(fault, fault);
    expect((await callAdapter("openai-compatible", true)).error).toMatchObject({
      failureClass: "invalid_response",
    });
    const { provider, first } = await callEngine("openai-compatible", "stream");
    expect(provider).toBe("healthy");
    expect(first).toMatchObject({ outcome: "invalid_response" });
  });

  it("a finish reason with no content is still a (short) reply: finish_reason length, nothing else", async () => {
    mocks.openai.script(sse(chunk({ role: "assistant", content: "" }, "length"), data("[DONE]")));
    expect((await callAdapter("openai-compatible", true)).error).toBeUndefined();
  });
});
