import { z } from "zod";
import { ConfigError } from "../errors/config-error.js";
import { formatPath, formatZodIssues } from "../internal/format-zod-issues.js";
import type { ProviderAdapter } from "../spec/provider.js";
import { type TelemetryOptions, telemetryOptionsSchema } from "../telemetry/telemetry-options.js";
import { describeProviderMistake } from "./describe-provider-mistake.js";
import type { ListenerErrorHandler } from "./event-channel.js";
import { type PolicyOptions, policySchema } from "./policy-options.js";

/** A provider with its place in the fallback order. */
export interface ProviderEntry {
  provider: ProviderAdapter;
  /**
   * Priority tier: lower tiers are tried first; inside a tier load is spread by `weight`.
   * @default the provider's position in `providers`
   */
  tier?: number;
  /** Share of calls inside its tier. @default 1 */
  weight?: number;
  /** Policy for this provider only (deadlines, retry, breaker, …), layered over the client's. */
  policy?: PolicyOptions;
}

/** Options of `createClient`: the providers in fallback order, plus the policy for every call. */
export interface ClientOptions extends PolicyOptions {
  /** Providers in the order to try them: adapters from `openai()`, `anthropic()`, … or `ProviderEntry`s. */
  providers: (ProviderAdapter | ProviderEntry)[];
  /**
   * Where the errors of event listeners go. A listener that throws, or returns a promise that
   * rejects, never breaks a call or reaches the process as an unhandled rejection: its error is
   * passed here, with the event's name and the listener.
   * @default one `process.emitWarning` per failing listener (not per event)
   */
  onListenerError?: ListenerErrorHandler;
  /**
   * OpenTelemetry: a span per call with a child per attempt, and the GenAI metrics, sent to the
   * application's registered SDK (nothing is recorded without one). `false` turns it off; the
   * object picks other providers or records prompts and replies (see `TelemetryOptions`).
   * @default {} (the global tracer and meter providers; no prompt or reply content)
   */
  telemetry?: TelemetryOptions | false;
}

const isAdapter = (value: unknown): value is ProviderAdapter =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as ProviderAdapter).name === "string" &&
  typeof (value as ProviderAdapter).generate === "function" &&
  typeof (value as ProviderAdapter).stream === "function";

const notAProvider =
  "expected a provider from openai(), azureOpenAI(), anthropic(), mistral(), openaiCompatible() or aiSdk(), or a { provider, tier, weight, policy } entry";

const entryPolicySchema = policySchema
  .refine((policy) => policy.deadlines?.totalMs === undefined, {
    message: "deadlines.totalMs is call-wide: set it on the client or per call",
    path: ["deadlines", "totalMs"],
  })
  .refine((policy) => policy.onStreamInterrupted === undefined, {
    message: "onStreamInterrupted is call-wide: set it on the client or per call",
    path: ["onStreamInterrupted"],
  });

const entrySchema = z.strictObject({
  provider: z.unknown(),
  tier: z.number().int().min(0).optional(),
  weight: z.number().positive().optional(),
  policy: entryPolicySchema.optional(),
});

/** The client's own options besides `providers` (checked entry by entry, for messages that teach). */
export const clientOptionsSchema = policySchema.extend({
  providers: z.unknown().optional(),
  onListenerError: z
    .custom<ListenerErrorHandler>((value) => typeof value === "function", "expected a function")
    .optional(),
  telemetry: telemetryOptionsSchema.optional(),
});

export interface NormalizedEntry {
  provider: ProviderAdapter;
  tier: number;
  weight: number;
  policy: PolicyOptions | undefined;
}

/**
 * How messages name the options: `createClient`'s `providers[1]`, or the drop-in's
 * `withFailover.fallbacks[0]` (its wrapped client is the first provider).
 */
export interface OptionPaths {
  /** Prefix of every path. @default "" */
  prefix: string;
  /** The path of the provider at `index` of the engine's providers. @default `providers[index]` */
  provider(index: number): string;
}

const createClientPaths: OptionPaths = { prefix: "", provider: (index) => `providers[${index}]` };

