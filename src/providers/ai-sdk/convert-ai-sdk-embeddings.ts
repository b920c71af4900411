import { z } from "zod";
import type { ProviderEmbedResponse } from "../../spec/embed.js";
import { createProviderError, type ProviderErrorContext } from "../shared/create-provider-error.js";
import { decodeEmbeddings } from "../shared/decode-embeddings.js";

/** The part of a `doEmbed` result we read (v2, v3 and v4 agree on it); tolerant. */
const resultSchema = z.object({
  embeddings: z.array(z.unknown()),
  usage: z.object({ tokens: z.number().nullish() }).nullish().catch(undefined),
  response: z.object({ body: z.unknown().optional() }).nullish().catch(undefined),
});

/**
 * Converts a `doEmbed` result: vectors in input order, of the expected length; the AI SDK counts
 * only input tokens (`usage.tokens`), which are also the total. Anything else is `invalid_response`.
 * `raw` is the provider's response body when the model exposes it, else the result.
 */
export const convertAiSdkEmbeddings = (
  result: unknown,
  context: ProviderErrorContext,
  dimensions: number | undefined,
): ProviderEmbedResponse => {
  const parsed = resultSchema.safeParse(result);
  if (!parsed.success) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "doEmbed returned no embeddings list",
    });
  }
  const { embeddings, usage, response } = parsed.data;
  const tokens = usage?.tokens ?? undefined;
  return {
    embeddings: decodeEmbeddings(
      embeddings.map((embedding) => ({ embedding })),
      dimensions,
      context,
    ),
    model: context.model,
    usage: {
      inputTokens: tokens,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: tokens,
    },
    raw: response?.body ?? result,
  };
};
