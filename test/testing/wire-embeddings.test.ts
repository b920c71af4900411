/** The embeddings endpoints of the mock, read through the real openai and @mistralai/mistralai SDKs. */
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import {
  faults,
  type MockProviderGroup,
  mockEmbedding,
  startMockProviders,
} from "../../src/testing/index.js";
import { API_KEY, rejection } from "./helpers.js";

let mocks: MockProviderGroup<{ openai: object; azure: object; mistral: object; anthropic: object }>;
beforeAll(async () => {
  mocks = await startMockProviders({
    openai: {},
    azure: { model: "text-embedding-3-small" },
    mistral: {},
    anthropic: {},
  });
});
afterAll(() => mocks.close());
beforeEach(() => mocks.reset());

const openai = () => new OpenAI({ apiKey: API_KEY, baseURL: mocks.openai.baseURL, maxRetries: 0 });

/** The float32s of a base64 embedding, as numbers. */
const decode = (text: string): number[] => {
  const bytes = Buffer.from(text, "base64");
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
};

describe("embeddings wire: OpenAI", () => {
  test("one deterministic unit vector per input, in order, with usage", async () => {
    const res = await openai().embeddings.create({
      model: "text-embedding-3-small",
      input: ["first text", "second"],
      encoding_format: "float",
    });
    expect(res).toMatchObject({
      object: "list",
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    expect(res.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
      ["embedding", 0, 1536],
      ["embedding", 1, 1536],
    ]);
    expect(res.data[0]!.embedding).toEqual(mockEmbedding("text-embedding-3-small", "first text", 1536));
    const norm = Math.hypot(...res.data[1]!.embedding);
    expect(norm).toBeCloseTo(1, 5);
    expect(mocks.openai.lastRequest).toMatchObject({ path: "/v1/embeddings", stream: false });
  });

  test("base64 when asked (the SDK's own default, decoded by it), of the requested dimensions", async () => {
    const client = openai();
    const decoded = await client.embeddings.create({
      model: "text-embedding-3-large",
      input: "q",
      dimensions: 8,
    });
    expect(mocks.openai.lastRequest?.body).toMatchObject({ encoding_format: "base64" });
    expect(decoded.data[0]!.embedding).toEqual(mockEmbedding("text-embedding-3-large", "q", 8));
    const raw = await client.embeddings.create({
      model: "text-embedding-3-large",
      input: "q",
      dimensions: 8,
      encoding_format: "base64",
    });
    const text = raw.data[0]!.embedding as unknown as string;
    expect(typeof text).toBe("string");
    expect(decode(text)).toEqual(decoded.data[0]!.embedding);
  });

  test("token-array input, the model's own length, another model another vector", async () => {
    const res = await openai().embeddings.create({ model: "text-embedding-3-large", input: [[1, 2, 3]] });
    expect(res.data[0]!.embedding).toHaveLength(3072);
    expect(res.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(mockEmbedding("a", "x", 4)).not.toEqual(mockEmbedding("b", "x", 4));
  });

  test("reply options: another length, a missing vector, no usage", async () => {
    mocks.openai.script(faults.reply({ embedding: { dimensions: 4, count: 1, omitUsage: true } }));
    const res = await openai().embeddings.create({ model: "m", input: ["a", "b"], dimensions: 16 });
    expect(res.data).toHaveLength(1);
    expect(res.data[0]!.embedding).toHaveLength(4);
    expect(res).not.toHaveProperty("usage");
  });

  test("faults apply as to any JSON call: 429 with Retry-After, a black hole", async () => {
    mocks.openai.script(faults.rateLimited({ retryAfter: "7" }), { type: "black-hole" });
    const limited = await rejection(openai().embeddings.create({ model: "m", input: "a" }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    const hole = await rejection(openai().embeddings.create({ model: "m", input: "a" }, { timeout: 100 }));
    expect(hole.constructor.name).toBe("APIConnectionTimeoutError");
    await vi.waitFor(() => expect(mocks.openai.lastRequest?.closedBy).toBe("client"));
  });
});

describe("embeddings wire: Azure", () => {
  test("the deployment path (api-version required) and the v1 path; the same space as OpenAI's mock", async () => {
    const azure = new AzureOpenAI({
      endpoint: mocks.azure.baseURL,
      apiKey: API_KEY,
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const res = await azure.embeddings.create({ model: "my-embedding-deployment", input: "same text" });
    expect(mocks.azure.lastRequest?.path).toBe(
      "/openai/deployments/my-embedding-deployment/embeddings?api-version=2024-10-21",
    );
    expect(mocks.azure.lastRequest?.headers["api-key"]).toBe("[redacted]");
    expect(res.model).toBe("text-embedding-3-small");
    const fromOpenAI = await openai().embeddings.create({
      model: "text-embedding-3-small",
      input: "same text",
    });
    expect(res.data[0]!.embedding).toEqual(fromOpenAI.data[0]!.embedding);

    const v1 = new OpenAI({ apiKey: API_KEY, baseURL: `${mocks.azure.url}/openai/v1`, maxRetries: 0 });
    await v1.embeddings.create({ model: "my-embedding-deployment", input: "x" });
    expect(mocks.azure.lastRequest?.path).toBe("/openai/v1/embeddings");
    const noVersion = await fetch(`${mocks.azure.url}/openai/deployments/d/embeddings`, {
      method: "POST",
      body: "{}",
    });
    expect(noVersion.status).toBe(404);
  });
});

describe("embeddings wire: Mistral", () => {
  test("passes the SDK's schema: id, usage with completion_tokens 0, output_dimension honoured", async () => {
    const client = new Mistral({ apiKey: API_KEY, serverURL: mocks.mistral.baseURL });
    const res = await client.embeddings.create({ model: "mistral-embed", inputs: ["a", "bb"] });
    expect(res.id).toMatch(/^embd-[0-9a-f]{32}$/);
    expect(res).toMatchObject({ object: "list", model: "mistral-embed", usage: { completionTokens: 0 } });
    expect(res.data.map((d) => d.embedding?.length)).toEqual([1024, 1024]);
    await client.embeddings.create({ model: "codestral-embed", inputs: "x", outputDimension: 256 });
    expect(mocks.mistral.lastRequest?.body).toMatchObject({ input: "x", output_dimension: 256 });
  });
});

test("a provider without an embeddings API answers 404 in its own shape", async () => {
  const res = await fetch(`${mocks.anthropic.url}/v1/embeddings`, { method: "POST", body: "{}" });
  expect(res.status).toBe(404);
  expect(mocks.anthropic.lastRequest?.fault).toBe("not-found");
});
