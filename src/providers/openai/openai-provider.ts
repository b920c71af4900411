import type { OpenAI } from "openai";
import type { ProviderAdapter } from "../../spec/provider.js";
import { parseProviderOptions } from "../provider-options.js";
import { collectKnownSecrets, credentialHeaderValues } from "../shared/collect-known-secrets.js";
import { createLazyClient } from "../shared/create-lazy-client.js";
import { readEnv } from "../shared/find-setup-issues.js";
import { OpenAIChatAdapter } from "./openai-chat-adapter.js";
import { type OpenAIProviderOptions, openAIProviderOptionsSchema } from "./openai-options.js";

/**
 * An OpenAI Chat Completions provider (kind "openai", failure domain "openai").
 *
 * ```ts
 * openai({ model: "gpt-4o-mini" })                                  // key from OPENAI_API_KEY
 * openai({ client: new OpenAI({ apiKey, baseURL }), model: "gpt-4o" }) // your own client
 * openai({ model: "gpt-4o", embeddings: { model: "text-embedding-3-small" } }) // takes embed() too
 * ```
 * Without `client`, the `openai` package is imported and a client built on the first call.
 * Throws a `ConfigError` naming each invalid option.
 */
export const openai = (options: OpenAIProviderOptions): ProviderAdapter => {
  const parsed = parseProviderOptions(openAIProviderOptionsSchema, options, "openai");
  const { client } = parsed;
  return new OpenAIChatAdapter({
    kind: "openai",
    name: parsed.name ?? "openai",
    model: parsed.model,
    domain: parsed.domain ?? "openai",
    contextWindow: parsed.contextWindow,
    extra: parsed.extra,
    maxTokensField: "max_completion_tokens",
    secrets: collectKnownSecrets(parsed.apiKey, credentialHeaderValues(parsed.defaultHeaders)),
    includeStreamUsage: true,
    ...(parsed.embeddings
      ? {
          embeddings: {
            model: parsed.embeddings.model,
            dimensions: parsed.embeddings.dimensions,
            requestModel: parsed.embeddings.model,
            encoding: "base64" as const,
            tokenInput: true,
          },
        }
      : {}),
    verify: "retrieve",
    ...(client
      ? {}
      : {
          setup: {
            packageName: "openai",
            credentialIssues: () =>
              parsed.apiKey !== undefined || readEnv("OPENAI_API_KEY") !== undefined
                ? []
                : ["no API key: pass apiKey or set OPENAI_API_KEY"],
          },
        }),
    client: client
      ? () => Promise.resolve(client)
      : createLazyClient("openai", async (): Promise<OpenAI> => {
          const sdk = await import("openai");
          return new sdk.OpenAI({
            ...(parsed.apiKey !== undefined ? { apiKey: parsed.apiKey } : {}),
            ...(parsed.baseURL !== undefined ? { baseURL: parsed.baseURL } : {}),
            ...(parsed.organization !== undefined ? { organization: parsed.organization } : {}),
            ...(parsed.project !== undefined ? { project: parsed.project } : {}),
            ...(parsed.defaultHeaders !== undefined ? { defaultHeaders: parsed.defaultHeaders } : {}),
            ...(parsed.fetch !== undefined ? { fetch: parsed.fetch } : {}),
            maxRetries: 0,
          });
        }),
  });
};
