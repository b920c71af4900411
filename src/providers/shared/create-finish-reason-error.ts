import type { ProviderError } from "../../errors/provider-error.js";
import { createProviderError, type ProviderErrorContext } from "./create-provider-error.js";

/**
 * A `finish_reason` that is a failure, not a finish — the same signal meaning the same thing on
 * every Chat Completions-style provider (OpenAI, Azure, OpenAI-compatible servers, Mistral):
 * - `error`: how Mistral, vLLM, OpenRouter and other compatible servers report a failure after
 *   HTTP 200, in a stream or a JSON body → `server_error` (retried or fallen over like a 5xx);
 * - `content_filter`: the provider's filter stopped the output → `content_filter`, with the
 *   categories the provider named (Azure), when `categories` has any.
 * Undefined for every other reason. (A model's own refusal is an answer, not this: see `refusal`.)
 */
export const createFinishReasonError = (
  raw: string | null | undefined,
  context: ProviderErrorContext,
  categories?: readonly string[] | undefined,
): ProviderError | undefined => {
  if (raw === "error") {
    return createProviderError(context, {
      failureClass: "server_error",
      message: "the provider ended the reply with finish_reason error",
      providerCode: "error",
    });
  }
  if (raw === "content_filter") {
    return createProviderError(context, {
      failureClass: "content_filter",
      message: "the output was stopped by the provider's content filter",
      providerCode: "content_filter",
      contentFilterCategories: categories,
    });
  }
  return undefined;
};
