import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { MockFault, MockProviderKind } from "../../src/testing/index.js";
import type { HostCommand, HostReply, HostStats } from "./mock-host.js";
import type { PacedKind } from "./paced-server.js";
import type { Pacing } from "./pacing.js";

/** A mock provider living in the mock-host child process, driven over IPC. */
export interface RemoteMock {
  readonly name: string;
  readonly kind: MockProviderKind;
  /** What to hand the SDK (`baseURL` / `serverURL`). */
  readonly baseURL: string;
  setDefault(fault: MockFault): Promise<void>;
  /** Stops listening and drops every connection: clients then get ECONNREFUSED. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Requests received since start or reset, and calls still being answered. */
  stats(): Promise<HostStats>;
  /** Clears the recorded requests and the default (back to a normal reply). */
  reset(): Promise<void>;
}

/** A paced mock (see paced-server.ts) in the mock-host child process. */
export interface PacedMock {
  readonly name: string;
  readonly kind: PacedKind;
  /** What to hand the SDK (`baseURL` / `serverURL`). */
  readonly baseURL: string;
  /** The server's origin (`http://127.0.0.1:port`), for raw `fetch` calls. */
  readonly url: string;
  /** Changes how every later request is answered. */
  pace(pacing: Pacing): Promise<void>;
  stats(): Promise<{ calls: number; inFlight: number }>;
}

export interface MockHost {
  start(name: string, kind: MockProviderKind, options?: { text?: string }): Promise<RemoteMock>;
  startPaced(name: string, kind: PacedKind, pacing: Pacing): Promise<PacedMock>;
  close(): Promise<void>;
}

/** The child's entry: next to this file, or (when bundled, e.g. by callgrind.ts) under the project root. */
const hostEntry = ((): string => {
  const beside = fileURLToPath(new URL("./mock-host.ts", import.meta.url));
  return existsSync(beside) ? beside : `${process.cwd()}/bench/lib/mock-host.ts`;
})();

/** Forks the mock host (a separate process: its CPU and heap stay out of the measurements). */
export const startMockHost = async (): Promise<MockHost> => {
  const child: ChildProcess = fork(hostEntry, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  child.on("message", (reply: HostReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`mock host: ${reply.error}`));
  });
  child.on("exit", (code) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`mock host exited (code ${code})`));
    pending.clear();
  });
  await ready;

  const send = <T>(command: HostCommand): Promise<T> => {
    if (exited) return Promise.reject(new Error("mock host has exited"));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, command });
    });
  };

  return {
    async start(name, kind, options = {}) {
      const { baseURL } = await send<{ baseURL: string }>({ op: "start", name, kind, ...options });
      return {
        name,
        kind,
        baseURL,
        setDefault: (fault) => send({ op: "setDefault", name, fault }),
        down: () => send({ op: "down", name }),
        up: () => send({ op: "up", name }),
        stats: () => send<HostStats>({ op: "stats", name }),
        reset: () => send({ op: "reset", name }),
      };
    },
    async startPaced(name, kind, pacing) {
      const { baseURL, url } = await send<{ baseURL: string; url: string }>({
        op: "startPaced",
        name,
        kind,
        pacing,
      });
      return {
        name,
        kind,
        baseURL,
        url,
        pace: (next) => send({ op: "pace", name, pacing: next }),
        stats: () => send({ op: "pacedStats", name }),
      };
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await send({ op: "close" }).catch(() => {});
      child.disconnect();
      await gone;
    },
  };
};
