import { z } from "zod";
import type { ProviderEmbedResponse } from "../../spec/embed.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { decodeEmbeddings } from "../shared/decode-embeddings.js";
import type { MistralErrorContext } from "./mistral-error.js";

/** The part of the SDK's `EmbeddingResponse` we read (camelCase, as the SDK returns it). */
const embeddingsSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  data: z.array(z.object({ index: z.number().int().nullish(), embedding: z.unknown() })),
  usage: z
    .object({ promptTokens: z.number().nullish(), totalTokens: z.number().nullish() })
    .nullish()
    .catch(undefined),
});

/**
 * Converts the Mistral SDK's embeddings response: vectors in input order, of the `dimensions`
 * asked for (`outputDimension`), usage as reported. Anything else is `invalid_response`.
 */
export const convertMistralEmbeddingResponse = (
  response: unknown,
  context: MistralErrorContext,
  dimensions: number | undefined,
): ProviderEmbedResponse => {
  const parsed = embeddingsSchema.safeParse(response);
  if (!parsed.success) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "the response is not an embeddings list",
    });
  }
  const { id, model, data, usage } = parsed.data;
  return {
    embeddings: decodeEmbeddings(data, dimensions, context),
    model: model || context.model,
    usage: {
      inputTokens: usage?.promptTokens ?? undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: usage?.totalTokens ?? undefined,
    },
    ...(id ? { id } : {}),
    raw: response,
  };
};
