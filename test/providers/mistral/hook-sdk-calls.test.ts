import { Mistral } from "@mistralai/mistralai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { registeredCallCount } from "../../../src/providers/mistral/hook-sdk-calls.js";
import { mistral } from "../../../src/providers/mistral/index.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, collect, collectUntilError, hello, textOf } from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "mistral" });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

interface HookRegistry {
  registerAfterSuccessHook(hook: { afterSuccess(context: unknown, response: Response): Response }): void;
}

/**
 * A user's `afterSuccess` hook that wraps the body, as a tracing hook does: it counts the bytes
 * that pass through it, which it sees only if it was given the real response.
 */
const countingHook = () => {
  const seen = { bytes: 0, calls: 0 };
  const hook = {
    afterSuccess(_context: unknown, response: Response): Response {
      seen.calls++;
      if (!response.body) return response;
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(counter), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  };
  return { seen, hook };
};

const hooksOf = (client: Mistral): HookRegistry =>
  (client as unknown as { _options: { hooks: HookRegistry } })._options.hooks;

/** An error object inside a 200 stream: read by the adapter it is `overloaded`, by the SDK a chunk it cannot validate. */
const inBandOverload = () =>
  faults.status(
    200,
    `data: ${JSON.stringify({ id: "s1", model: "m", choices: [{ index: 0, delta: { content: "ab" }, finish_reason: null }] })}\n\n` +
      `data: ${JSON.stringify({ object: "error", message: "capacity", type: "service_tier_capacity_exceeded", code: "3505" })}\n\n`,
    { "content-type": "text/event-stream" },
  );

describe("the SDK hooks of a stream() call", () => {
  it("a user's hook registered before the adapter's sees the real response, and the adapter reads what it returns", async () => {
    const client = new Mistral({ apiKey: API_KEY, serverURL: mock.baseURL });
    const { seen, hook } = countingHook();
    hooksOf(client).registerAfterSuccessHook(hook);
    const adapter = mistral({ client, model: "mistral-small-latest" });

    mock.script(mock.faults.reply({ text: "Hello there, streaming world", chunkSize: 5 }));
    const parts = await collect(await adapter.stream(hello(), attempt()));
    expect(textOf(parts)).toBe("Hello there, streaming world");
    expect(parts.at(-1)).toMatchObject({ type: "finish" });
    expect(seen.bytes).toBeGreaterThan(100);

    // Read by the adapter itself: the error object is classified by its type.
    mock.script(inBandOverload());
    const { error } = await collectUntilError(await adapter.stream(hello(), attempt()));
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "overloaded" });
    expect(registeredCallCount()).toBe(0);
  });

  it("a user's hook registered after the adapter's gets the real response: the SDK's stream is read then", async () => {
    const client = new Mistral({ apiKey: API_KEY, serverURL: mock.baseURL });
    const adapter = mistral({ client, model: "mistral-small-latest" });
    mock.script(mock.faults.reply({ text: "first" }));
    await collect(await adapter.stream(hello(), attempt())); // installs the adapter's hooks
    const { seen, hook } = countingHook();
    hooksOf(client).registerAfterSuccessHook(hook);

    mock.script(mock.faults.reply({ text: "Hello there, streaming world", chunkSize: 5 }));
    const parts = await collect(await adapter.stream(hello(), attempt()));
    expect(textOf(parts)).toBe("Hello there, streaming world");
    expect(parts.at(-1)).toMatchObject({ type: "finish" });
    expect(seen.calls).toBe(1);
    expect(seen.bytes).toBeGreaterThan(100);

    // Read through the SDK, which validates every chunk: the error object is not a valid chunk.
    mock.script(inBandOverload());
    const { error } = await collectUntilError(await adapter.stream(hello(), attempt()));
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "invalid_response" });
    expect(registeredCallCount()).toBe(0);
  });

  it("HTTP errors still go through the SDK's error path, with the user's afterSuccess hook not called", async () => {
    const client = new Mistral({ apiKey: API_KEY, serverURL: mock.baseURL });
    const { seen, hook } = countingHook();
    hooksOf(client).registerAfterSuccessHook(hook);
    const adapter = mistral({ client, model: "mistral-small-latest" });
    mock.script(mock.faults.rateLimited({ retryAfter: "2" }));
    await expect(adapter.stream(hello(), attempt())).rejects.toMatchObject({
      name: "ProviderError",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 2000,
    });
    expect(seen.calls).toBe(0);
    expect(registeredCallCount()).toBe(0);
  });
});
