import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { registeredCallCount } from "../../../src/providers/mistral/hook-sdk-calls.js";
import { mistral } from "../../../src/providers/mistral/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import { type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, adapterFor, attempt, hello } from "./helpers.js";

/**
 * Regression: the Mistral SDK gives fetch a `Request` carrying the signal; in Node 22's undici that
 * abort link is weakly held and lost after a GC, so a timed-out or aborted call to a black hole
 * never settled. With garbage collection forced every millisecond, every wait must still end.
 */
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let mock: MockProvider;
let gcTimer: ReturnType<typeof setInterval>;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "mistral" });
  gcTimer = setInterval(gc, 3);
});
afterAll(async () => {
  clearInterval(gcTimer);
  await mock.close();
});

beforeEach(() => mock.reset());

const adapters: [string, () => ProviderAdapter, boolean][] = [
  // With a user's client the SDK sends a clone of its request whose abort link undici holds only
  // weakly: the adapter holds the requests it sends until the attempt ends (hook-sdk-calls.ts),
  // so its sockets close too.
  ["a user's client", () => adapterFor(mock), true],
  [
    "a client built from options",
    () => mistral({ apiKey: API_KEY, serverURL: mock.baseURL, model: "m" }),
    true,
  ],
];

describe.each(adapters)("under GC pressure, with %s", (_label, makeAdapter) => {
  it("a stalled stream ends on the caller's abort and frees the connection", async () => {
    const adapter = makeAdapter();
    // A default, not a script: a late request from a previous test must not take this test's fault.
    mock.setDefault(mock.faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 4 } }));
    const before = mock.inFlight;
    for (let i = 0; i < 2; i++) {
      const controller = new AbortController();
      const iterator = (await adapter.stream(hello(), attempt({ signal: controller.signal })))[
        Symbol.asyncIterator
      ]();
      expect(await iterator.next()).toEqual({ done: false, value: { type: "text", text: "abcd" } });
      const next = iterator.next();
      setTimeout(() => controller.abort(), 30);
      await expect(next).rejects.toMatchObject({ failureClass: "aborted" });
    }
    await expect.poll(() => mock.inFlight, { timeout: 3000 }).toBe(before);
  });

  it("return() while a read is stalled ends at once and frees the connection", async () => {
    const adapter = makeAdapter();
    mock.setDefault(mock.faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 4 } }));
    const before = mock.inFlight;
    const iterator = (await adapter.stream(hello(), attempt()))[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(iterator.return?.()).resolves.toMatchObject({ done: true });
    await expect(pending).rejects.toMatchObject({ failureClass: "aborted" });
    await expect.poll(() => mock.inFlight, { timeout: 3000 }).toBe(before);
  });
});

// Last, and the built client first: with a user's client an aborted request may still reach the mock
// later and stay open, which would disturb the connection counts of the tests above.
describe.each([...adapters].reverse())(
  "black holes under GC pressure, with %s",
  (_label, makeAdapter, closesBlackHoles) => {
    it("a JSON reply stalled after its headers ends on the deadline and frees the connection", async () => {
      const adapter = makeAdapter();
      mock.setDefault(mock.faults.stall(0));
      const before = mock.inFlight;
      for (let i = 0; i < 3; i++) {
        await expect(adapter.generate(hello(), attempt({ timeoutMs: 60 }))).rejects.toMatchObject({
          failureClass: "timeout",
        });
      }
      if (closesBlackHoles) await expect.poll(() => mock.inFlight, { timeout: 3000 }).toBe(before);
      expect(registeredCallCount()).toBe(0);
    });

    it("a black hole times out (generate and stream)", async () => {
      const adapter = makeAdapter();
      mock.setDefault(mock.faults.blackHole());
      const before = mock.inFlight;
      for (let i = 0; i < 2; i++) {
        await expect(adapter.generate(hello(), attempt({ timeoutMs: 40 }))).rejects.toMatchObject({
          failureClass: "timeout",
        });
        await expect(adapter.stream(hello(), attempt({ timeoutMs: 40 }))).rejects.toMatchObject({
          failureClass: "timeout",
        });
      }
      if (closesBlackHoles) await expect.poll(() => mock.inFlight, { timeout: 3000 }).toBe(before);
    });
  },
);
