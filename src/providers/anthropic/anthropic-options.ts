import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { type BaseProviderOptions, baseProviderOptionsShape, httpUrlOption } from "../provider-options.js";

/**
 * An Anthropic SDK client (`new Anthropic()`, @anthropic-ai/sdk 1.x), or anything with its
 * `messages.create`. Structural, so these type declarations compile without the SDK installed.
 */
export interface AnthropicLikeClient {
  messages: { create(...args: any[]): unknown };
}

/** Options of {@link anthropic}. Pass a ready `client`, or the plain options to build one. */
export interface AnthropicProviderOptions extends BaseProviderOptions {
  /**
   * A ready Anthropic SDK client: its auth, proxy, base URL and headers stay yours. It is never
   * mutated: each call passes `maxRetries: 0` and its own timeout and signal per request.
   * Mutually exclusive with `apiKey`, `authToken`, `baseURL`, `defaultHeaders` and `fetch`.
   * @default a client built on the first call from the options below
   */
  client?: AnthropicLikeClient;
  /** API key, sent as `Authorization: Bearer`. @default the SDK's own lookup (`ANTHROPIC_API_KEY`, …) */
  apiKey?: string;
  /** OAuth / bearer auth token; mutually exclusive with `apiKey`. @default the SDK's own lookup */
  authToken?: string;
  /** Base URL, without `/v1` (the SDK adds `/v1/messages`). @default the SDK's (`https://api.anthropic.com`) */
  baseURL?: string;
  /** Headers sent with every request, e.g. `anthropic-beta`. @default none */
  defaultHeaders?: Record<string, string>;
  /** A `fetch` implementation for the SDK to use. @default `globalThis.fetch` */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /**
   * `max_tokens` sent when a request sets no `maxTokens`. Anthropic requires the field on every
   * request; other providers default to "as much as fits", so pick a value your longest answers need.
   * @default 4096
   */
  defaultMaxTokens?: number;
  /** Unique provider name. @default "anthropic" */
  name?: string;
  /** Failure domain. @default "anthropic" */
  domain?: string;
}

const isFunction = (value: unknown): boolean => typeof value === "function";

const looksLikeAnthropicClient = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { messages?: { create?: unknown } }).messages?.create === "function";

const plainClientOptions = ["apiKey", "authToken", "baseURL", "defaultHeaders", "fetch"] as const;

/** The zod schema of {@link AnthropicProviderOptions}: strict, so a misspelt option is reported. */
export const anthropicProviderOptionsSchema = z
  .strictObject({
    ...baseProviderOptionsShape,
    client: z
      .custom<Anthropic>(looksLikeAnthropicClient, "expected an Anthropic SDK client (new Anthropic(...))")
      .optional(),
    apiKey: z.string().min(1, "must not be empty").optional(),
    authToken: z.string().min(1, "must not be empty").optional(),
    baseURL: httpUrlOption().optional(),
    defaultHeaders: z.record(z.string(), z.string()).optional(),
    fetch: z.custom<AnthropicProviderOptions["fetch"]>(isFunction, "expected a fetch function").optional(),
    defaultMaxTokens: z.number().int().positive().optional(),
  })
  .superRefine((options, ctx) => {
    if (options.client !== undefined) {
      for (const key of plainClientOptions) {
        if (options[key] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "cannot be combined with `client`: configure the client you pass instead",
          });
        }
      }
    }
    if (options.apiKey !== undefined && options.authToken !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["authToken"],
        message: "pass either apiKey or authToken, not both",
      });
    }
  });

export const defaultAnthropicMaxTokens = 4096;
