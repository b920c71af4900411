import { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isConfigError } from "../../../src/errors/config-error.js";
import { azureOpenAI } from "../../../src/providers/azure/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, caught, collect, request } from "../openai/helpers.js";

let mock: MockProvider;
let provider: ProviderAdapter;

beforeAll(async () => {
  mock = await startMockProvider({ kind: "azure", apiKey: API_KEY });
  provider = azureOpenAI({
    endpoint: mock.baseURL,
    apiKey: API_KEY,
    deployment: "chat-prod",
    model: "gpt-4o",
  });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

const streamFailure = async (p: ProviderAdapter) => {
  const parts: StreamPart[] = [];
  const error = await caught(async () => {
    for await (const part of await p.stream(request({ model: "gpt-4o" }), attempt())) parts.push(part);
  });
  return { error, parts };
};

describe("azureOpenAI", () => {
  it("has the documented defaults: kind azure-openai, failure domain openai", () => {
    expect(provider).toMatchObject({
      name: "azure-openai",
      kind: "azure-openai",
      domain: "openai",
      model: "gpt-4o",
    });
  });

  it("calls the deployment path with api-version and the api-key header", async () => {
    mock.script(
      faults.reply({
        text: "Hi from Azure",
        usage: { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6 },
      }),
    );
    const result = await provider.generate(request({ model: "gpt-4o", maxTokens: 50 }), attempt());
    expect(result).toMatchObject({
      text: "Hi from Azure",
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6, totalTokens: 14 },
    });
    expect(result.raw).toHaveProperty("prompt_filter_results");
    const sent = mock.lastRequest!;
    expect(sent.path).toBe("/openai/deployments/chat-prod/chat/completions?api-version=2024-10-21");
    expect(sent.headers["api-key"]).toBe("[redacted]");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({ max_completion_tokens: 50 });
  });

  it("uses the request's model as the deployment when none is configured; honours apiVersion and maxTokensField", async () => {
    const p = azureOpenAI({
      endpoint: mock.baseURL,
      apiKey: API_KEY,
      apiVersion: "2024-06-01",
      maxTokensField: "max_tokens",
      model: "gpt-4o-mini",
    });
    await p.generate(request({ model: "gpt-4o-mini", maxTokens: 20 }), attempt());
    expect(mock.lastRequest?.path).toBe(
      "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-06-01",
    );
    expect(mock.lastRequest?.body).toMatchObject({ max_tokens: 20 });
  });

  it("streams past Azure's prompt_filter_results annotation chunk", async () => {
    mock.script(faults.reply({ text: "streamed text", chunkSize: 4 }));
    const { parts, text, finish } = await collect(
      await provider.stream(request({ model: "gpt-4o" }), attempt()),
    );
    expect(text).toBe("streamed text");
    expect(parts[0]).toEqual({ type: "text", text: "stre" });
    expect(finish).toMatchObject({ finishReason: { unified: "stop", raw: "stop" }, model: "gpt-4o" });
    expect(finish?.id).toMatch(/^chatcmpl-/);
    expect(finish?.usage.inputTokens).toBeGreaterThan(0);
  });

  it("400 content_filter → content_filter with the filtered categories (stream and not)", async () => {
    mock.script(faults.contentFilter(), faults.contentFilter());
    const error = await caught(() => provider.generate(request({ model: "gpt-4o" }), attempt()));
    expect(error).toMatchObject({
      name: "ProviderError",
      failureClass: "content_filter",
      status: 400,
      providerCode: "content_filter",
      contentFilterCategories: ["hate"],
    });
    const streamed = await streamFailure(provider);
    expect(streamed.parts).toEqual([]);
    expect(streamed.error).toMatchObject({
      failureClass: "content_filter",
      contentFilterCategories: ["hate"],
    });
  });

  it("finish_reason content_filter → content_filter with categories, after the text already streamed", async () => {
    mock.script(
      faults.contentFilterStream({ category: "violence", reply: { text: "abcdefgh", chunkSize: 2 } }),
    );
    const { error, parts } = await streamFailure(provider);
    expect(parts).toEqual([
      { type: "text", text: "ab" },
      { type: "text", text: "cd" },
    ]);
    expect(error).toMatchObject({ failureClass: "content_filter", contentFilterCategories: ["violence"] });

    mock.script(faults.contentFilterStream({ category: "self_harm" }));
    const nonStream = await caught(() => provider.generate(request({ model: "gpt-4o" }), attempt()));
    expect(nonStream).toMatchObject({
      failureClass: "content_filter",
      contentFilterCategories: ["self_harm"],
    });
  });

  it("429 with Azure's retry-after / retry-after-ms → rate_limited with the wait", async () => {
    mock.script(faults.rateLimited({ resetSeconds: 7 }));
    const error = await caught(() => provider.generate(request({ model: "gpt-4o" }), attempt()));
    expect(error).toMatchObject({ failureClass: "rate_limited", status: 429, retryAfterMs: 7000 });
  });

  it("a far-away Retry-After is reported as is (the engine compares it with the deadline)", async () => {
    mock.script(faults.rateLimited({ retryAfter: "86400", resetHeaders: false }));
    const error = await caught(() => provider.generate(request({ model: "gpt-4o" }), attempt()));
    expect(error).toMatchObject({ failureClass: "rate_limited", retryAfterMs: 86_400_000 });
  });

  it.each([
    ["401", faults.auth(), "auth"],
    ["404 DeploymentNotFound", faults.notFound(), "bad_request"],
    ["400 context length", faults.contextLength(), "context_length"],
    ["503", faults.serverError(), "server_error"],
    ["HTML 502", faults.html(502), "server_error"],
  ] as const)("%s → %s", async (_name, fault, failureClass) => {
    mock.script(fault);
    const error = await caught(() => provider.generate(request({ model: "gpt-4o" }), attempt()));
    expect(error).toMatchObject({ failureClass });
    expect(error.message).not.toContain(API_KEY);
  });

  it("works with a ready AzureOpenAI client and never mutates it", async () => {
    const client = new AzureOpenAI({
      endpoint: mock.baseURL,
      apiKey: API_KEY,
      apiVersion: "2024-10-21",
      deployment: "from-client",
      maxRetries: 4,
    });
    const p = azureOpenAI({ client, model: "gpt-4o" });
    mock.script(faults.serverError(500));
    expect(await caught(() => p.generate(request({ model: "gpt-4o" }), attempt()))).toMatchObject({
      failureClass: "server_error",
    });
    expect(mock.callCount).toBe(1);
    expect((await p.generate(request({ model: "gpt-4o" }), attempt())).text).toBe("Hello from azure");
    expect(mock.lastRequest?.path).toBe(
      "/openai/deployments/from-client/chat/completions?api-version=2024-10-21",
    );
    expect(client.maxRetries).toBe(4);
    expect(client.deploymentName).toBe("from-client");
  });

  it("authenticates with a Microsoft Entra token provider", async () => {
    const tokenMock = await startMockProvider({ kind: "azure", apiKey: "entra-token-123" });
    try {
      const p = azureOpenAI({
        endpoint: tokenMock.baseURL,
        azureADTokenProvider: async () => "entra-token-123",
        deployment: "d",
        model: "gpt-4o",
      });
      expect((await p.generate(request(), attempt())).text).toBe("Hello from azure");
      expect(tokenMock.lastRequest?.headers.authorization).toBe("[redacted]");
    } finally {
      await tokenMock.close();
    }
  });

  it("validates options", () => {
    const issues = (fn: () => unknown): string[] => {
      try {
        fn();
      } catch (error) {
        if (isConfigError(error)) return error.issues;
        throw error;
      }
      return [];
    };
    const client = new AzureOpenAI({
      endpoint: "https://x.openai.azure.com",
      apiKey: "k",
      apiVersion: "2024-10-21",
    });
    expect(issues(() => azureOpenAI({ client, endpoint: "https://y.openai.azure.com", model: "m" }))).toEqual(
      [expect.stringMatching(/^azureOpenAI\.endpoint: cannot be combined with `client`/)],
    );
    expect(
      issues(() =>
        azureOpenAI({
          apiKey: "k",
          azureADTokenProvider: async () => "t",
          endpoint: "https://y.test",
          model: "m",
        }),
      ),
    ).toEqual([expect.stringMatching(/^azureOpenAI\.azureADTokenProvider: pass either/)]);
    expect(issues(() => azureOpenAI({ endpoint: "nope", model: "m", deploymentName: "x" } as never))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^azureOpenAI\.endpoint: /),
        expect.stringMatching(/deploymentName/),
      ]),
    );
  });
});
