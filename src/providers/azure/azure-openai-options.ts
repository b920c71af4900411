import type { AzureOpenAI } from "openai";
import { z } from "zod";
import {
  type FetchFunction,
  looksLikeOpenAIClient,
  type OpenAILikeClient,
  openAIConnectionShape,
  rejectWithClient,
} from "../openai/openai-options.js";
import { type BaseProviderOptions, baseProviderOptionsShape, httpUrlOption } from "../provider-options.js";
import {
  type EmbeddingsOptions,
  embeddingsOptionShape,
  hasEmbeddingsCreate,
} from "../shared/embeddings-option.js";

/**
 * An Azure OpenAI provider's embeddings: the model (Azure deployment names are yours to choose, so
 * the model is named explicitly: it names the vector space) and the deployment that runs it.
 */
export interface AzureOpenAIEmbeddingsOptions extends EmbeddingsOptions {
  /** The deployment that runs `model`. @default `model` */
  deployment?: string;
  /**
   * A client for embedding calls, needed when the provider's `client` is bound to a deployment
   * (`new AzureOpenAI({ deployment })` sends every call to that deployment).
   * @default the provider's client (a built one: the same settings, bound to this deployment)
   */
  client?: OpenAILikeClient;
}

/** Options of {@link azureOpenAI}. Pass a ready `client`, or the plain options to build one. */
export interface AzureOpenAIProviderOptions extends BaseProviderOptions {
  /**
   * A ready `AzureOpenAI` client: its endpoint, auth (key or Entra ID), API version and headers
   * stay yours. It is never mutated: each call passes `maxRetries: 0`, its own timeout and signal.
   * Mutually exclusive with every connection option below.
   * @default a client built on the first call from the options below
   */
  client?: OpenAILikeClient;
  /** Resource endpoint, e.g. `https://my-resource.openai.azure.com`. @default `AZURE_OPENAI_ENDPOINT` */
  endpoint?: string;
  /** API key, sent as `api-key`. @default `AZURE_OPENAI_API_KEY` (unless `azureADTokenProvider` is given) */
  apiKey?: string;
  /** Microsoft Entra ID token provider (called per request); mutually exclusive with `apiKey`. @default none */
  azureADTokenProvider?: () => Promise<string>;
  /** The `api-version` query parameter. @default `OPENAI_API_VERSION`, else "2024-10-21" */
  apiVersion?: string;
  /**
   * The deployment to call. When omitted the request's model is used as the deployment name,
   * so per-request model mapping picks another deployment.
   * @default the request's model
   */
  deployment?: string;
  /** Headers sent with every request. @default none */
  defaultHeaders?: Record<string, string>;
  /** A `fetch` implementation for the SDK to use. @default `globalThis.fetch` */
  fetch?: FetchFunction;
  /**
   * The body field for `maxTokens`. API versions before 2024-09-01 only know `max_tokens`;
   * reasoning deployments (o1, o3, …) only accept `max_completion_tokens`.
   * @default "max_completion_tokens"
   */
  maxTokensField?: "max_completion_tokens" | "max_tokens";
  /** Unique provider name. @default "azure-openai" */
  name?: string;
  /** Failure domain: Azure OpenAI and OpenAI went down together in December 2024. @default "openai" */
  domain?: string;
  /**
   * Take `embed()` calls in this vector space, e.g. `{ model: "text-embedding-3-small", deployment:
   * "emb-small" }`. @default none: the provider takes no embedding calls
   */
  embeddings?: AzureOpenAIEmbeddingsOptions;
}

/** The deployment an `AzureOpenAI` client is bound to (`new AzureOpenAI({ deployment })`), if any. */
export const boundDeployment = (client: unknown): string | undefined => {
  const name = (client as { deploymentName?: unknown } | null)?.deploymentName;
  return typeof name === "string" && name !== "" ? name : undefined;
};

/** The API version used when neither the option nor `OPENAI_API_VERSION` gives one (GA, with structured outputs). */
export const defaultAzureApiVersion = "2024-10-21";

/** The zod schema of {@link AzureOpenAIProviderOptions}: strict, so a misspelt option is reported. */
export const azureOpenAIProviderOptionsSchema = z
  .strictObject({
    ...baseProviderOptionsShape,
    apiKey: openAIConnectionShape.apiKey,
    defaultHeaders: openAIConnectionShape.defaultHeaders,
    fetch: openAIConnectionShape.fetch,
    client: z
      .custom<AzureOpenAI>(looksLikeOpenAIClient, "expected an AzureOpenAI SDK client (new AzureOpenAI(...))")
      .optional(),
    endpoint: httpUrlOption().optional(),
    azureADTokenProvider: z
      .custom<() => Promise<string>>((value) => typeof value === "function", "expected a function")
      .optional(),
    apiVersion: z.string().min(1, "must not be empty").optional(),
    deployment: z.string().min(1, "must not be empty").optional(),
    maxTokensField: z.enum(["max_completion_tokens", "max_tokens"]).optional(),
    embeddings: z
      .strictObject({
        ...embeddingsOptionShape,
        deployment: z.string().min(1, "must not be empty").optional(),
        client: z
          .custom<AzureOpenAI>(
            hasEmbeddingsCreate,
            "expected an AzureOpenAI SDK client (new AzureOpenAI(...))",
          )
          .optional(),
      })
      .optional(),
  })
  .superRefine(
    rejectWithClient([
      "endpoint",
      "apiKey",
      "azureADTokenProvider",
      "apiVersion",
      "deployment",
      "defaultHeaders",
      "fetch",
    ]),
  )
  .superRefine((options, ctx) => {
    const { embeddings } = options;
    if (!embeddings) return;
    const deployment = embeddings.deployment ?? embeddings.model;
    const client = embeddings.client ?? options.client;
    const bound = boundDeployment(client);
    if (client !== undefined && !hasEmbeddingsCreate(client)) {
      ctx.addIssue({
        code: "custom",
        path: ["embeddings"],
        message: "the client has no embeddings.create: pass embeddings.client, or leave out embeddings",
      });
    } else if (bound !== undefined && bound !== deployment) {
      ctx.addIssue({
        code: "custom",
        path: [embeddings.client ? "embeddings" : "client"],
        message: `the client is bound to deployment "${bound}" (new AzureOpenAI({ deployment })), so embedding calls would go there, not to "${deployment}": pass embeddings.client, a client without a deployment or bound to "${deployment}"`,
      });
    }
  })
  .superRefine((options, ctx) => {
    if (options.apiKey !== undefined && options.azureADTokenProvider !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["azureADTokenProvider"],
        message: "pass either apiKey or azureADTokenProvider, not both",
      });
    }
  });
