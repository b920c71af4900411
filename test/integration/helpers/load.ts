/** Drives many calls at a fixed concurrency and tallies what happened. */
import type { FailoverClient, FailoverRequest } from "../../../src/index.js";
import type { ChatResult } from "../../../src/spec/chat.js";

export interface LoadRun {
  results: ChatResult[];
  failures: unknown[];
  elapsedMs: number;
}

/**
 * Makes `calls` calls with at most `concurrency` in flight: `concurrency` workers each start their
 * next call as soon as their previous one settles. `mode` picks `chat()` or a fully read `stream()`.
 */
export const runLoad = async (
  client: FailoverClient,
  options: {
    calls: number;
    concurrency: number;
    request: (i: number) => FailoverRequest;
    mode?: (i: number) => "chat" | "stream";
  },
): Promise<LoadRun> => {
  const results: ChatResult[] = [];
  const failures: unknown[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < options.calls; i = next++) {
      try {
        const request = options.request(i);
        if ((options.mode?.(i) ?? "chat") === "chat") results.push(await client.chat(request));
        else {
          const stream = client.stream(request);
          for await (const _event of stream) {
            // read to the end
          }
          results.push(await stream.result());
        }
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { results, failures, elapsedMs: performance.now() - started };
};

export interface PacedRun extends LoadRun {
  /** Calls started. */
  calls: number;
  /** The most calls in flight at once. */
  maxInFlight: number;
}

/**
 * Starts calls at a fixed rate for `durationMs` (an open loop, like traffic from many users: a call
 * failing fast does not speed the next one up), then waits for every call to settle.
 */
export const runPaced = async (
  client: FailoverClient,
  options: {
    ratePerSecond: number;
    durationMs: number;
    request: (i: number) => FailoverRequest;
    mode?: (i: number) => "chat" | "stream";
  },
): Promise<PacedRun> => {
  const results: ChatResult[] = [];
  const failures: unknown[] = [];
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const one = async (i: number): Promise<void> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const request = options.request(i);
      if ((options.mode?.(i) ?? "chat") === "chat") results.push(await client.chat(request));
      else {
        const stream = client.stream(request);
        for await (const _event of stream) {
          // read to the end
        }
        results.push(await stream.result());
      }
    } catch (error) {
      failures.push(error);
    } finally {
      inFlight--;
    }
  };
  const started = performance.now();
  const intervalMs = 1000 / options.ratePerSecond;
  let calls = 0;
  while (performance.now() - started < options.durationMs) {
    // Catch up with the schedule (timers are coarse under load), then sleep until the next slot.
    const due = Math.floor((performance.now() - started) / intervalMs) + 1;
    while (calls < due) pending.push(one(calls++));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await Promise.all(pending);
  return { results, failures, elapsedMs: performance.now() - started, calls, maxInFlight };
};
