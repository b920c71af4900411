/**
 * `client.embed()` through the real SDKs (openai 7, @mistralai/mistralai) against the mock server,
 * faults on the wire, each adapter as primary and as fallback.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient } from "../../src/engine/create-client.js";
import { isAllProvidersFailedError } from "../../src/errors/all-providers-failed-error.js";
import { ConfigError } from "../../src/errors/config-error.js";
import { isProviderError } from "../../src/errors/provider-error.js";
import { anthropic } from "../../src/providers/anthropic/index.js";
import { azureOpenAI } from "../../src/providers/azure/index.js";
import { mistral } from "../../src/providers/mistral/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { openaiCompatible } from "../../src/providers/openai-compatible/index.js";
import {
  faults,
  type MockProviderGroup,
  mockEmbedding,
  startMockProvider,
  startMockProviders,
} from "../../src/testing/index.js";
import { rejection } from "../helpers/rejections.js";

const OPENAI_KEY = "sk-openai-SECRET-0123456789abcdef";
const AZURE_KEY = "azure-SECRET-key-0123456789abcdef";
const SPACE = "text-embedding-3-small";
/** The input whose text must never appear in an error or event. */
const PRIVATE = "the private medical history of patient 4242";

type Mocks = MockProviderGroup<{
  openai: object;
  azure: object;
  anthropic: object;
  mistral: object;
  mistral2: { kind: "mistral" };
  compat: { kind: "openai" };
}>;
let mocks: Mocks;
beforeAll(async () => {
  mocks = await startMockProviders({
    openai: {},
    // Azure reports the model behind the deployment, as the real service does.
    azure: { model: SPACE },
    anthropic: {},
    mistral: {},
    mistral2: { kind: "mistral" },
    compat: { kind: "openai" },
  });
});
afterAll(() => mocks.close());
beforeEach(() => mocks.reset());

const openaiProvider = () =>
  openai({
    client: new OpenAI({ apiKey: OPENAI_KEY, baseURL: mocks.openai.baseURL }),
    model: "gpt-4.1",
    embeddings: { model: SPACE },
  });
const azureProvider = () =>
  azureOpenAI({
    client: new AzureOpenAI({ endpoint: mocks.azure.baseURL, apiKey: AZURE_KEY, apiVersion: "2024-10-21" }),
    model: "gpt-4o",
    embeddings: { model: SPACE, deployment: "emb-small" },
  });
const anthropicProvider = () =>
  anthropic({
    client: new Anthropic({ apiKey: "sk-ant", baseURL: mocks.anthropic.baseURL }),
    model: "claude",
  });

/**
 * OpenAI first, Anthropic (no embeddings) second, Azure (the same space) third. A short headers
 * deadline for OpenAI only when a test black-holes it (a cold first call may take longer under load).
 */
const openAIClient = (openaiHeadersMs?: number) =>
  createClient({
    providers: [
      openaiHeadersMs === undefined
        ? openaiProvider()
        : { provider: openaiProvider(), policy: { deadlines: { headersMs: openaiHeadersMs } } },
      anthropicProvider(),
      azureProvider(),
    ],
  });

