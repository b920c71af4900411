import { once } from "node:events";
import http from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ClientStalledError,
  createClient,
  type FailoverClient,
  isAiFailoverError,
  openai,
  pipeSSE,
} from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { eventsOf, listen, parseFrames, type RunningServer, readAll } from "./helpers.js";

const ask = { messages: [{ role: "user" as const, content: "Where is my order?" }] };

describe("pipeSSE", () => {
  let mock: MockProvider;
  let llm: FailoverClient;
  let server: RunningServer;
  /** What the route does; each test sets it. */
  let route: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

  beforeAll(async () => {
    mock = await startMockProvider({ kind: "openai" });
    server = await listen(http.createServer((req, res) => void route(req, res)));
  });
  afterAll(async () => {
    await server.close();
    await mock.close();
  });
  beforeEach(() => {
    mock.reset();
    llm = createClient({
      providers: [
        openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mock.baseURL }), model: "gpt-4.1" }),
      ],
      retry: { maxRetries: 0 },
    });
  });

  it("never writes while the socket is full, and sends the whole answer", async () => {
    mock.script(faults.reply({ text: "y".repeat(200_000), chunkSize: 10_000 }));
    let writes = 0;
    let full = false;
    let writesWhileFull = 0;
    route = (_req, res) => {
      const write = res.write.bind(res);
      // Every 5th write finds the socket full; it drains 20 ms later (real sockets on loopback
      // rarely fill up, so the full buffer is played here, on the real response).
      res.write = ((chunk: string) => {
        if (full) writesWhileFull++;
        write(chunk);
        if (++writes % 5 !== 0) return true;
        full = true;
        setTimeout(() => {
          full = false;
          res.emit("drain");
        }, 20);
        return false;
      }) as typeof res.write;
      return pipeSSE(llm.stream(ask), res);
    };
    const events = eventsOf(
      parseFrames(await readAll(await fetch(`${server.url}/chat`, { method: "POST" }))),
    );
    expect(events.filter((e) => e.event === "text").reduce((n, e) => n + e.data.text.length, 0)).toBe(
      200_000,
    );
    expect(events.at(-1)?.event).toBe("finish");
    expect(writes).toBeGreaterThan(20);
    expect(writesWhileFull).toBe(0);
  });

  it("ends, and cancels the call, when the client leaves while it waits for drain", async () => {
    mock.script(faults.stall(2));
    let piped: Promise<void> | undefined;
    route = async (_req, res) => {
      const write = res.write.bind(res);
      res.write = ((chunk: string) => {
        write(chunk);
        if (!chunk.includes("event: text")) return true;
        // The socket is full, and the client goes away before it drains: no `drain` will come.
        res.socket?.destroy();
        return false;
      }) as typeof res.write;
      piped = pipeSSE(llm.stream(ask), res);
    };
    await fetch(`${server.url}/chat`, { method: "POST" })
      .then(readAll)
      .catch(() => undefined);
    await vi.waitFor(() => expect(piped).toBeDefined());
    await expect(piped).resolves.toBeUndefined();
    // The stall would hold the provider request until the idle deadline (30 s).
    await vi.waitFor(() => expect(mock.inFlight).toBe(0), { timeout: 5_000 });
  });

  it("sends nothing to the provider when the client left before pipeSSE was called", async () => {
    let piped: Promise<void> | undefined;
    route = async (_req, res) => {
      await once(res, "close");
      piped = pipeSSE(llm.stream(ask), res);
    };
    const client = new AbortController();
    const pending = fetch(`${server.url}/chat`, { method: "POST", signal: client.signal }).catch(
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.abort();
    await pending;
    await vi.waitFor(() => expect(piped).toBeDefined());
    await expect(piped).resolves.toBeUndefined();
    expect(mock.callCount).toBe(0);
  });

  it("an async onError that rejects (a logger that is down) is contained: the client still gets its error event", async () => {
    mock.script(faults.serverError(503), faults.serverError(503));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let logged = 0;
      route = (_req, res) =>
        pipeSSE(llm.stream(ask), res, {
          onError: async () => {
            logged++;
            throw new Error("log shipper down");
          },
        });
      const response = await fetch(`${server.url}/chat`, { method: "POST" });
      expect(response.status).toBeGreaterThanOrEqual(500);
      await readAll(response);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(logged).toBe(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("gives up a client that is connected but stopped reading: call cancelled, socket destroyed, onError told", async () => {
    mock.script(faults.reply({ text: "z".repeat(4_000), chunkSize: 100, eventIntervalMs: 5 }));
    const errors: unknown[] = [];
    let piped: Promise<void> | undefined;
    let destroyed = false;
    route = (_req, res) => {
      // A client that never reads: every write finds the socket full, and it never drains.
      res.write = ((chunk: string) => {
        void chunk;
        return false;
      }) as typeof res.write;
      const destroy = res.destroy.bind(res);
      res.destroy = ((error?: Error) => {
        destroyed = true;
        return destroy(error);
      }) as typeof res.destroy;
      piped = pipeSSE(llm.stream(ask), res, { stalledClientMs: 100, onError: (error) => errors.push(error) });
      return piped;
    };
    await fetch(`${server.url}/chat`, { method: "POST" }).catch(() => undefined);
    await vi.waitFor(() => expect(piped).toBeDefined());
    await expect(piped).resolves.toBeUndefined();
    expect(destroyed).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ClientStalledError);
    expect(isAiFailoverError(errors[0])).toBe(true);
    await vi.waitFor(() => expect(mock.inFlight).toBe(0), { timeout: 5_000 });
  });

  it("rejects, and cancels the call, when the response itself throws", async () => {
    mock.script(faults.stall(1));
    let piped: Promise<void> | undefined;
    route = async (_req, res) => {
      piped = pipeSSE(llm.stream(ask), res, { headers: { "x-bad": "line\nbreak" } });
      await piped.catch(() => res.destroy());
    };
    await fetch(`${server.url}/chat`, { method: "POST" }).catch(() => undefined);
    await expect(piped).rejects.toMatchObject({ code: "ERR_INVALID_CHAR" });
    await vi.waitFor(() => expect(mock.inFlight).toBe(0), { timeout: 5_000 });
  });
});
