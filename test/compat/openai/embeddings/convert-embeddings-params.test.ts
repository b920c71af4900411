import { describe, expect, it } from "vitest";
import {
  type EmbeddingsRouting,
  routeEmbeddingsParams,
} from "../../../../src/compat/openai/embeddings/convert-embeddings-params.js";
import { convertToEmbeddingResponse } from "../../../../src/compat/openai/embeddings/convert-to-embedding-response.js";

const routing: EmbeddingsRouting = {
  primaryName: "openai",
  space: { model: "text-embedding-3-small", dimensions: undefined },
  requestModel: "text-embedding-3-small",
  fallbacks: ["azure-openai"],
};

describe("routeEmbeddingsParams", () => {
  it.each([
    [{ model: "text-embedding-3-small", input: "q" }, "failover"],
    [
      { model: "text-embedding-3-small", input: ["a", "b"], dimensions: 1536, encoding_format: "base64" },
      "failover",
    ],
    [{ model: "text-embedding-3-small", input: "q", user: "u-1" }, "failover"],
    [{ model: "text-embedding-3-small", input: "q", dimensions: 512 }, "primary-only"],
    [{ model: "text-embedding-3-large", input: "q" }, "primary-only"],
    [{ model: "text-embedding-3-small", input: "q", truncate: "END" }, "primary-only"],
    [{ model: "", input: "q" }, "refuse"],
    [{ model: "text-embedding-3-small", input: "q", dimensions: 1.5 }, "refuse"],
    [{ model: "text-embedding-3-small", input: "q", encoding_format: "int8" }, "refuse"],
    ["params", "refuse"],
  ])("%o → %s", (params, kind) => {
    expect(routeEmbeddingsParams(params, routing).kind).toBe(kind);
  });

  it("a call that stays on the primary is restricted to it and sends no dimensions of its own", () => {
    const route = routeEmbeddingsParams(
      { model: "text-embedding-3-small", input: "q", dimensions: 512 },
      routing,
    );
    expect(route).toMatchObject({ kind: "primary-only", request: { input: "q", providers: ["openai"] } });
    expect(route.kind === "primary-only" && route.request.dimensions).toBeUndefined();
  });

  it("an Azure primary names its deployment; a space declared at 512 takes only calls asking 512", () => {
    const azure = { ...routing, requestModel: "emb-small" };
    expect(routeEmbeddingsParams({ model: "emb-small", input: "q" }, azure).kind).toBe("failover");
    const route = routeEmbeddingsParams({ model: "text-embedding-3-small", input: "q" }, azure);
    expect(route.kind === "primary-only" && route.reasons[0]).toContain('(named "emb-small" on openai)');
    const short = { ...routing, space: { model: "text-embedding-3-small", dimensions: 512 } };
    expect(routeEmbeddingsParams({ model: "text-embedding-3-small", input: "q" }, short).kind).toBe(
      "primary-only",
    );
    expect(
      routeEmbeddingsParams({ model: "text-embedding-3-small", input: "q", dimensions: 512 }, short).kind,
    ).toBe("failover");
  });
});

describe("convertToEmbeddingResponse", () => {
  const result = {
    embeddings: [[0.5, -1]],
    dimensions: 2,
    provider: "azure-openai",
    model: "text-embedding-3-small",
    usage: { inputTokens: 3, outputTokens: undefined, cachedInputTokens: undefined, totalTokens: undefined },
    attempts: [],
    excluded: [],
    raw: {},
  };

  it("floats, or base64 of little-endian float32s; an absent count is absent", () => {
    expect(convertToEmbeddingResponse(result, false)).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.5, -1] }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 3 },
    });
    const base64 = convertToEmbeddingResponse(result, true) as { data: { embedding: string }[] };
    const bytes = Buffer.from(base64.data[0]!.embedding, "base64");
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -1]);
  });
});
