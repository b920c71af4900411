import { z } from "zod";
import type { ProviderAdapter } from "../../spec/provider.js";
import { looksLikeOpenAIClient, openAIConnectionShape, rejectWithClient } from "../openai/openai-options.js";
import type { BaseProviderOptions } from "../provider-options.js";
import { baseProviderOptionsShape, parseProviderOptions } from "../provider-options.js";
import { hasHeader } from "../shared/find-setup-issues.js";
import type { OpenAICompatibleProviderOptions } from "./openai-compatible-options.js";
import { createOpenAICompatibleAdapter } from "./openai-compatible-provider.js";

/** Options of {@link perplexity}. */
export interface PerplexityProviderOptions extends BaseProviderOptions {
  /** API key. @default `PERPLEXITY_API_KEY` */
  apiKey?: string;
  /** Base URL. @default "https://api.perplexity.ai" */
  baseURL?: string;
  /** Headers sent with every request. @default none */
  headers?: Record<string, string>;
  /** A ready OpenAI SDK client pointed at Perplexity. Mutually exclusive with `apiKey`, `baseURL`, `headers`, `fetch`. */
  client?: OpenAICompatibleProviderOptions["client"];
  /** A `fetch` implementation for the SDK to use. @default `globalThis.fetch` */
  fetch?: OpenAICompatibleProviderOptions["fetch"];
  /** Unique provider name. @default "perplexity" */
  name?: string;
  /** Failure domain. @default "perplexity" */
  domain?: string;
}

/** Perplexity's answer sources: kept in `raw` of the result and of the stream's finish part. */
export const perplexityRawFields = ["citations", "search_results", "images", "related_questions"] as const;

const perplexityOptionsSchema = z
  .strictObject({
    ...baseProviderOptionsShape,
    apiKey: openAIConnectionShape.apiKey,
    baseURL: openAIConnectionShape.baseURL,
    headers: openAIConnectionShape.defaultHeaders,
    fetch: openAIConnectionShape.fetch,
    client: z
      .custom<NonNullable<PerplexityProviderOptions["client"]>>(
        looksLikeOpenAIClient,
        "expected an OpenAI SDK client",
      )
      .optional(),
  })
  .superRefine(rejectWithClient(["apiKey", "baseURL", "headers", "fetch"]));

/**
 * Perplexity (Sonar models), through its OpenAI-compatible API: `openaiCompatible` with name
 * "perplexity" and base URL `https://api.perplexity.ai`. Its `citations` / `search_results` are in
 * the result's `raw` (non-stream: the whole body) and in the stream's finish part `raw`.
 *
 * ```ts
 * perplexity({ model: "sonar" }) // key from PERPLEXITY_API_KEY
 * ```
 */
export const perplexity = (options: PerplexityProviderOptions): ProviderAdapter => {
  const parsed = parseProviderOptions(perplexityOptionsSchema, options, "perplexity");
  const apiKey = parsed.apiKey ?? (parsed.client ? undefined : globalThis.process?.env?.PERPLEXITY_API_KEY);
  return createOpenAICompatibleAdapter(
    {
      model: parsed.model,
      name: parsed.name ?? "perplexity",
      baseURL: parsed.baseURL ?? "https://api.perplexity.ai",
      ...(parsed.domain !== undefined ? { domain: parsed.domain } : {}),
      ...(parsed.contextWindow !== undefined ? { contextWindow: parsed.contextWindow } : {}),
      ...(parsed.extra !== undefined ? { extra: parsed.extra } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(parsed.headers !== undefined ? { headers: parsed.headers } : {}),
      ...(parsed.fetch !== undefined ? { fetch: parsed.fetch } : {}),
      ...(parsed.client !== undefined ? { client: parsed.client } : {}),
      rawStreamFields: perplexityRawFields,
      // Perplexity's API has no models endpoint: nothing cheap to ask.
      verify: "none",
    },
    () =>
      apiKey || hasHeader(parsed.headers, ["authorization"])
        ? []
        : ["no API key: pass apiKey or set PERPLEXITY_API_KEY"],
  );
};