describe("embed() with OpenAI and Azure OpenAI (one space), Anthropic passed over", () => {
  it("OpenAI answers: vectors in input order, base64 on the wire, usage, Anthropic excluded", async () => {
    const res = await openAIClient().embed({ input: ["first", "second"] });
    expect(res).toMatchObject({ provider: "openai", model: SPACE, dimensions: 1536 });
    expect(res.embeddings).toEqual([
      mockEmbedding(SPACE, "first", 1536),
      mockEmbedding(SPACE, "second", 1536),
    ]);
    expect(res.usage).toEqual({
      inputTokens: 4,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: 4,
    });
    expect(res.excluded).toEqual([
      { provider: "anthropic", reason: expect.stringContaining("no embeddings API") },
    ]);
    expect(mocks.openai.lastRequest?.body).toEqual({
      model: SPACE,
      input: ["first", "second"],
      encoding_format: "base64",
    });
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("503: Azure answers at once, the same vectors (one space), through its embedding deployment", async () => {
    mocks.openai.script(faults.serverError());
    const res = await openAIClient().embed({ input: ["first", "second"] });
    expect(res.provider).toBe("azure-openai");
    expect(res.attempts.map((a) => [a.provider, a.model, a.outcome, a.status])).toEqual([
      ["openai", SPACE, "server_error", 503],
      ["azure-openai", SPACE, "ok", undefined],
    ]);
    expect(res.embeddings[1]).toEqual(mockEmbedding(SPACE, "second", 1536));
    expect(mocks.azure.lastRequest?.path).toBe(
      "/openai/deployments/emb-small/embeddings?api-version=2024-10-21",
    );
    expect(mocks.openai.callCount).toBe(1);
  });

  it("429 with Retry-After: falls over at once; OpenAI cools and costs the next call no request", async () => {
    mocks.openai.script(faults.rateLimited({ retryAfter: "20" }));
    const client = openAIClient();
    const first = await client.embed({ input: "q" });
    expect(first.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["openai", "rate_limited"],
      ["azure-openai", "ok"],
    ]);
    const second = await client.embed({ input: "q" });
    expect(second.provider).toBe("azure-openai");
    expect(mocks.openai.callCount).toBe(1);
    expect(client.health().find((h) => h.provider === "openai")).toMatchObject({ model: SPACE });
  });

  it("black hole: the headers deadline bounds the attempt, Azure answers, the socket is closed", async () => {
    mocks.openai.script({ type: "black-hole" });
    const res = await openAIClient(400).embed({ input: "q" });
    expect(res.attempts[0]).toMatchObject({
      provider: "openai",
      outcome: "timeout",
      message: expect.stringContaining("no answer within 400 ms"),
    });
    expect(res.provider).toBe("azure-openai");
    expect(mocks.openai.lastRequest?.closedBy).toBe("client");
  });

  it("headers at once but no body (a stall) is a timeout too", async () => {
    mocks.openai.script({ type: "stall", afterEvents: 0 });
    const res = await openAIClient(400).embed({ input: "q" });
    expect(res.attempts[0]?.outcome).toBe("timeout");
    expect(res.provider).toBe("azure-openai");
  });

  it("401: falls over, and OpenAI is disabled for the next calls", async () => {
    mocks.openai.script(faults.auth({ message: `Incorrect API key provided: ${OPENAI_KEY}.` }));
    const client = openAIClient();
    const res = await client.embed({ input: "q" });
    expect(res.attempts.map((a) => [a.provider, a.outcome, a.status])).toEqual([
      ["openai", "auth", 401],
      ["azure-openai", "ok", undefined],
    ]);
    expect(res.attempts[0]?.message).not.toContain(OPENAI_KEY);
    await client.embed({ input: "q" });
    expect(mocks.openai.callCount).toBe(1);
  });

  it("400: the caller's error at once, Azure never asked", async () => {
    mocks.openai.script(faults.badRequest({ message: "Invalid 'input': too long." }));
    const error = await rejection(openAIClient().embed({ input: "q" }));
    expect(isProviderError(error) && [error.failureClass, error.status]).toEqual(["bad_request", 400]);
    expect(mocks.azure.callCount).toBe(0);
  });

  it("a fallback answering in another length (a misdeclared space) failed: the next one answers", async () => {
    mocks.openai.script(faults.serverError());
    // A gateway declared as text-embedding-3-small that actually answers with 3072-dim vectors.
    mocks.compat.script(faults.reply({ embedding: { dimensions: 3072 } }));
    const client = createClient({
      providers: [
        openaiProvider(),
        openaiCompatible({
          name: "gateway",
          baseURL: mocks.compat.baseURL,
          model: "m",
          embeddings: { model: SPACE },
        }),
        azureProvider(),
      ],
    });
    const res = await client.embed({ input: "q" });
    expect(res.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["openai", "server_error"],
      ["gateway", "invalid_response"],
      ["azure-openai", "ok"],
    ]);
    expect(res.attempts[1]?.message).toContain("3072-dimension vectors where 1536 were expected");
    expect(res.embeddings[0]).toHaveLength(1536);
  });

  it("a fallback answering with another model at the same length (ada-002 for 3-small, both 1536) failed", async () => {
    const ada = await startMockProvider({ kind: "openai", name: "ada", model: "text-embedding-ada-002" });
    try {
      mocks.openai.script(faults.serverError());
      const gateway = (name: string, baseURL: string) =>
        openaiCompatible({ name, baseURL, model: "m", embeddings: { model: SPACE } });
      const client = createClient({
        providers: [openaiProvider(), gateway("gateway", ada.baseURL), azureProvider()],
      });
      const res = await client.embed({ input: ["a", "b"] });
      expect(res.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ["openai", "server_error"],
        ["gateway", "invalid_response"],
        ["azure-openai", "ok"],
      ]);
      expect(res.attempts[1]?.message).toContain("another embedding model");
      expect(res.embeddings[0]).toEqual(mockEmbedding(SPACE, "a", 1536));

      // A name the check does not know (a gateway's alias, a newer model) is trusted.
      const alias = await startMockProvider({
        kind: "openai",
        name: "alias",
        model: "acme/embed-small-prod",
      });
      try {
        mocks.openai.script(faults.serverError());
        const trusted = createClient({ providers: [openaiProvider(), gateway("alias", alias.baseURL)] });
        expect((await trusted.embed({ input: "q" })).provider).toBe("alias");
      } finally {
        await alias.close();
      }
    } finally {
      await ada.close();
    }
  });

  it("an OpenAI-compatible server: floats on the wire, text only, no usage is absent counts", async () => {
    mocks.compat.script(faults.reply({ embedding: { omitUsage: true } }));
    const client = createClient({
      providers: [
        openaiCompatible({
          name: "local",
          baseURL: mocks.compat.baseURL,
          model: "llama",
          embeddings: { model: SPACE },
        }),
      ],
    });
    const res = await client.embed({ input: "q" });
    expect(mocks.compat.lastRequest?.body).toMatchObject({ encoding_format: "float" });
    expect(res.usage).toEqual({
      inputTokens: undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: undefined,
    });
    expect(res.embeddings[0]).toEqual(mockEmbedding(SPACE, "q", 1536));
  });

  it("dimensions: the space's length is sent, a request for another is refused before anything is sent", async () => {
    const client = createClient({
      providers: [
        openai({
          client: new OpenAI({ apiKey: OPENAI_KEY, baseURL: mocks.openai.baseURL }),
          model: "gpt-4.1",
          embeddings: { model: "text-embedding-3-large", dimensions: 256 },
        }),
      ],
    });
    const res = await client.embed({ input: "q" });
    expect(res.dimensions).toBe(256);
    expect(mocks.openai.lastRequest?.body).toMatchObject({ dimensions: 256 });
    const error = await rejection(client.embed({ input: "q", dimensions: 3072 }));
    expect(error.name).toBe("InvalidRequestError");
    expect(mocks.openai.callCount).toBe(1);
  });

  it("no key and no input text in any error, attempt or event", async () => {
    const events: unknown[] = [];
    const client = createClient({
      providers: [openaiProvider(), anthropicProvider(), azureProvider()],
      retry: { maxRetries: 0 },
    });
    for (const subscribe of [
      client.onCallStart,
      client.onCallEnd,
      client.onAttemptStart,
      client.onAttemptEnd,
      client.onFallback,
      client.onSkip,
    ]) {
      subscribe((event: unknown) => events.push(event));
    }
    mocks.openai.script(faults.serverError({ message: `Cannot embed '${PRIVATE}' with key ${OPENAI_KEY}` }));
    mocks.azure.script(faults.serverError({ message: `Failed on: ${PRIVATE} (api-key ${AZURE_KEY})` }));
    const error = await rejection(client.embed({ input: [PRIVATE, "another text"] }));
    expect(isAllProvidersFailedError(error)).toBe(true);
    const seen = JSON.stringify({
      events,
      attempts: error.attempts,
      message: error.message,
      cause: String(error.cause),
    });
    expect(seen).toContain("[request text]");
    for (const secret of [PRIVATE, OPENAI_KEY, AZURE_KEY]) expect(seen).not.toContain(secret);
  });
});

