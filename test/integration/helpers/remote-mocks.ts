/**
 * Mock provider servers in a worker thread (see mock-worker.ts), so that a load or soak test's
 * client process does only client work: its CPU, event loop and heap are not shared with the
 * servers it calls.
 */
import { Worker } from "node:worker_threads";
import type { MockFault, MockProviderOptions } from "../../../src/testing/index.js";
import type { MockOp, MockStats } from "./mock-worker.js";

export type { MockStats };

export interface RemoteMock {
  readonly baseURL: string;
  readonly name: string;
  script(...faults: MockFault[]): Promise<void>;
  setDefault(fault: MockFault): Promise<void>;
  /** Every request gets a fault drawn from the weighted table with a PRNG seeded in the worker. */
  setRandom(seed: number, table: { weight: number; value: MockFault }[]): Promise<void>;
  stats(): Promise<MockStats>;
  down(): Promise<void>;
  up(): Promise<void>;
  reset(): Promise<void>;
}

export interface RemoteMockHost {
  start(options: MockProviderOptions): Promise<RemoteMock>;
  /** Closes every mock and ends the worker. */
  close(): Promise<void>;
}

export const startRemoteMockHost = async (): Promise<RemoteMockHost> => {
  const worker = new Worker(new URL("./mock-worker.ts", import.meta.url), { execArgv: ["--import", "tsx"] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  worker.on("message", (reply: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(reply.error));
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("error", (error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  const send = <T>(message: MockOp): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, message });
    });
  const handles: number[] = [];
  return {
    async start(options) {
      const info = await send<{ handle: number; baseURL: string; name: string }>({ op: "start", options });
      const handle = info.handle;
      handles.push(handle);
      return {
        baseURL: info.baseURL,
        name: info.name,
        script: (...faults) => send({ op: "script", handle, faults }),
        setDefault: (fault) => send({ op: "setDefault", handle, fault }),
        setRandom: (seed, table) => send({ op: "setRandom", handle, seed, table }),
        stats: () => send<MockStats>({ op: "stats", handle }),
        down: () => send({ op: "down", handle }),
        up: () => send({ op: "up", handle }),
        reset: () => send({ op: "reset", handle }),
      };
    },
    async close() {
      await Promise.all(handles.map((handle) => send({ op: "close", handle })));
      await worker.terminate();
      await exited;
    },
  };
};
