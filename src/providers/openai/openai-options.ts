import type { OpenAI } from "openai";
import { z } from "zod";
import { type BaseProviderOptions, baseProviderOptionsShape, httpUrlOption } from "../provider-options.js";
import {
  type EmbeddingsOptions,
  embeddingsOptionSchema,
  requireEmbeddingsClient,
} from "../shared/embeddings-option.js";

/** A `fetch` implementation handed to the SDK. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * An openai-node client: `new OpenAI()` or `new AzureOpenAI()`, v6 or v7 (or anything with their
 * `chat.completions.create`). Structural, so these type declarations compile without the `openai`
 * package installed.
 */
export interface OpenAILikeClient {
  chat: { completions: { create(...args: any[]): unknown } };
}

/** Options of {@link openai}. Pass a ready `client`, or the plain options to build one. */
export interface OpenAIProviderOptions extends BaseProviderOptions {
  /**
   * A ready OpenAI SDK client: its auth, proxy, base URL and headers stay yours. It is never
   * mutated: each call passes `maxRetries: 0` and its own timeout and signal per request.
   * Mutually exclusive with `apiKey`, `baseURL`, `organization`, `project`, `defaultHeaders` and `fetch`.
   * @default a client built on the first call from the options below
   */
  client?: OpenAILikeClient;
  /** API key. @default the SDK's own lookup (`OPENAI_API_KEY`) */
  apiKey?: string;
  /** Base URL, including `/v1`. @default the SDK's (`OPENAI_BASE_URL`, else `https://api.openai.com/v1`) */
  baseURL?: string;
  /** Sent as `OpenAI-Organization`. @default the SDK's own lookup (`OPENAI_ORG_ID`) */
  organization?: string;
  /** Sent as `OpenAI-Project`. @default the SDK's own lookup (`OPENAI_PROJECT_ID`) */
  project?: string;
  /** Headers sent with every request. @default none */
  defaultHeaders?: Record<string, string>;
  /** A `fetch` implementation for the SDK to use. @default `globalThis.fetch` */
  fetch?: FetchFunction;
  /** Unique provider name. @default "openai" */
  name?: string;
  /** Failure domain. @default "openai" */
  domain?: string;
  /**
   * Take `embed()` calls in this vector space: `{ model: "text-embedding-3-small", dimensions?: 1536 }`.
   * @default none: the provider takes no embedding calls
   */
  embeddings?: EmbeddingsOptions;
}

const isFunction = (value: unknown): boolean => typeof value === "function";

/** True for an openai-node client (or anything with `chat.completions.create`). */
export const looksLikeOpenAIClient = (value: unknown): boolean =>
  typeof (value as { chat?: { completions?: { create?: unknown } } } | null)?.chat?.completions?.create ===
  "function";

/** Zod fields shared by the Chat Completions factories. */
export const openAIConnectionShape = {
  apiKey: z.string().min(1, "must not be empty").optional(),
  baseURL: httpUrlOption().optional(),
  defaultHeaders: z.record(z.string(), z.string()).optional(),
  fetch: z.custom<FetchFunction>(isFunction, "expected a fetch function").optional(),
};

/** Reports each of `keys` that is set together with `client` (its settings belong on the client). */
export const rejectWithClient =
  (keys: readonly string[]) =>
  (options: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (options.client === undefined) return;
    for (const key of keys) {
      if (options[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "cannot be combined with `client`: configure the client you pass instead",
        });
      }
    }
  };

/** The zod schema of {@link OpenAIProviderOptions}: strict, so a misspelt option is reported. */
export const openAIProviderOptionsSchema = z
  .strictObject({
    ...baseProviderOptionsShape,
    ...openAIConnectionShape,
    client: z
      .custom<OpenAI>(looksLikeOpenAIClient, "expected an OpenAI SDK client (new OpenAI(...))")
      .optional(),
    organization: z.string().min(1, "must not be empty").optional(),
    project: z.string().min(1, "must not be empty").optional(),
    embeddings: embeddingsOptionSchema.optional(),
  })
  .superRefine(rejectWithClient(["apiKey", "baseURL", "organization", "project", "defaultHeaders", "fetch"]))
  .superRefine(requireEmbeddingsClient);
