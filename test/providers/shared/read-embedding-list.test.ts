/**
 * The hand check of an embeddings list (`readEmbeddingList`) accepts exactly what the zod schemas
 * it replaced accepted (OpenAI's, which ignores `id`, and the Mistral SDK's, which reads it). The
 * schemas live on here as oracles. `usage`, which never refused a body, is now read count by count.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { convertMistralEmbeddingResponse } from "../../../src/providers/mistral/convert-mistral-embedding-response.js";
import { convertOpenAIEmbeddingResponse } from "../../../src/providers/openai/convert-openai-embedding-response.js";
import { readEmbeddingList } from "../../../src/providers/shared/read-embedding-list.js";
import { mutatedBodies } from "../helpers/mutated-bodies.js";

const entries = z.array(z.object({ index: z.number().int().nullish(), embedding: z.unknown() }));
const openaiOracle = z.object({ data: entries, model: z.string().nullish() });
const mistralOracle = z.object({ id: z.string().nullish(), model: z.string().nullish(), data: entries });

const list = fc.record(
  {
    object: fc.constant("list"),
    id: fc.string(),
    model: fc.string(),
    data: fc.array(
      fc.record({
        object: fc.constant("embedding"),
        index: fc.nat(3),
        embedding: fc.array(fc.float(), { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
    usage: fc.record({ prompt_tokens: fc.nat(), total_tokens: fc.nat() }),
  },
  { requiredKeys: ["data"] },
);

const paths = [
  [],
  ["id"],
  ["model"],
  ["data"],
  ["data", 0],
  ["data", 0, "index"],
  ["data", 0, "embedding"],
  ["data", 1],
  ["usage"],
] as const;

const bodies = mutatedBodies(list, paths, 2);

describe("readEmbeddingList", () => {
  it("accepts exactly what the schemas it replaced accepted", () => {
    fc.assert(
      fc.property(bodies, (body) => {
        expect(readEmbeddingList(body) !== undefined).toBe(openaiOracle.safeParse(body).success);
        expect(readEmbeddingList(body, { withId: true }) !== undefined).toBe(
          mistralOracle.safeParse(body).success,
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it("keeps each usage count that is a number, and refuses what is not a list", () => {
    const context = { provider: "openai", model: "text-embedding-3-small" };
    const body = {
      data: [{ index: 0, embedding: [0.5, 0.25] }],
      usage: { prompt_tokens: 3, total_tokens: "3" },
    };
    expect(convertOpenAIEmbeddingResponse(body, context, 2).usage).toMatchObject({
      inputTokens: 3,
      totalTokens: undefined,
    });
    const sdkBody = { id: "e1", data: [{ index: 0, embedding: [0.5, 0.25] }], usage: { promptTokens: 3 } };
    const mistral = convertMistralEmbeddingResponse(
      sdkBody,
      { provider: "mistral", model: "mistral-embed" },
      2,
    );
    expect(mistral).toMatchObject({ id: "e1", usage: { inputTokens: 3 } });
    for (const bad of ["<html>", null, { data: {} }, { data: [{ index: 0.5, embedding: [1] }] }])
      expect(() => convertOpenAIEmbeddingResponse(bad, context, 1)).toThrow(
        expect.objectContaining({ failureClass: "invalid_response" }),
      );
  });
});
