import { describe, expect, it } from "vitest";
import { isProviderError } from "../../../src/errors/provider-error.js";
import { convertOpenAIEmbeddingResponse } from "../../../src/providers/openai/convert-openai-embedding-response.js";

const context = { provider: "openai", model: "text-embedding-3-small" };
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

describe("convertOpenAIEmbeddingResponse", () => {
  it("reads the list: vectors, model, usage; keeps the body as raw", () => {
    const body = {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 3, total_tokens: 3 },
    };
    expect(convertOpenAIEmbeddingResponse(body, context, 2)).toEqual({
      embeddings: [[0.1, 0.2]],
      model: "text-embedding-3-small",
      usage: { inputTokens: 3, outputTokens: undefined, cachedInputTokens: undefined, totalTokens: 3 },
      raw: body,
    });
  });

  it("absent usage is absent counts, not zeros; a missing model is the one asked for", () => {
    const res = convertOpenAIEmbeddingResponse({ data: [{ embedding: [1] }] }, context, undefined);
    expect(res.usage).toEqual({
      inputTokens: undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: undefined,
    });
    expect(res.model).toBe("text-embedding-3-small");
  });

  it("an error object sent with HTTP 200 is that error; anything but a list is invalid_response", () => {
    const inBand = thrown(() =>
      convertOpenAIEmbeddingResponse(
        { error: { message: "overloaded", type: "server_error", code: null } },
        context,
        undefined,
      ),
    );
    expect(isProviderError(inBand) && inBand.failureClass).toBe("server_error");
    for (const body of ["text", null, { data: "x" }, {}]) {
      const error = thrown(() => convertOpenAIEmbeddingResponse(body, context, undefined));
      expect(isProviderError(error) && error.failureClass).toBe("invalid_response");
    }
  });
});
