import type { FailureClass } from "../errors/failure-class.js";
import { InvalidRequestError } from "../errors/invalid-request-error.js";
import { isProviderError } from "../errors/provider-error.js";
import { sanitizeMessage } from "../errors/sanitize-message.js";
import { maxTimerMs } from "../internal/abortable-delay.js";
import { findUnknownOptions } from "../internal/find-unknown-options.js";
import { readCallerValue } from "../internal/read-caller-value.js";
import type { ProviderAdapter, VerifyCheck } from "../spec/provider.js";

/** Options of `client.verify()`. */
export interface VerifyOptions {
  /**
   * The longest each provider's check may take; one that has not answered by then is reported as
   * a `timeout` (the checks run side by side, so `verify()` takes about this long at worst).
   * @default 10_000
   */
  timeoutMs?: number;
  /** Cancels every check: `verify()` then rejects with the signal's reason. @default none */
  signal?: AbortSignal;
  /** Check only these providers (by name), in the client's order. @default every provider */
  providers?: readonly string[];
}

/** One provider's check: shaped like an `Attempt`, so a report reads like the attempts log. */
export interface ProviderCheck {
  /** The provider's name. */
  provider: string;
  /** Its configured model (`"per-call"` for the drop-in's wrapped client, whose calls name it). */
  model: string;
  /** `"ok"`; the failure class of a provider that did not answer; `"skipped"` when it has no cheap check. */
  outcome: "ok" | "skipped" | FailureClass;
  /** HTTP status of a failed check, when the provider answered with one. */
  status: number | undefined;
  /** Milliseconds the check took. */
  durationMs: number;
  /** For `"ok"`: the request made (`"GET /models/gpt-4.1"`); for `"skipped"`: why none was. */
  check?: string;
  /** Short, sanitized description of the failure (no key, no HTML). */
  message?: string;
}

/** What `client.verify()` found. */
export interface VerifyReport {
  /** True when no provider failed its check (skipped ones do not count against it). */
  ok: boolean;
  /** Every checked provider, in the client's order. */
  providers: ProviderCheck[];
}

const defaultTimeoutMs = 10_000;

/**
 * Checks each provider on demand, side by side, with the cheapest authenticated request its API
 * offers (the adapter's `verify`). Never throws for a provider's failure: each is reported with its
 * class, status and sanitized message. Health is not touched: a failed check does not count against
 * a breaker, and a good one does not close an open one (a `GET /models` that answers says nothing
 * about chat completions under load). Rejects only for bad options or the caller's abort.
 */
export const verifyProviders = async (
  adapters: readonly ProviderAdapter[],
  given: VerifyOptions = {},
): Promise<VerifyReport> => {
  const options = checkOptions(given);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > maxTimerMs)
    throw new InvalidRequestError(["verify.timeoutMs: expected a whole number of milliseconds > 0"]);
  const selected = selectAdapters(adapters, options.providers);
  const { signal } = options;
  signal?.throwIfAborted();
  const controllers = selected.map(() => new AbortController());
  const onAbort = (): void => {
    for (const controller of controllers) controller.abort(signal?.reason);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const checks = Promise.all(
      selected.map((adapter, i) => checkProvider(adapter, controllers[i]!, timeoutMs)),
    );
    const providers = signal ? await Promise.race([checks, rejectOnAbort(signal)]) : await checks;
    return { ok: providers.every((p) => p.outcome === "ok" || p.outcome === "skipped"), providers };
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
};

const optionNames = ["timeoutMs", "signal", "providers"];

/**
 * The options, checked the way a call's request is: an `InvalidRequestError` naming each bad field
 * (`verify(null)`, `providers: "openai"`, a misspelt option), never a `TypeError` from inside, and
 * never a typo silently ignored.
 */
const checkOptions = (options: unknown): VerifyOptions => {
  const issues = readCallerValue(
    () => findOptionIssues(options),
    (kind) => new InvalidRequestError([`verify: the options cannot be read (${kind})`]),
  );
  if (issues.length > 0) throw new InvalidRequestError(issues);
  return options as VerifyOptions;
};

const findOptionIssues = (options: unknown): string[] => {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    return ["verify: expected an options object ({ timeoutMs, signal, providers })"];
  const issues = findUnknownOptions("verify", options, optionNames);
  const { providers, signal } = options as Record<string, unknown>;
  if (
    providers !== undefined &&
    !(Array.isArray(providers) && providers.length > 0 && providers.every((name) => typeof name === "string"))
  )
    issues.push("verify.providers: expected a non-empty array of provider names");
  if (signal !== undefined && !(signal instanceof AbortSignal))
    issues.push("verify.signal: expected an AbortSignal");
  return issues;
};

const selectAdapters = (adapters: readonly ProviderAdapter[], names: readonly string[] | undefined) => {
  if (names === undefined) return [...adapters];
  const known = new Set(adapters.map((a) => a.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new InvalidRequestError([
      `verify.providers: no provider named ${unknown.map((n) => JSON.stringify(n)).join(", ")}`,
    ]);
  return adapters.filter((adapter) => names.includes(adapter.name));
};

const rejectOnAbort = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/** One provider's check, bounded by `timeoutMs`; every failure becomes its report. */
const checkProvider = async (
  adapter: ProviderAdapter,
  controller: AbortController,
  timeoutMs: number,
): Promise<ProviderCheck> => {
  const base = { provider: adapter.name, model: adapter.model };
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);
  if (typeof adapter.verify !== "function") {
    return {
      ...base,
      outcome: "skipped",
      status: undefined,
      durationMs: 0,
      check: `${adapter.kind} providers have no cheap authenticated request to make`,
    };
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  try {
    const check: VerifyCheck = await Promise.race([
      adapter.verify({ signal: controller.signal, timeoutMs }),
      rejectOnAbort(controller.signal),
    ]);
    return "skipped" in check
      ? { ...base, outcome: "skipped", status: undefined, durationMs: elapsed(), check: check.skipped }
      : { ...base, outcome: "ok", status: undefined, durationMs: elapsed(), check: check.request };
  } catch (error) {
    const durationMs = elapsed();
    if (timedOut) {
      return {
        ...base,
        outcome: "timeout",
        status: undefined,
        durationMs,
        message: `no answer within ${timeoutMs} ms`,
      };
    }
    if (isProviderError(error)) {
      return {
        ...base,
        outcome: error.failureClass,
        status: error.status,
        durationMs,
        message: error.detail,
      };
    }
    // Not a provider's answer (a client that cannot be built, a bug): reported, never thrown.
    const name = error instanceof Error ? error.name : typeof error;
    const text = error instanceof Error ? sanitizeMessage(error.message) : "";
    return {
      ...base,
      outcome: "invalid_response",
      status: undefined,
      durationMs,
      message: `${name}${text && text !== "no message" ? `: ${text}` : ""}`,
    };
  } finally {
    clearTimeout(timer);
  }
};
