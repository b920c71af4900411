import type { AzureOpenAI } from "openai";
import type { ProviderAdapter } from "../../spec/provider.js";
import { OpenAIChatAdapter, type OpenAIEmbeddingsClient } from "../openai/openai-chat-adapter.js";
import { parseProviderOptions } from "../provider-options.js";
import { collectKnownSecrets, credentialHeaderValues } from "../shared/collect-known-secrets.js";
import { createLazyClient } from "../shared/create-lazy-client.js";
import { readEnv } from "../shared/find-setup-issues.js";
import {
  type AzureOpenAIProviderOptions,
  azureOpenAIProviderOptionsSchema,
  defaultAzureApiVersion,
} from "./azure-openai-options.js";

/**
 * An Azure OpenAI provider (kind "azure-openai", failure domain "openai": Azure and OpenAI fail
 * together). A thin adapter over the OpenAI converters: the `AzureOpenAI` client adds the
 * deployment path, `api-version` and the `api-key` header. Azure's content-filter errors (400
 * `content_filter` with `innererror.content_filter_result`) and `finish_reason: "content_filter"`
 * become `content_filter` errors with the filtered categories; its annotation-only stream chunks
 * (`prompt_filter_results`, `choices: []`) are skipped.
 *
 * ```ts
 * azureOpenAI({ endpoint: "https://my-res.openai.azure.com", deployment: "gpt-4o", model: "gpt-4o" })
 * azureOpenAI({ client: new AzureOpenAI({ ... }), model: "gpt-4o" })
 * ```
 * Throws a `ConfigError` naming each invalid option.
 */
export const azureOpenAI = (options: AzureOpenAIProviderOptions): ProviderAdapter => {
  const parsed = parseProviderOptions(azureOpenAIProviderOptionsSchema, options, "azureOpenAI");
  const { client, embeddings } = parsed;
  const embeddingDeployment = embeddings && (embeddings.deployment ?? embeddings.model);
  // A client bound to a (chat) deployment sends every call there: embeddings get their own.
  const embeddingsClient: (() => Promise<OpenAIEmbeddingsClient>) | undefined = embeddings?.client
    ? () => Promise.resolve(embeddings.client as unknown as OpenAIEmbeddingsClient)
    : embeddings && !client && parsed.deployment !== undefined && parsed.deployment !== embeddingDeployment
      ? (buildClient(parsed, embeddingDeployment) as unknown as () => Promise<OpenAIEmbeddingsClient>)
      : undefined;
  return new OpenAIChatAdapter({
    kind: "azure-openai",
    name: parsed.name ?? "azure-openai",
    model: parsed.model,
    domain: parsed.domain ?? "openai",
    contextWindow: parsed.contextWindow,
    extra: parsed.extra,
    maxTokensField: parsed.maxTokensField ?? "max_completion_tokens",
    secrets: collectKnownSecrets(parsed.apiKey, credentialHeaderValues(parsed.defaultHeaders)),
    includeStreamUsage: true,
    ...(embeddings
      ? {
          embeddings: {
            model: embeddings.model,
            dimensions: embeddings.dimensions,
            requestModel: embeddingDeployment!,
            encoding: "base64" as const,
            tokenInput: true,
            ...(embeddingsClient ? { client: embeddingsClient } : {}),
          },
        }
      : {}),
    ...(client ? {} : { setup: { packageName: "openai", credentialIssues: () => findAzureIssues(parsed) } }),
    client: client ? () => Promise.resolve(client) : buildClient(parsed, parsed.deployment),
  });
};

/** A lazily built `AzureOpenAI` client from the options, bound to `deployment` when one is given. */
const buildClient = (parsed: AzureOpenAIProviderOptions, deployment: string | undefined) =>
  createLazyClient("openai", async (): Promise<AzureOpenAI> => {
    const sdk = await import("openai");
    return new sdk.AzureOpenAI({
      // An explicit endpoint must win over an OPENAI_BASE_URL in the environment (the SDK
      // rejects both together); null skips the SDK's env default for baseURL.
      ...(parsed.endpoint !== undefined
        ? { endpoint: parsed.endpoint, baseURL: null as unknown as undefined }
        : {}),
      ...(parsed.apiKey !== undefined ? { apiKey: parsed.apiKey } : {}),
      // With a token provider, null keeps an AZURE_OPENAI_API_KEY in the environment out of it.
      ...(parsed.azureADTokenProvider !== undefined
        ? { azureADTokenProvider: parsed.azureADTokenProvider, apiKey: null as unknown as undefined }
        : {}),
      apiVersion: parsed.apiVersion ?? globalThis.process?.env?.OPENAI_API_VERSION ?? defaultAzureApiVersion,
      ...(deployment !== undefined ? { deployment } : {}),
      ...(parsed.defaultHeaders !== undefined ? { defaultHeaders: parsed.defaultHeaders } : {}),
      ...(parsed.fetch !== undefined ? { fetch: parsed.fetch } : {}),
      maxRetries: 0,
    });
  });

/** What the `AzureOpenAI` constructor would refuse (it reads the same environment variables). */
const findAzureIssues = (options: AzureOpenAIProviderOptions): string[] => {
  const issues: string[] = [];
  if (
    options.apiKey === undefined &&
    options.azureADTokenProvider === undefined &&
    readEnv("AZURE_OPENAI_API_KEY") === undefined
  )
    issues.push("no credentials: pass apiKey or azureADTokenProvider, or set AZURE_OPENAI_API_KEY");
  if (
    options.endpoint === undefined &&
    readEnv("AZURE_OPENAI_ENDPOINT") === undefined &&
    readEnv("OPENAI_BASE_URL") === undefined
  )
    issues.push("no endpoint: pass endpoint or set AZURE_OPENAI_ENDPOINT");
  return issues;
};