describe("embed() with Mistral (as primary and as fallback)", () => {
  const mistralProvider = (name: string, serverURL: string) =>
    mistral({
      name,
      client: new Mistral({ apiKey: "mistral-key", serverURL }),
      model: "mistral-small-latest",
      embeddings: { model: "mistral-embed" },
    });

  it("answers through the SDK's embeddings.create (camelCase): id, usage, 1024 dims", async () => {
    const client = createClient({ providers: [mistralProvider("mistral", mocks.mistral.baseURL)] });
    const res = await client.embed({ input: ["a", "b"] });
    expect(res).toMatchObject({ provider: "mistral", model: "mistral-embed", dimensions: 1024 });
    expect(res.usage.inputTokens).toBe(2);
    expect((res.raw as { id: string }).id).toMatch(/^embd-/);
    expect(mocks.mistral.lastRequest?.body).toEqual({ model: "mistral-embed", input: ["a", "b"] });
  });

  it("as fallback: a 503 on one Mistral account goes to the other; as primary: a 429 cools it", async () => {
    const client = createClient({
      providers: [
        mistralProvider("mistral-a", mocks.mistral.baseURL),
        mistralProvider("mistral-b", mocks.mistral2.baseURL),
      ],
    });
    mocks.mistral.script(faults.serverError());
    const first = await client.embed({ input: "q" });
    expect(first.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["mistral-a", "server_error"],
      ["mistral-b", "ok"],
    ]);
    expect(first.embeddings[0]).toEqual(mockEmbedding("mistral-embed", "q", 1024));
    mocks.mistral.script(faults.rateLimited({ retryAfter: "20" }));
    const second = await client.embed({ input: "q" });
    expect(second.attempts.map((a) => [a.provider, a.outcome, a.status])).toEqual([
      ["mistral-a", "rate_limited", 429],
      ["mistral-b", "ok", undefined],
    ]);
    const third = await client.embed({ input: "q" });
    expect(third.attempts.map((a) => a.provider)).toEqual(["mistral-b"]);
    expect(mocks.mistral.callCount).toBe(2);
  });

  it("token arrays never go to Mistral (text only): excluded", async () => {
    const client = createClient({
      providers: [mistralProvider("mistral", mocks.mistral.baseURL)],
    });
    const error = await rejection(client.embed({ input: [[1, 2, 3]] }));
    expect(error.name).toBe("InvalidRequestError");
    expect(mocks.mistral.callCount).toBe(0);
  });
});

