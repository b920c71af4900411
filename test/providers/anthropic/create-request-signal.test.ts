import { queryObjects } from "node:v8";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunningAttempt } from "../../../src/engine/running-attempt.js";
import { anthropic, createClient } from "../../../src/index.js";
import { createRequestSignal } from "../../../src/providers/anthropic/create-request-signal.js";
import type { MockProvider } from "../../../src/testing/index.js";
import { API_KEY, MODEL, startAnthropicMock } from "./helpers.js";

describe("createRequestSignal", () => {
  it("aborts a microtask after the attempt's signal, and at once when it already is", async () => {
    const attempt = new AbortController();
    const signal = createRequestSignal(attempt.signal);
    attempt.abort(new Error("deadline"));
    expect(signal.aborted).toBe(false);
    await Promise.resolve();
    expect(signal.aborted).toBe(true);
    expect(createRequestSignal(attempt.signal).aborted).toBe(true);
  });
});

describe("failed Anthropic streams", () => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startAnthropicMock();
  });
  afterAll(() => mock.close());

  it("leave no attempt behind once their calls settled (the SDK keeps its request controller until the body is collected)", async () => {
    const client = createClient({
      providers: [
        anthropic({ client: new Anthropic({ apiKey: API_KEY, baseURL: mock.baseURL }), model: MODEL }),
      ],
      retry: { maxRetries: 0 },
    });
    const messages = [{ role: "user" as const, content: "Hi" }];
    for (const fault of [
      mock.faults.cut(2),
      mock.faults.inBandError({ afterEvents: 2 }),
      mock.faults.malformed(1),
      mock.faults.noTerminal(),
    ]) {
      mock.script(fault);
      // Caught here rather than by `expect().rejects`, which keeps the last error (and, through its
      // stack, the frames that threw it) for its report.
      const failed = await client.chat({ messages }).then(
        () => false,
        () => true,
      );
      expect(failed).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(queryObjects(RunningAttempt as never, { format: "count" })).toBe(0);
  });
});