/** Issues of one `providers` entry (`path: message`), and the entry when it is valid. */
const parseEntry = (
  entry: unknown,
  index: number,
  path: string,
): { entry?: NormalizedEntry; issues: string[] } => {
  if (isAdapter(entry))
    return { entry: { provider: entry, tier: index, weight: 1, policy: undefined }, issues: [] };
  const mistake = describeProviderMistake(entry);
  if (mistake) return { issues: [`${path}: ${mistake}`] };
  if (typeof entry !== "object" || entry === null || !("provider" in entry))
    return { issues: [`${path}: ${notAProvider}`] };
  const parsed = entrySchema.safeParse(entry);
  const issues = parsed.success ? [] : formatZodIssues(parsed.error, path, entrySchema);
  const provider = (entry as { provider: unknown }).provider;
  if (!isAdapter(provider))
    issues.push(`${path}.provider: ${describeProviderMistake(provider) ?? notAProvider}`);
  if (issues.length > 0 || !parsed.success || !isAdapter(provider)) return { issues };
  return {
    entry: {
      provider,
      tier: parsed.data.tier ?? index,
      weight: parsed.data.weight ?? 1,
      policy: parsed.data.policy as PolicyOptions | undefined,
    },
    issues: [],
  };
};

/** The issues of each of `values` as a `providers` entry, named by `pathOf(index)`. */
export const findEntryIssues = (values: readonly unknown[], pathOf: (index: number) => string): string[] =>
  values.flatMap((value, index) => parseEntry(value, index, pathOf(index)).issues);

/**
 * What would make a provider fail every call, found now rather than during the outage it is there
 * for: its SDK is not installed, it has no credentials. Each as `path (name): problem and fix`.
 */
const findSetupIssues = (entries: readonly NormalizedEntry[], paths: OptionPaths): string[] =>
  entries.flatMap((entry, index) =>
    (entry.provider.findSetupIssues?.() ?? []).map(
      (issue) => `${paths.provider(index)} (${entry.provider.name}): ${issue}`,
    ),
  );

/**
 * Validates client options; throws `ConfigError` naming each bad field the way the caller wrote it,
 * with the fix where one is known (an SDK client passed bare, a factory not called, a misspelt
 * option, a provider whose SDK or key is missing).
 */
export const parseClientOptions = (
  options: unknown,
  paths: OptionPaths = createClientPaths,
): {
  entries: NormalizedEntry[];
  policy: PolicyOptions;
  onListenerError: ListenerErrorHandler | undefined;
  telemetry: TelemetryOptions | false | undefined;
} => {
  if (typeof options !== "object" || options === null)
    throw new ConfigError([`${paths.prefix || "options"}: expected an object`]);
  const issues: string[] = [];
  const parsed = clientOptionsSchema.safeParse(options);
  if (!parsed.success) issues.push(...formatZodIssues(parsed.error, paths.prefix, clientOptionsSchema));
  const providers = (options as { providers?: unknown }).providers;
  const entries: NormalizedEntry[] = [];
  if (!Array.isArray(providers)) {
    issues.push(`${formatPath(paths.prefix, ["providers"])}: expected an array of providers`);
  } else if (providers.length === 0) {
    issues.push(`${formatPath(paths.prefix, ["providers"])}: at least one provider is required`);
  } else {
    providers.forEach((value, index) => {
      const result = parseEntry(value, index, paths.provider(index));
      issues.push(...result.issues);
      if (result.entry) entries.push(result.entry);
    });
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  const { providers: _providers, onListenerError, telemetry, ...policy } = parsed.data as ClientOptions;
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const name = entry.provider.name;
    if (seen.has(name)) {
      issues.push(
        `${paths.provider(index)}: duplicate provider name "${name}" (give each provider a unique \`name\`)`,
      );
    }
    seen.add(name);
  });
  issues.push(...findSetupIssues(entries, paths));
  if (issues.length) throw new ConfigError(issues);
  return { entries, policy, onListenerError, telemetry };
};
