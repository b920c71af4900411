import type { ProviderEmbedResponse } from "../../spec/embed.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { decodeEmbeddings } from "../shared/decode-embeddings.js";
import { countOf, readEmbeddingList } from "../shared/read-embedding-list.js";
import type { MistralErrorContext } from "./mistral-error.js";

/**
 * Converts the Mistral SDK's embeddings response: vectors in input order, of the `dimensions`
 * asked for (`outputDimension`), usage as reported. Anything else is `invalid_response`.
 */
export const convertMistralEmbeddingResponse = (
  response: unknown,
  context: MistralErrorContext,
  dimensions: number | undefined,
): ProviderEmbedResponse => {
  // The SDK's `EmbeddingResponse` (camelCase usage).
  const list = readEmbeddingList(response, { withId: true });
  if (!list) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "the response is not an embeddings list",
    });
  }
  const { id, model, data, usage } = list;
  return {
    embeddings: decodeEmbeddings(data, dimensions, context),
    model: model || context.model,
    usage: {
      inputTokens: countOf(usage, "promptTokens"),
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: countOf(usage, "totalTokens"),
    },
    ...(id ? { id } : {}),
    raw: response,
  };
};
