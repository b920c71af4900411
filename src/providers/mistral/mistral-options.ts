import type { Mistral } from "@mistralai/mistralai";
import { z } from "zod";
import {
  type BaseProviderOptions,
  baseProviderOptionsShape,
  urlCredentialsMessage,
} from "../provider-options.js";
import { hasUrlCredentials } from "../shared/collect-known-secrets.js";
import {
  type EmbeddingsOptions,
  embeddingsOptionSchema,
  requireEmbeddingsClient,
} from "../shared/embeddings-option.js";

/**
 * A Mistral SDK client (`new Mistral()`, @mistralai/mistralai 2.x), or anything with its
 * `chat.complete` and `chat.stream`. Structural, so these type declarations compile without the SDK
 * installed.
 */
export interface MistralLikeClient {
  chat: { complete(...args: any[]): unknown; stream(...args: any[]): unknown };
}

/** Options of the `mistral()` provider factory. */
export interface MistralProviderOptions extends BaseProviderOptions {
  /**
   * A ready `Mistral` client (`new Mistral({...})`): its key, server, HTTP client and hooks stay
   * yours. It is never mutated; every call passes `retries: { strategy: "none" }`, its own timeout
   * and signal. Mutually exclusive with `apiKey`, `serverURL` and `fetch`.
   * @default a client built on the first call (the SDK is imported lazily)
   */
  client?: MistralLikeClient;
  /** API key (or an async function returning one). @default the SDK's `MISTRAL_API_KEY` environment variable */
  apiKey?: string | (() => Promise<string>);
  /** Server URL without `/v1` (the SDK adds `/v1/chat/completions`). @default "https://api.mistral.ai" */
  serverURL?: string;
  /** Headers sent with every request (per-call headers win). @default {} */
  headers?: Record<string, string>;
  /** The `fetch` the built client uses. @default the global `fetch`, looked up on every call */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /**
   * Body fields merged into every request, after the adapter's mapping. The Mistral SDK drops keys
   * it does not know, so use its field names (`randomSeed`, `safePrompt`, `promptMode`…; the wire
   * names `random_seed`, `safe_prompt` are renamed for you); an unknown key fails the call.
   * @default {}
   */
  extra?: Record<string, unknown>;
  /**
   * Take `embed()` calls in this vector space, e.g. `{ model: "mistral-embed" }` (text only).
   * @default none: the provider takes no embedding calls
   */
  embeddings?: EmbeddingsOptions;
}

const isMistralClient = (value: unknown): boolean => {
  if (typeof value !== "object" || value === null) return false;
  const chat = (value as { chat?: { complete?: unknown; stream?: unknown } }).chat;
  return typeof chat?.complete === "function" && typeof chat.stream === "function";
};

const exclusiveWithClient = ["apiKey", "serverURL", "fetch"] as const;

/** The strict zod schema of `MistralProviderOptions` (unknown options are reported). */
export const mistralOptionsSchema = z
  .strictObject({
    ...baseProviderOptionsShape,
    client: z
      .custom<Mistral>(isMistralClient, { message: "expected a Mistral client (new Mistral({ ... }))" })
      .optional(),
    apiKey: z
      .union([z.string().min(1), z.custom<() => Promise<string>>((v) => typeof v === "function")], {
        message: "expected a non-empty string or a function returning a promise of one",
      })
      .optional(),
    serverURL: z
      .url({ message: "expected an absolute URL" })
      .refine((url) => !/\/v1\/?$/.test(url), {
        message: "leave out /v1: the Mistral SDK adds /v1/chat/completions",
      })
      .refine((url) => !hasUrlCredentials(url), urlCredentialsMessage)
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    fetch: z
      .custom<MistralProviderOptions["fetch"]>((v) => typeof v === "function", "expected a function")
      .optional(),
    embeddings: embeddingsOptionSchema.optional(),
  })
  .superRefine(requireEmbeddingsClient)
  .superRefine((options, ctx) => {
    if (options.client === undefined) return;
    for (const key of exclusiveWithClient) {
      if (options[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "not allowed with client: configure the client instead",
        });
      }
    }
  });
