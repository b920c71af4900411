/**
 * A worker thread hosting mock provider servers, driven by messages from `remote-mocks.ts`. Load
 * and soak tests run the servers here so their CPU and heap stay out of the client's measurements.
 * Started with tsx's loader (it imports the TypeScript sources).
 */
import { parentPort } from "node:worker_threads";
import { type MockFault, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { pickWeighted, seededRandom } from "./prng.js";

export type MockOp =
  | { op: "start"; options: Parameters<typeof startMockProvider>[0] }
  | { op: "script"; handle: number; faults: MockFault[] }
  | { op: "setDefault"; handle: number; fault: MockFault }
  | { op: "setRandom"; handle: number; seed: number; table: { weight: number; value: MockFault }[] }
  | { op: "stats"; handle: number }
  | { op: "down" | "up" | "reset" | "close"; handle: number };

export interface MockStats {
  callCount: number;
  inFlight: number;
  /** Requests received per fault type served. */
  faults: Record<string, number>;
}

const port = parentPort!;
const mocks = new Map<number, MockProvider>();
let nextHandle = 1;

const stats = (mock: MockProvider): MockStats => {
  const faults: Record<string, number> = {};
  for (const request of mock.requests) faults[request.fault] = (faults[request.fault] ?? 0) + 1;
  return { callCount: mock.callCount, inFlight: mock.inFlight, faults };
};

const handle = async (message: MockOp): Promise<unknown> => {
  if (message.op === "start") {
    const mock = await startMockProvider(message.options);
    const id = nextHandle++;
    mocks.set(id, mock);
    return { handle: id, baseURL: mock.baseURL, url: mock.url, kind: mock.kind, name: mock.name };
  }
  const mock = mocks.get(message.handle);
  if (!mock) throw new Error(`no mock ${message.handle}`);
  switch (message.op) {
    case "script":
      mock.script(...message.faults);
      return undefined;
    case "setDefault":
      mock.setDefault(message.fault);
      return undefined;
    case "setRandom": {
      const random = seededRandom(message.seed);
      mock.setDefault(() => pickWeighted(message.table, random));
      return undefined;
    }
    case "stats":
      return stats(mock);
    case "down":
      return mock.down();
    case "up":
      return mock.up();
    case "reset":
      // Keep memory flat in long runs: recorded requests are dropped, counts restart.
      mock.reset();
      return undefined;
    case "close":
      await mock.close();
      mocks.delete(message.handle);
      return undefined;
  }
};

port.on("message", (envelope: { id: number; message: MockOp }) => {
  handle(envelope.message).then(
    (value) => port.postMessage({ id: envelope.id, ok: true, value }),
    (error: unknown) => port.postMessage({ id: envelope.id, ok: false, error: String(error) }),
  );
});
