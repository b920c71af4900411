import type { ProviderEmbedResponse } from "../../spec/embed.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { decodeEmbeddings } from "../shared/decode-embeddings.js";
import { countOf, readEmbeddingList } from "../shared/read-embedding-list.js";
import { convertOpenAIInBandError, type OpenAIErrorContext } from "./openai-error.js";

/**
 * Converts an OpenAI-style embeddings list (OpenAI, Azure, compatible servers) to a
 * `ProviderEmbedResponse`: vectors in input order, base64 decoded, of the `dimensions` asked for.
 * An error object sent with HTTP 200 is that error; anything that is not a list is
 * `invalid_response`. Usage as reported: a server that sends none gives `undefined` counts.
 */
export const convertOpenAIEmbeddingResponse = (
  body: unknown,
  context: OpenAIErrorContext,
  dimensions: number | undefined,
): ProviderEmbedResponse => {
  const inBand = (body as { error?: unknown } | null | undefined)?.error;
  if (inBand) throw convertOpenAIInBandError(inBand, context);
  const list = readEmbeddingList(body);
  if (!list) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "the response is not an embeddings list",
    });
  }
  const { data, model, usage } = list;
  return {
    embeddings: decodeEmbeddings(data, dimensions, context),
    model: model || context.model,
    usage: {
      inputTokens: countOf(usage, "prompt_tokens"),
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: countOf(usage, "total_tokens"),
    },
    raw: body,
  };
};
