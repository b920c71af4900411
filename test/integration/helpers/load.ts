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
