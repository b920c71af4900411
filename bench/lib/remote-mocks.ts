import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { MockFault, MockProviderKind } from "../../src/testing/index.js";
import type { HostCommand, HostReply, HostStats } from "./mock-host.js";

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

export interface MockHost {
  start(name: string, kind: MockProviderKind, options?: { text?: string }): Promise<RemoteMock>;
  close(): Promise<void>;
}

const hostEntry = fileURLToPath(new URL("./mock-host.ts", import.meta.url));

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
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await send({ op: "close" }).catch(() => {});
      child.disconnect();
      await gone;
    },
  };
};
