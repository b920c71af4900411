import { z } from "zod";
import { ConfigError } from "../errors/config-error.js";
import { formatZodIssues } from "../internal/format-zod-issues.js";
import { readCallerValue } from "../internal/read-caller-value.js";
import { hasUrlCredentials } from "./shared/collect-known-secrets.js";

/** Options every provider factory accepts. */
export interface BaseProviderOptions {
  /** The model this provider calls. Required. */
  model: string;
  /**
   * Unique name used in results, attempts, events and per-provider options.
   * @default the provider kind, e.g. "openai", "anthropic"
   */
  name?: string;
  /**
   * Failure domain: providers in one domain tend to fail together.
   * @default "openai" for OpenAI and Azure OpenAI; the provider's name otherwise
   */
  domain?: string;
  /** The model's context window in tokens, when known. @default undefined (unknown) */
  contextWindow?: number;
  /** Body fields merged into every request to this provider (provider-specific extras). @default {} */
  extra?: Record<string, unknown>;
}

/** The zod shape of `BaseProviderOptions`, for factories to extend. */
export const baseProviderOptionsShape = {
  model: z.string().min(1, "model is required"),
  name: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._:-]+$/, "use letters, digits, '.', '_', ':' or '-'")
    .optional(),
  domain: z.string().min(1).optional(),
  contextWindow: z.number().int().positive().optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
};

/** Why a URL option with credentials in it is refused (the URL itself is never echoed). */
export const urlCredentialsMessage =
  "must not carry credentials (a user:password@ part or a key/token query parameter): pass them as apiKey or headers, which are never logged";

/**
 * An http(s) URL option (`baseURL`, `endpoint`). Credentials written into it are refused: a URL
 * ends up in logs, traces and error reports that headers and `apiKey` never reach.
 */
export const httpUrlOption = () =>
  z
    .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
    .refine((url) => !hasUrlCredentials(url), urlCredentialsMessage);

/** Options people bring from the SDKs that belong to the engine here: say where they go. */
const engineOptionHints: Readonly<Record<string, string>> = {
  maxRetries:
    "SDK retries are always off: the engine is the one retry layer; set retry.maxRetries on createClient or withFailover",
  timeout: "deadlines are the engine's: set deadlines on createClient or withFailover",
  timeoutMs: "deadlines are the engine's: set deadlines on createClient or withFailover",
};

/**
 * Validates factory options with a strict zod schema and throws a `ConfigError` naming each bad
 * field (prefixed with the factory name, e.g. `anthropic.model: model is required`).
 */
export const parseProviderOptions = <T extends z.ZodType>(
  schema: T,
  input: unknown,
  factory: string,
): z.output<T> => {
  const parsed = readCallerValue(
    () => schema.safeParse(input),
    (kind) => new ConfigError([`${factory}: options cannot be read (${kind} while reading them)`]),
  );
  if (!parsed.success)
    throw new ConfigError(formatZodIssues(parsed.error, factory, schema, engineOptionHints));
  return parsed.data;
};
