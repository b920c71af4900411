/**
 * A fleet of instance processes (fleet-worker.ts), each a real Node process with its own client
 * and, when asked, its own Redis client and store, sharing one redis-server.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { BreakerEventRecord, LoadRequest, LoadResult, WorkerSetup } from "./fleet-worker.js";

export type { BreakerEventRecord, LoadRequest, LoadResult, WorkerSetup };

export interface FleetInstance {
  readonly pid: number | undefined;
  setup(args: WorkerSetup): Promise<void>;
  load(request: LoadRequest): Promise<LoadResult>;
  health(): Promise<Array<Record<string, any>>>;
  events(): Promise<BreakerEventRecord[]>;
  stats(): Promise<{
    store: Record<string, number> | undefined;
    status: string | undefined;
    storeErrors: number;
    unhandled: string[];
  }>;
}

export interface Fleet {
  readonly instances: FleetInstance[];
  close(): Promise<void>;
}

const workerSource = fileURLToPath(new URL("./fleet-worker.ts", import.meta.url));

let bundled: Promise<string> | undefined;
/**
 * The worker and everything it imports (the library's source, the SDKs, both Redis clients) as one
 * CommonJS file: an instance process then starts in a second, where compiling TypeScript on the fly
 * in every process (tsx) takes several on a busy machine.
 */
const bundleWorker = (): Promise<string> =>
  (bundled ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "ai-failover-fleet-")), "fleet-worker.cjs");
    await build({
      entryPoints: [workerSource],
      outfile,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node22",
      logLevel: "warning",
    });
    return outfile;
  })());

const startInstance = (workerPath: string): Promise<{ instance: FleetInstance; child: ChildProcess }> =>
  new Promise((resolve, reject) => {
    const child = fork(workerPath, [], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
    let nextId = 1;
    child.on(
      "message",
      (message: { ready?: boolean; id?: number; ok?: boolean; value?: unknown; error?: string }) => {
        if (message.ready) {
          resolve({ instance, child });
          return;
        }
        const waiter = pending.get(message.id!);
        pending.delete(message.id!);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(new Error(message.error));
      },
    );
    child.once("error", reject);
    child.once("exit", (code) => {
      for (const waiter of pending.values()) waiter.reject(new Error(`fleet instance exited (${code})`));
      pending.clear();
      reject(new Error(`fleet instance exited before it was ready (${code})`));
    });
    const send = <T>(message: object): Promise<T> =>
      new Promise<T>((res, rej) => {
        const id = nextId++;
        pending.set(id, { resolve: res, reject: rej });
        child.send({ id, message });
      });
    const instance: FleetInstance = {
      pid: child.pid,
      setup: (args) => send({ cmd: "setup", args }),
      load: (request) => send({ cmd: "load", args: request }),
      health: () => send({ cmd: "health" }),
      events: () => send({ cmd: "events" }),
      stats: () => send({ cmd: "stats" }),
    };
  });

/** Starts `n` instance processes side by side. */
export const startFleet = async (n: number): Promise<Fleet> => {
  const workerPath = await bundleWorker();
  const started = await Promise.all(Array.from({ length: n }, () => startInstance(workerPath)));
  return {
    instances: started.map((s) => s.instance),
    async close() {
      await Promise.all(
        started.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
              child.once("exit", () => {
                clearTimeout(timer);
                resolve();
              });
              child.send({ id: 0, message: { cmd: "exit" } });
            }),
        ),
      );
    },
  };
};
