import type { OpenAI } from "openai";
import type { ProviderAdapter } from "../../spec/provider.js";
import { OpenAIChatAdapter } from "../openai/openai-chat-adapter.js";
import { parseProviderOptions } from "../provider-options.js";
import { collectKnownSecrets, credentialHeaderValues } from "../shared/collect-known-secrets.js";
import { createLazyClient } from "../shared/create-lazy-client.js";
import {
  type OpenAICompatibleProviderOptions,
  openAICompatibleProviderOptionsSchema,
} from "./openai-compatible-options.js";

/**
 * A provider for any OpenAI-compatible Chat Completions server — Groq, DeepSeek, Together,
 * OpenRouter, Ollama, vLLM… (kind "openai-compatible", failure domain = its name). Uses the
 * OpenAI converters and tolerates what such servers do differently: no `usage`, no `id`, a
 * `finish_reason` that stays null until `[DONE]`, tool-call pieces without ids or indexes, a whole
 * JSON body where a stream was asked for.
 *
 * The client it builds never picks up OpenAI settings from the environment (`OPENAI_API_KEY`,
 * `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, `OPENAI_ADMIN_KEY`): they are not sent to another server.
 * Throws a `ConfigError` naming each invalid option.
 */
export const openaiCompatible = (options: OpenAICompatibleProviderOptions): ProviderAdapter => {
  const parsed = parseProviderOptions(openAICompatibleProviderOptionsSchema, options, "openaiCompatible");
  return createOpenAICompatibleAdapter(parsed);
};

/**
 * Builds the adapter from validated options (shared with presets such as `perplexity`, which pass
 * what their credentials need).
 */
export const createOpenAICompatibleAdapter = (
  options: OpenAICompatibleProviderOptions,
  credentialIssues: () => string[] = () => [],
): ProviderAdapter => {
  const { client } = options;
  return new OpenAIChatAdapter({
    kind: "openai-compatible",
    name: options.name,
    model: options.model,
    domain: options.domain ?? options.name,
    contextWindow: options.contextWindow,
    extra: options.extra,
    maxTokensField: options.maxTokensField ?? "max_tokens",
    secrets: collectKnownSecrets(options.apiKey, credentialHeaderValues(options.headers)),
    includeStreamUsage: options.includeStreamUsage ?? true,
    // No key is fine: local servers (Ollama, vLLM) take none; presets that need one check it.
    ...(client ? {} : { setup: { packageName: "openai", credentialIssues } }),
    ...(options.rawStreamFields !== undefined ? { rawStreamFields: options.rawStreamFields } : {}),
    ...(options.embeddings
      ? {
          embeddings: {
            model: options.embeddings.model,
            dimensions: options.embeddings.dimensions,
            requestModel: options.embeddings.model,
            encoding: "float" as const,
            tokenInput: false,
          },
        }
      : {}),
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    client: client
      ? () => Promise.resolve(client as OpenAI) // the options schema checked its chat.completions.create
      : createLazyClient("openai", async (): Promise<OpenAI> => {
          const sdk = await import("openai");
          return new sdk.OpenAI({
            baseURL: options.baseURL,
            // Always explicit, so the SDK's environment defaults (OpenAI's own key, org, project,
            // admin key) never reach a third-party server. Without a key the Authorization header is
            // removed (null), and a placeholder satisfies the SDK's credentials check.
            apiKey: options.apiKey ?? "no-api-key",
            adminAPIKey: null,
            organization: null,
            project: null,
            defaultHeaders: {
              ...options.headers,
              ...(options.apiKey === undefined ? { Authorization: null } : {}),
            },
            ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
            maxRetries: 0,
          });
        }),
  });
};
