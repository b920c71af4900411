import { z } from "zod";
import { ConfigError } from "../errors/config-error.js";
import { formatZodIssues } from "../internal/format-zod-issues.js";
import type { ProviderAdapter } from "../spec/provider.js";
import { type TelemetryOptions, telemetryOptionsSchema } from "../telemetry/telemetry-options.js";
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

const adapterSchema = z.custom<ProviderAdapter>(isAdapter, {
  message: "expected a provider from openai(), azureOpenAI(), anthropic(), mistral() or openaiCompatible()",
});

const entrySchema = z.union([
  adapterSchema,
  z.strictObject({
    provider: adapterSchema,
    tier: z.number().int().min(0).optional(),
    weight: z.number().positive().optional(),
    policy: policySchema
      .refine((policy) => policy.deadlines?.totalMs === undefined, {
        message: "deadlines.totalMs is call-wide: set it on the client or per call",
        path: ["deadlines", "totalMs"],
      })
      .refine((policy) => policy.onStreamInterrupted === undefined, {
        message: "onStreamInterrupted is call-wide: set it on the client or per call",
        path: ["onStreamInterrupted"],
      })
      .optional(),
  }),
]);

export const clientOptionsSchema = policySchema.extend({
  providers: z.array(entrySchema).min(1, "at least one provider is required"),
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

/** Validates client options; throws `ConfigError` naming each bad field. */
export const parseClientOptions = (
  options: unknown,
  prefix = "",
): {
  entries: NormalizedEntry[];
  policy: PolicyOptions;
  onListenerError: ListenerErrorHandler | undefined;
  telemetry: TelemetryOptions | false | undefined;
} => {
  const parsed = clientOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigError(formatZodIssues(parsed.error, prefix));
  const { providers, onListenerError, telemetry, ...policy } = parsed.data as ClientOptions;
  const entries = providers.map((entry, index): NormalizedEntry => {
    if (isAdapter(entry)) return { provider: entry, tier: index, weight: 1, policy: undefined };
    return {
      provider: entry.provider,
      tier: entry.tier ?? index,
      weight: entry.weight ?? 1,
      policy: entry.policy,
    };
  });
  const seen = new Set<string>();
  const issues: string[] = [];
  entries.forEach((entry, index) => {
    const name = entry.provider.name;
    if (seen.has(name)) {
      issues.push(
        `${prefix ? `${prefix}.` : ""}providers.${index}: duplicate provider name "${name}" (give each provider a unique \`name\`)`,
      );
    }
    seen.add(name);
  });
  if (issues.length) throw new ConfigError(issues);
  return { entries, policy, onListenerError, telemetry };
};
