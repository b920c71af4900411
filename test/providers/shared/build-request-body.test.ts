/**
 * Rule 1 of issue 7, adapter side: anything that fails before a request leaves the process is the
 * caller's request error. Every adapter, through its real SDK against a real local server: a
 * request whose body cannot be built throws `InvalidRequestError` (naming the field, never its
 * value) and nothing reaches the server — never a `ProviderError` that would count against the
 * provider.
 */
import { Mistral } from "@mistralai/mistralai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isInvalidRequestError } from "../../../src/errors/invalid-request-error.js";
import { anthropic, azureOpenAI, mistral, openai, openaiCompatible, perplexity } from "../../../src/index.js";
import { buildRequestBody } from "../../../src/providers/shared/build-request-body.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import type { ProviderRequest } from "../../../src/spec/request.js";
import { type MockProvider, startMockProvider } from "../../../src/testing/index.js";

describe("buildRequestBody", () => {
  it("passes the body through", () => {
    expect(buildRequestBody("p", () => ({ model: "m", n: 1 }))).toEqual({ model: "m", n: 1 });
  });

  it("turns any exception of a converter into InvalidRequestError, naming its class, not its message", () => {
    let caught: unknown;
    try {
      buildRequestBody("p", () => {
        throw new TypeError("cannot map 'my secret prompt'");
      });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidRequestError(caught)).toBe(true);
    expect((caught as Error).message).toContain("TypeError");
    expect((caught as Error).message).not.toContain("secret prompt");
  });

  it("refuses a body JSON cannot carry: a bigint or a cycle, naming the path", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => buildRequestBody("p", () => ({ extra: { seed: 10n } }))).toThrow(
      /body\.extra\.seed: a bigint/,
    );
    expect(() => buildRequestBody("p", () => ({ tools: [cyclic] }))).toThrow(
      /body\.tools\.0\.self: a circular/,
    );
    // A value met twice is not a cycle.
    const shared = { type: "string" };
    expect(() => buildRequestBody("p", () => ({ a: shared, b: shared }))).not.toThrow();
  });
});

type Kind = "openai" | "azure" | "anthropic" | "mistral" | "openai-compatible" | "perplexity";
const KINDS: Kind[] = ["openai", "azure", "anthropic", "mistral", "openai-compatible", "perplexity"];
const wireOf = (kind: Kind) =>
  kind === "anthropic" || kind === "mistral" || kind === "azure" ? kind : ("openai" as const);

const mocks = {} as Record<"openai" | "azure" | "anthropic" | "mistral", MockProvider>;
beforeAll(async () => {
  for (const wire of ["openai", "azure", "anthropic", "mistral"] as const) {
    mocks[wire] = await startMockProvider({ kind: wire });
  }
});
beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.reset();
});
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const adapterFor = (kind: Kind): ProviderAdapter => {
  const apiKey = "test-key-0001";
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
    case "anthropic":
      return anthropic({ apiKey, baseURL: mocks.anthropic.baseURL, model: "claude" });
    case "mistral":
      return mistral({
        client: new Mistral({ apiKey, serverURL: mocks.mistral.baseURL }),
        model: "mistral-small-latest",
      });
    case "openai-compatible":
      return openaiCompatible({ name: "groq", baseURL: mocks.openai.baseURL, apiKey, model: "llama" });
    case "perplexity":
      return perplexity({ apiKey, baseURL: mocks.openai.baseURL, model: "sonar" });
  }
};

const withImage = (image: string | Uint8Array, mediaType?: string): Partial<ProviderRequest> => ({
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "What is in this picture?" },
        { type: "image", image, ...(mediaType ? { mediaType } : {}) },
      ],
    },
  ],
});

const cyclic = (): Record<string, unknown> => {
  const value: Record<string, unknown> = { type: "object" };
  value.self = value;
  return value;
};

const UNMAPPABLE: { name: string; request: () => Partial<ProviderRequest>; issue: RegExp }[] = [
  {
    name: "an image given as a relative file path",
    request: () => withImage("uploads/cat.jpg"),
    issue: /messages\.0\.content\.1: expected an http\(s\) URL/,
  },
  {
    name: "an image given as empty bytes (even with a media type)",
    request: () => withImage(new Uint8Array(0), "image/png"),
    issue: /messages\.0\.content\.1: the image bytes are empty/,
  },
  {
    name: "an image given as a file: URL",
    request: () => withImage("file:///home/me/cat.png"),
    issue: /messages\.0\.content\.1: only http\(s\) and data: URLs/,
  },
  {
    name: "a data: URL with no data",
    request: () => withImage("data:image/png;base64,"),
    issue: /messages\.0\.content\.1: the data: URL carries no data/,
  },
  {
    name: "a bigint in a tool's parameters",
    request: () => ({
      tools: [{ name: "f", parameters: { type: "object", properties: { n: { maximum: 10n } } } }],
    }),
    issue: /a bigint cannot be sent as JSON/,
  },
  {
    name: "a cycle in a structured-output schema",
    request: () => ({ responseFormat: { type: "json_schema", name: "r", schema: cyclic() } }),
    issue: /a circular reference cannot be sent as JSON/,
  },
];

describe("every adapter: a request that cannot be built is the caller's InvalidRequestError, and nothing is sent", () => {
  for (const row of UNMAPPABLE) {
    describe(row.name, () => {
      const cells = KINDS.flatMap((kind) =>
        (["generate", "stream"] as const).map((call) => ({ kind, call })),
      );
      it.for(cells)("$kind · $call", async ({ kind, call }) => {
        const adapter = adapterFor(kind);
        const request: ProviderRequest = {
          model: adapter.model,
          messages: [{ role: "user", content: "hi" }],
          ...row.request(),
        };
        const context = { signal: new AbortController().signal, timeoutMs: 10_000 };
        const error = await (call === "generate"
          ? adapter.generate(request, context)
          : adapter.stream(request, context)
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isInvalidRequestError(error), String(error)).toBe(true);
        expect((error as Error).message).toMatch(row.issue);
        expect(mocks[wireOf(kind)].callCount).toBe(0);
      });
    });
  }
});
