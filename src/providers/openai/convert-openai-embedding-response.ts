import { z } from "zod";
import type { ProviderEmbedResponse } from "../../spec/embed.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { decodeEmbeddings } from "../shared/decode-embeddings.js";
import { convertOpenAIInBandError, type OpenAIErrorContext } from "./openai-error.js";

/** The part of an embeddings list we read: tolerant (`nullish`), unknown fields ignored. */
const embeddingsSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nullish(), embedding: z.unknown() })),
  model: z.string().nullish(),
  usage: z
    .object({ prompt_tokens: z.number().nullish(), total_tokens: z.number().nullish() })
    .nullish()
    .catch(undefined),
});

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
  const parsed = embeddingsSchema.safeParse(body);
  if (!parsed.success) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "the response is not an embeddings list",
    });
  }
  const { data, model, usage } = parsed.data;
  return {
    embeddings: decodeEmbeddings(data, dimensions, context),
    model: model || context.model,
    usage: {
      inputTokens: usage?.prompt_tokens ?? undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: usage?.total_tokens ?? undefined,
    },
    raw: body,
  };
};
