import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openai } from "../../../src/providers/openai/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, request } from "./helpers.js";

/**
 * With garbage collection forced every few milliseconds, every wait must still end: an abort or
 * timeout must reach fetch even if an abort link is only weakly held (as it is in Node 22's undici
 * for a `Request` carrying a signal).
 */
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let mock: MockProvider;
let gcTimer: ReturnType<typeof setInterval>;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "openai" });
  gcTimer = setInterval(gc, 3);
});
afterAll(async () => {
  clearInterval(gcTimer);
  await mock.close();
});
beforeEach(() => mock.reset());

const adapters: [string, () => ProviderAdapter][] = [
  [
    "a user's client",
    () => openai({ client: new OpenAI({ apiKey: API_KEY, baseURL: mock.baseURL }), model: "m" }),
  ],
  ["a client built from options", () => openai({ apiKey: API_KEY, baseURL: mock.baseURL, model: "m" })],
];

describe.each(adapters)("under GC pressure, with %s", (_label, makeAdapter) => {
  it("a stalled stream ends on the caller's abort and frees the connection", async () => {
    const adapter = makeAdapter();
    mock.setDefault(faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 4 } }));
    const before = mock.inFlight;
    for (let i = 0; i < 2; i++) {
      const controller = new AbortController();
      const iterator = (await adapter.stream(request(), attempt(controller.signal)))[Symbol.asyncIterator]();
      expect(await iterator.next()).toEqual({ done: false, value: { type: "text", text: "abcd" } });
      const next = iterator.next();
      setTimeout(() => controller.abort(), 30);
      await expect(next).rejects.toMatchObject({ failureClass: "aborted" });
    }
    await expect.poll(() => mock.inFlight, { timeout: 3000 }).toBe(before);
  });

  it("return() while a read is stalled ends at once and frees the connection", async () => {
    const adapter = makeAdapter();
    mock.setDefault(faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 4 } }));
    const before = mock.inFlight;
    const iterator = (await adapter.stream(request(), attempt()))[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(iterator.return?.()).resolves.toMatchObject({ done: true });
    await expect(pending).resolves.toMatchObject({ done: true });
    await expect.poll(() => mock.inFlight, { timeout: 3000 }).toBe(before);
  });

  it("a black hole times out or aborts (generate and stream) and frees the connection", async () => {
    const adapter = makeAdapter();
    mock.setDefault(faults.blackHole());
    const before = mock.inFlight;
    for (let i = 0; i < 2; i++) {
      await expect(adapter.generate(request(), attempt(undefined, 40))).rejects.toMatchObject({
        failureClass: "timeout",
      });
      await expect(adapter.stream(request(), attempt(undefined, 40))).rejects.toMatchObject({
        failureClass: "timeout",
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      await expect(adapter.generate(request(), attempt(controller.signal))).rejects.toMatchObject({
        failureClass: "aborted",
      });
    }
    await expect.poll(() => mock.inFlight, { timeout: 3000 }).toBe(before);
  });
});
