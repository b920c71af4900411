import { z } from "zod";
import {
  clientOptionsSchema,
  findEntryIssues,
  type OptionPaths,
  type ProviderEntry,
} from "../../engine/client-options.js";
import { sdkClientKind } from "../../engine/describe-provider-mistake.js";
import type { ListenerErrorHandler } from "../../engine/events.js";
import { type PolicyOptions, policySchema } from "../../engine/policy-options.js";
import { ConfigError } from "../../errors/config-error.js";
import { formatPath, formatZodIssues } from "../../internal/format-zod-issues.js";
import { suggestKey } from "../../internal/suggest-key.js";
import type { ProviderAdapter } from "../../spec/provider.js";
import type { TelemetryOptions } from "../../telemetry/telemetry-options.js";

/** How the wrapped OpenAI client appears among the providers. Every field is optional. */
export interface PrimaryProviderOptions {
  /**
   * Provider name in results, attempts, events, `getFailoverInfo()` and `models`.
   * @default "openai" ("azure-openai" for an `AzureOpenAI` client)
   */
  name?: string;
  /** Failure domain. @default "openai" (OpenAI and Azure OpenAI go down together) */
  domain?: string;
  /** The models' context window in tokens, when known. @default undefined */
  contextWindow?: number;
  /** Policy for the primary only (deadlines, retry, breaker…), layered over the client's. @default none */
  policy?: PolicyOptions;
  /**
   * The vector space your app embeds in with this client: `embeddings.create` calls that name its
   * model (an Azure client: `deployment`, the name your calls use) at its length fail over to the
   * fallbacks that declare the same space; any other call stays on the wrapped client. Every
   * fallback's `embeddings` must be this space (`ConfigError` otherwise).
   * @default the space the fallbacks declare (their `embeddings` option)
   */
  embeddings?: {
    /** The embedding model, e.g. "text-embedding-3-small". */
    model: string;
    /** The vector length your index uses. @default the model's own */
    dimensions?: number;
    /** For an `AzureOpenAI` client: the deployment your calls name as `model`. @default `model` */
    deployment?: string;
  };
}

/**
 * Options of {@link withFailover}: the fallbacks, the model mapping, and every `createClient`
 * policy option (deadlines, retry, breaker, hedging, failureActions, transport…), which apply to
 * every `chat.completions.create` and `responses.create` call made through the wrapped client.
 */
export interface WithFailoverOptions extends PolicyOptions {
  /**
   * Providers to fall over to, in order, when the wrapped client fails: adapters from
   * `anthropic()`, `mistral()`, `openaiCompatible()`… or `{ provider, tier, weight, policy }` entries.
   * The wrapped client always comes first. An empty list still gives the call the engine's
   * deadlines, retries and breaker.
   */
  fallbacks: (ProviderAdapter | ProviderEntry)[];
  /**
   * Which model each fallback uses, per OpenAI model the app asks for:
   * `{ "gpt-4.1": { anthropic: "claude-sonnet-4-6", mistral: "mistral-large-latest" } }`.
   * A fallback without a mapping for the requested model uses its own configured model.
   * @default {} (every fallback uses its configured model)
   */
  models?: Record<string, Record<string, string>>;
  /** How the wrapped client appears among the providers. @default {} */
  primary?: PrimaryProviderOptions;
  /**
   * A request with parts no fallback can be sent — chat: `n > 1`, audio output, legacy
   * `functions`, `input_audio` or `file` parts, custom tools; Responses: `input_file` data, audio,
   * custom and shell tools: `"error"` rejects it with an `InvalidRequestError` listing every
   * reason, before anything is sent; `"primary-only"` sends it to the wrapped client directly,
   * exactly as without `withFailover` (no retries, no failover, no events).
   * @default "error"
   */
  unsupported?: "error" | "primary-only";
  /**
   * A Responses request that depends on what only OpenAI keeps or runs — `previous_response_id`,
   * `conversation`, `background: true`, a stored `prompt`, hosted tools (web and file search, code
   * interpreter, computer use, MCP, image generation), files by `file_id`, `item_reference`s:
   * `"primary-only"` sends it to the wrapped client alone, still with the engine's deadlines,
   * retries, breaker and events, and `getFailoverInfo(response).primaryOnly` says why;
   * `"error"` rejects it with an `InvalidRequestError` before anything is sent (for apps that must
   * never depend on OpenAI alone).
   * @default "primary-only"
   */
  stateful?: "primary-only" | "error";
  /**
   * What `create()` throws when the call fails. `"ai-failover"`: this library's typed errors —
   * `AllProvidersFailedError` (with every attempt) when no provider could answer, the
   * `ProviderError` of a failure that does not fall over (a 400), `StreamInterruptedError` from a
   * stream that broke after its first chunk. `"openai"`: the same failures as the wrapped SDK's own
   * classes (`OpenAI.InternalServerError` 503 / `RateLimitError` 429 when all failed,
   * `BadRequestError` for a 400, …), with this library's error as `cause`, so existing
   * `instanceof OpenAI.APIError` handling keeps working.
   * @default "ai-failover"
   */
  errors?: "ai-failover" | "openai";
  /**
   * Where an event listener's error goes (`getFailoverClient(client).onAttemptEnd(…)` and the
   * others): a listener that throws or rejects never breaks a call. As `createClient`'s option.
   * @default one `process.emitWarning` per failing listener (not per event)
   */
  onListenerError?: ListenerErrorHandler;
  /**
   * OpenTelemetry for the calls that run through the engine (a span per call, a child per attempt,
   * the GenAI metrics), as `createClient`'s option; requests sent to the wrapped client directly
   * (`unsupported: "primary-only"`, everything but `create`) are not traced by this library.
   * @default {} (the global providers: recorded once the app registers an OpenTelemetry SDK)
   */
  telemetry?: TelemetryOptions | false;
}

const primarySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._:-]+$/, "use letters, digits, '.', '_', ':' or '-'")
    .optional(),
  domain: z.string().min(1).optional(),
  contextWindow: z.number().int().positive().optional(),
  policy: policySchema.optional(),
  embeddings: z
    .strictObject({
      model: z.string().min(1, "the embedding model is required (it names the vector space)"),
      dimensions: z.number().int().positive().optional(),
      deployment: z.string().min(1).optional(),
    })
    .optional(),
});

/**
 * Every option of `withFailover`: `createClient`'s (the policy and any client-wide option, so one
 * added there is accepted here too) without `providers`, plus the drop-in's own. Strict, so a
 * misspelt one is reported with its near miss.
 */
const optionsSchema = clientOptionsSchema.omit({ providers: true }).extend({
  fallbacks: z.array(z.unknown(), { error: "expected an array of providers (use [] for none)" }),
  models: z.record(z.string(), z.record(z.string(), z.string().min(1))).optional(),
  primary: primarySchema.optional(),
  unsupported: z.enum(["error", "primary-only"]).optional(),
  stateful: z.enum(["primary-only", "error"]).optional(),
  errors: z.enum(["ai-failover", "openai"]).optional(),
});

/** How the engine's providers are named in the drop-in's messages: its wrapped client comes first. */
export const withFailoverPaths: OptionPaths = {
  prefix: "withFailover",
  provider: (index) => (index === 0 ? "client" : `withFailover.fallbacks[${index - 1}]`),
};

/**
 * Validates the drop-in's options: the client, every option (a misspelt one names its near miss),
 * each fallback (a bare SDK client, an uncalled factory… name `withFailover.fallbacks[i]` and the
 * fix). Throws a `ConfigError` naming each bad field. The engine's own checks (duplicate names, a
 * missing SDK or key) run when `withFailover` builds the engine, with the same paths.
 */
export const parseWithFailoverOptions = (client: unknown, options: unknown): WithFailoverOptions => {
  const issues: string[] = [];
  const create = (client as { chat?: { completions?: { create?: unknown } } } | null)?.chat?.completions
    ?.create;
  if (typeof create !== "function") issues.push(`client: ${describeWrappedClientMistake(client)}`);
  if (typeof options !== "object" || options === null) {
    issues.push("withFailover: expected an options object ({ fallbacks: [...] })");
    throw new ConfigError(issues);
  }
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) issues.push(...formatZodIssues(parsed.error, "withFailover", optionsSchema));
  const fallbacks = (options as { fallbacks?: unknown }).fallbacks;
  if (Array.isArray(fallbacks)) {
    // The entries as the engine checks them, named as the caller wrote them (`fallbacks[0]`).
    issues.push(...findEntryIssues(fallbacks, (index) => `withFailover.fallbacks[${index}]`));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return options as WithFailoverOptions;
};

/**
 * `models` entries that name no provider: a mapping that would never apply is a mistake, not a
 * no-op. `names` are the engine's provider names (the wrapped client's first).
 */
export const findModelMappingIssues = (
  models: Record<string, Record<string, string>> | undefined,
  names: readonly string[],
): string[] =>
  Object.entries(models ?? {}).flatMap(([model, mapping]) =>
    Object.keys(mapping)
      .filter((name) => !names.includes(name))
      .map((name) => {
        const near = suggestKey(name, names);
        return `${formatPath("withFailover.models", [model, name])}: no provider named ${JSON.stringify(name)} (the providers are ${names.map((n) => JSON.stringify(n)).join(", ")}${near ? `; did you mean ${JSON.stringify(near)}?` : ""})`;
      }),
  );

/** Why the value given as the client to wrap is not an OpenAI client, and what to do instead. */
const describeWrappedClientMistake = (client: unknown): string => {
  if (typeof client === "object" && client !== null) {
    const provider = client as { name?: unknown; generate?: unknown };
    if (typeof provider.name === "string" && typeof provider.generate === "function")
      return "got a provider; withFailover wraps an OpenAI SDK client: withFailover(new OpenAI(), { fallbacks: [...] })";
    const sdk = sdkClientKind(client);
    if (sdk)
      return `got ${sdk.article} ${sdk.label} SDK client; withFailover wraps an OpenAI or AzureOpenAI client — for another primary use createClient({ providers: [...] })`;
  }
  return "expected an OpenAI or AzureOpenAI client (new OpenAI())";
};