describe("embeddings options", () => {
  it("a Mistral fallback in another space than OpenAI's is a ConfigError naming it", () => {
    expect(() =>
      createClient({
        providers: [
          openaiProvider(),
          mistral({
            client: new Mistral({ apiKey: "k" }),
            model: "m",
            embeddings: { model: "mistral-embed" },
          }),
        ],
      }),
    ).toThrow(
      /providers\.1 \(mistral\): embeddings in mistral-embed \(1024 dims\) is another vector space than providers\.0 \(openai\)'s text-embedding-3-small \(1536 dims\)/,
    );
  });

  it("Azure: a client bound to a chat deployment needs an embeddings client; a built one gets its own", async () => {
    const bound = new AzureOpenAI({
      endpoint: mocks.azure.baseURL,
      apiKey: AZURE_KEY,
      apiVersion: "2024-10-21",
      deployment: "gpt-4o",
    });
    let error: unknown;
    try {
      azureOpenAI({ client: bound, model: "gpt-4o", embeddings: { model: SPACE, deployment: "emb-small" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]).toMatch(
      /azureOpenAI\.client: the client is bound to deployment "gpt-4o"/,
    );

    const built = azureOpenAI({
      endpoint: mocks.azure.baseURL,
      apiKey: AZURE_KEY,
      apiVersion: "2024-10-21",
      deployment: "gpt-4o",
      model: "gpt-4o",
      embeddings: { model: SPACE, deployment: "emb-small" },
    });
    await createClient({ providers: [built] }).embed({ input: "q" });
    expect(mocks.azure.lastRequest?.path).toBe(
      "/openai/deployments/emb-small/embeddings?api-version=2024-10-21",
    );
  });

  it("a client without embeddings.create cannot declare embeddings", () => {
    const chatOnly = { chat: { completions: { create: () => undefined } } };
    expect(() => openai({ client: chatOnly, model: "m", embeddings: { model: SPACE } })).toThrow(
      /openai\.embeddings: the client has no embeddings\.create/,
    );
  });
});
