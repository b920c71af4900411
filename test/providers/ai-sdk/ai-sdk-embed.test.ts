/** aiSdk() with an AI SDK embedding model (@ai-sdk/openai's, against the OpenAI mock), as primary and fallback. */
import { createOpenAI } from "@ai-sdk/openai";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient } from "../../../src/engine/create-client.js";
import { aiSdk } from "../../../src/providers/ai-sdk/index.js";
import { openai } from "../../../src/providers/openai/index.js";
import {
  faults,
  type MockProviderGroup,
  mockEmbedding,
  startMockProviders,
} from "../../../src/testing/index.js";

const SPACE = "text-embedding-3-small";
let mocks: MockProviderGroup<{ openai: object; gateway: { kind: "openai" } }>;
beforeAll(async () => {
  mocks = await startMockProviders({ openai: {}, gateway: { kind: "openai" } });
});
afterAll(() => mocks.close());
beforeEach(() => mocks.reset());

const viaAiSdk = (dimensions?: number) => {
  const provider = createOpenAI({ apiKey: "sk-aisdk", baseURL: mocks.gateway.baseURL });
  return aiSdk({
    name: "ai-sdk-openai",
    model: provider.chat("gpt-4.1"),
    embeddings: { model: provider.embedding(SPACE), ...(dimensions ? { dimensions } : {}) },
  });
};

describe("aiSdk() embeddings", () => {
  it("answers through doEmbed: vectors in order, input tokens as usage, the model's id as the space", async () => {
    const client = createClient({ providers: [viaAiSdk()] });
    expect(client.embeddingSpace).toEqual({ model: SPACE, dimensions: undefined });
    const res = await client.embed({ input: ["first", "second"] });
    expect(res).toMatchObject({ provider: "ai-sdk-openai", model: SPACE, dimensions: 1536 });
    expect(res.embeddings).toEqual([
      mockEmbedding(SPACE, "first", 1536),
      mockEmbedding(SPACE, "second", 1536),
    ]);
    expect(res.usage).toMatchObject({ inputTokens: 4, totalTokens: 4 });
    expect(mocks.gateway.lastRequest?.body).toMatchObject({ model: SPACE, input: ["first", "second"] });
  });

  it("as the fallback of an OpenAI provider in the same space: a 503 falls over to it", async () => {
    mocks.openai.script(faults.serverError());
    const client = createClient({
      providers: [
        openai({
          client: new OpenAI({ apiKey: "sk", baseURL: mocks.openai.baseURL }),
          model: "gpt-4.1",
          embeddings: { model: SPACE },
        }),
        viaAiSdk(),
      ],
    });
    const res = await client.embed({ input: "q" });
    expect(res.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["openai", "server_error"],
      ["ai-sdk-openai", "ok"],
    ]);
    expect(res.embeddings[0]).toEqual(mockEmbedding(SPACE, "q", 1536));
  });

  it("its failures are classified as for chat (429), and an answer of another length fails", async () => {
    mocks.gateway.script(
      faults.rateLimited({ retryAfter: "3" }),
      faults.reply({ embedding: { dimensions: 8 } }),
    );
    const client = createClient({ providers: [viaAiSdk()], retry: { maxRetries: 0 } });
    const limited = await client.embed({ input: "q" }).catch((e) => e);
    expect(limited.attempts[0]).toMatchObject({ outcome: "rate_limited", status: 429 });
    const other = await createClient({ providers: [viaAiSdk()], retry: { maxRetries: 0 } })
      .embed({ input: "q" })
      .catch((e) => e);
    expect(other.attempts[0]).toMatchObject({
      outcome: "invalid_response",
      message: expect.stringContaining("8-dimension vectors where 1536 were expected"),
    });
  });

  it("rejects an option that is not an embedding model", () => {
    const provider = createOpenAI({ apiKey: "k", baseURL: mocks.gateway.baseURL });
    expect(() =>
      aiSdk({ model: provider.chat("m"), embeddings: { model: provider.chat("m") as never } }),
    ).toThrow(/aiSdk\.embeddings\.model: expected an AI SDK embedding model/);
  });
});
