/** Shared machinery of the soak tests: heap sampling, resource accounting, random caller behaviour. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  type FailoverClient,
  type FailoverRequest,
  isAiFailoverError,
  isAllProvidersFailedError,
} from "../../../src/index.js";

/**
 * A real `gc()`: vitest's workers are not started with --expose-gc, but V8 lets a running process
 * turn the flag on and hands the function to a fresh context.
 */
export const forceGc: () => void = (() => {
  if (typeof globalThis.gc === "function") return globalThis.gc as () => void;
  setFlagsFromString("--expose_gc");
  return runInNewContext("gc") as () => void;
})();

/** heapUsed after two full collections (the second catches what finalizers released). */
export const heapAfterGc = async (): Promise<number> => {
  await new Promise((resolve) => setImmediate(resolve));
  forceGc();
  await new Promise((resolve) => setImmediate(resolve));
  forceGc();
  return process.memoryUsage().heapUsed;
};

/** Active resources (timers, sockets, …) by type, e.g. { Timeout: 2, TCPSocketWrap: 1 }. */
export const activeResources = (): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
};

/** Resource types whose count grew over the baseline (empty when nothing was left running). */
export const resourcesAbove = (baseline: Record<string, number>): Record<string, number> => {
  const now = activeResources();
  const extra: Record<string, number> = {};
  for (const [type, count] of Object.entries(now)) {
    const over = count - (baseline[type] ?? 0);
    if (over > 0) extra[type] = over;
  }
  return extra;
};

/** Marks an abort this test made on purpose. */
export class CallerAbort extends Error {
  override name = "CallerAbort";
}

export type CallerStyle = "chat" | "chat-json" | "stream" | "stream-break" | "chat-abort" | "stream-abort";

/** How callers use the client: mostly whole calls, some streams dropped early, some aborted. */
export const CALLER_MIX: readonly { weight: number; value: CallerStyle }[] = [
  { weight: 45, value: "chat" },
  { weight: 5, value: "chat-json" },
  { weight: 35, value: "stream" },
  { weight: 5, value: "stream-break" },
  { weight: 5, value: "chat-abort" },
  { weight: 5, value: "stream-abort" },
];

/**
 * Makes one call the way `style` says and returns how it ended: "ok", "aborted" (our own abort
 * surfaced), "dropped" (the consumer stopped reading), or the library error's name. Anything
 * else (a TypeError, an untyped rejection) is returned as "unexpected:…".
 */
export const callAs = async (
  client: FailoverClient,
  style: CallerStyle,
  request: FailoverRequest,
  abortAfterMs: number,
  /** Tallies the shape of each AllProvidersFailedError (attempt outcomes | skip reasons). */
  shapes?: Record<string, number>,
): Promise<string> => {
  try {
    switch (style) {
      case "chat":
        await client.chat(request);
        return "ok";
      case "chat-json":
        await client.chat({ ...request, policy: { transport: "json" } });
        return "ok";
      case "chat-abort": {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new CallerAbort("caller went away")), abortAfterMs);
        try {
          await client.chat({ ...request, signal: controller.signal });
          return "ok";
        } finally {
          clearTimeout(timer);
        }
      }
      case "stream":
        for await (const _event of client.stream(request)) {
          // read every event
        }
        return "ok";
      case "stream-break":
        for await (const event of client.stream(request)) {
          if (event.type === "text") return "dropped";
        }
        return "ok";
      case "stream-abort": {
        const stream = client.stream(request);
        for await (const event of stream) {
          if (event.type === "start") stream.abort(new CallerAbort("caller went away"));
        }
        return "ok";
      }
    }
  } catch (error) {
    if (error instanceof CallerAbort) return "aborted";
    if (isAllProvidersFailedError(error) && shapes) {
      const shape = `${error.attempts.map((a) => a.outcome).join(",") || "no attempt"} | skipped: ${
        error.skipped.map((k) => k.reason).join(",") || "none"
      }`;
      shapes[shape] = (shapes[shape] ?? 0) + 1;
    }
    if (isAiFailoverError(error)) return error.name;
    if (error instanceof Error && error.name === "AbortError") return "aborted";
    return `unexpected:${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
};

/** Runs `count` calls from `start`, `concurrency` at a time; `call(i)` makes call i. */
export const runCalls = async (
  start: number,
  count: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
): Promise<void> => {
  let next = start;
  const end = start + count;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < end; i = next++) await call(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
};

export const MB = 1024 * 1024;

/** The `n` most frequent entries of a tally, most frequent first. */
export const top = (tally: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(
    Object.entries(tally)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n),
  );
