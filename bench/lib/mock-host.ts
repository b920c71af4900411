/**
 * Child-process entry: hosts the fault-injecting mock providers for the benchmarks, so the server's
 * CPU, heap and event loop never mix with the client side being measured. Commands arrive over IPC
 * (see remote-mocks.ts); every reply carries the command's id.
 */

import type { MockFault, MockProviderKind } from "../../src/testing/index.js";
import { type MockDefault, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { type PacedKind, type PacedServer, startPacedServer } from "./paced-server.js";
import type { Pacing } from "./pacing.js";

export type HostCommand =
  | { op: "start"; name: string; kind: MockProviderKind; text?: string }
  | { op: "setDefault"; name: string; fault: MockFault }
  | { op: "down"; name: string }
  | { op: "up"; name: string }
  | { op: "stats"; name: string }
  | { op: "reset"; name: string }
  | { op: "startPaced"; name: string; kind: PacedKind; pacing: Pacing }
  | { op: "pace"; name: string; pacing: Pacing }
  | { op: "pacedStats"; name: string }
  | { op: "close" };

export interface HostStats {
  callCount: number;
  inFlight: number;
}

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const mocks = new Map<string, MockProvider>();
const paced = new Map<string, PacedServer>();

const mockNamed = (name: string): MockProvider => {
  const mock = mocks.get(name);
  if (!mock) throw new Error(`no mock named ${name}`);
  return mock;
};

const pacedNamed = (name: string): PacedServer => {
  const server = paced.get(name);
  if (!server) throw new Error(`no paced mock named ${name}`);
  return server;
};

const handle = async (command: HostCommand): Promise<unknown> => {
  switch (command.op) {
    case "start": {
      const mock = await startMockProvider({
        kind: command.kind,
        name: command.name,
        recordRequests: false,
        ...(command.text !== undefined ? { defaultText: command.text } : {}),
      });
      mocks.set(command.name, mock);
      return { url: mock.url, baseURL: mock.baseURL };
    }
    case "setDefault":
      mockNamed(command.name).setDefault(command.fault as MockDefault);
      return null;
    case "down":
      await mockNamed(command.name).down();
      return null;
    case "up":
      await mockNamed(command.name).up();
      return null;
    case "stats": {
      const mock = mockNamed(command.name);
      return { callCount: mock.callCount, inFlight: mock.inFlight } satisfies HostStats;
    }
    case "reset":
      mockNamed(command.name).reset();
      return null;
    case "startPaced": {
      const server = await startPacedServer(command.kind, command.pacing);
      paced.set(command.name, server);
      return { url: server.url, baseURL: server.baseURL };
    }
    case "pace":
      pacedNamed(command.name).setPacing(command.pacing);
      return null;
    case "pacedStats":
      return pacedNamed(command.name).stats();
    case "close":
      await Promise.all([...mocks.values(), ...paced.values()].map((mock) => mock.close()));
      mocks.clear();
      paced.clear();
      return null;
  }
};

process.on("message", (message: { id: number; command: HostCommand }) => {
  handle(message.command).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies HostReply),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies HostReply),
  );
});
// The parent going away (crash, Ctrl-C) takes the host with it.
process.on("disconnect", () => process.exit(0));
process.send?.({ id: 0, ok: true, value: "ready" } satisfies HostReply);
