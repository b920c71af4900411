import { ConfigError } from "../errors/config-error.js";
import { maxTimerMs } from "../internal/abortable-delay.js";

/*
 * The options of a shared store, checked as `createClient` checks its own: every problem is one
 * `ConfigError` line naming the option (`redisStore.timeoutMs: …`), and an unknown key names its
 * near miss. A store is made once at start-up: a typo found then costs nothing, one found in an
 * outage (a default prefix shared with another app, Redis polled every millisecond) costs a lot.
 */

/** The options every shared store takes (`SharedHealthStoreOptions`). */
export const sharedStoreOptionKeys = ["instance", "syncIntervalMs", "timeoutMs", "maxBackoffMs"] as const;

/** The shared store's options, checked, with their defaults. */
export interface ResolvedStoreOptions {
  /** Undefined: the store names itself. */
  instance: string | undefined;
  syncIntervalMs: number;
  timeoutMs: number;
  maxBackoffMs: number;
}

/**
 * Reads the shared store's options of `options` (other keys are the caller's), adding a line to
 * `issues` for each bad one.
 */
export const readSharedStoreOptions = (
  label: string,
  options: { readonly [K in (typeof sharedStoreOptionKeys)[number]]?: unknown },
  issues: string[],
): ResolvedStoreOptions => {
  const { instance } = options;
  if (instance !== undefined && (typeof instance !== "string" || instance === ""))
    issues.push(`${label}.instance: expected a non-empty string, got ${describeValue(instance)}`);
  return {
    instance: typeof instance === "string" ? instance : undefined,
    syncIntervalMs: readMs(label, "syncIntervalMs", options.syncIntervalMs, 250, issues),
    timeoutMs: readMs(label, "timeoutMs", options.timeoutMs, 50, issues),
    maxBackoffMs: readMs(label, "maxBackoffMs", options.maxBackoffMs, 5_000, issues),
  };
};

/** Throws the `ConfigError` of `issues`, if there are any. */
export const throwIssues = (issues: readonly string[]): void => {
  if (issues.length > 0) throw new ConfigError([...issues]);
};

/**
 * A duration for a timer: whole milliseconds from 1 to `maxTimerMs` (Node runs a longer timer after
 * 1 ms, which would poll the backend a thousand times a second, or time every exchange out at once).
 */
const readMs = (label: string, name: string, value: unknown, fallback: number, issues: string[]): number => {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= maxTimerMs) return value;
  issues.push(
    `${label}.${name}: expected whole milliseconds from 1 to ${maxTimerMs}, got ${describeValue(value)}`,
  );
  return fallback;
};

/** A number as it is; anything else by its type only (never echo a string: it may be a secret). */
export const describeValue = (value: unknown): string => {
  if (typeof value === "number" || value === null) return String(value);
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
};
