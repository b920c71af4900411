/** Mistral wire details, read through the real @mistralai/mistralai SDK (and raw fetch where it hides them). */
import { Mistral } from "@mistralai/mistralai";
import * as MistralErrors from "@mistralai/mistralai/models/errors";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEY, readUntil, rejection } from "./helpers.js";

const params = { model: "mistral-large-latest", messages: [{ role: "user" as const, content: "Hi" }] };

function mistralClient(mock: MockProvider, timeoutMs = 5000): Mistral {
  return new Mistral({ apiKey: API_KEY, serverURL: mock.baseURL, timeoutMs });
}

describe("mistral wire", () => {
  let mock: MockProvider;
  let client: Mistral;
  beforeAll(async () => {
    mock = await startMockProvider({ kind: "mistral" });
    client = mistralClient(mock);
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  test("non-stream response passes the SDK's zod schema", async () => {
    mock.script(faults.reply({ usage: { inputTokens: 8, outputTokens: 2 } }));
    const res = await client.chat.complete(params);
    expect(res).toMatchObject({
      object: "chat.completion",
      model: "mistral-large-latest",
      usage: { promptTokens: 8, completionTokens: 2, totalTokens: 10 },
      choices: [
        { index: 0, finishReason: "stop", message: { role: "assistant", content: "Hello from mistral" } },
      ],
    });
    expect(res.id).toMatch(/^[0-9a-f]{32}$/);
    expect(mock.lastRequest?.headers.authorization).toBe("[redacted]");
  });

  test("stream: role chunk, content chunks, finish + usage chunk, [DONE]", async () => {
    mock.script(faults.reply({ text: "abcdefghij", chunkSize: 5 }));
    const chunks = [];
    for await (const event of await client.chat.stream(params)) chunks.push(event.data);
    expect(chunks[0]!.choices[0]!.delta).toMatchObject({ role: "assistant", content: "" });
    expect(chunks.slice(1, 3).map((c) => c.choices[0]!.delta.content)).toEqual(["abcde", "fghij"]);
    const last = chunks.at(-1)!;
    expect(last.choices[0]!.finishReason).toBe("stop");
    expect(last.usage?.totalTokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
  });

  test("streamed tool call arrives whole, in one delta", async () => {
    mock.script(
      faults.reply({ toolCalls: [{ id: "abcDEF123", name: "get_weather", arguments: { city: "Paris" } }] }),
    );
    const calls = [];
    for await (const event of await client.chat.stream(params))
      calls.push(...(event.data.choices[0]?.delta.toolCalls ?? []));
    expect(calls).toEqual([
      {
        id: "abcDEF123",
        type: "function",
        index: 0,
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);
  });

  test("errors are SDKError with the raw body; 401 is a bare {message}", async () => {
    mock.script(faults.rateLimited(), faults.auth(), faults.contextLength());
    const rate = await rejection(client.chat.complete(params));
    expect(rate).toBeInstanceOf(MistralErrors.SDKError);
    expect(rate.statusCode).toBe(429);
    expect(JSON.parse(rate.body)).toMatchObject({ object: "error", type: "rate_limited", code: "1300" });
    const auth = await rejection(client.chat.complete(params));
    expect(JSON.parse(auth.body)).toEqual({ message: "Unauthorized", request_id: expect.any(String) });
    const ctx = await rejection(client.chat.complete(params));
    expect(JSON.parse(ctx.body).message).toMatch(/too large for model with \d+ maximum context length/);
  });

  test("in-band error: a finish_reason 'error' chunk then [DONE]; the SDK does not throw", async () => {
    mock.script(faults.inBandError({ afterEvents: 1 }));
    const finishes = [];
    for await (const event of await client.chat.stream(params))
      finishes.push(event.data.choices[0]?.finishReason);
    expect(finishes.at(-1)).toBe("error");
  });

  test("stall with keep-alives sends SSE comments on the wire", async () => {
    mock.script(faults.stall(1, { pingIntervalMs: 5 }));
    const controller = new AbortController();
    const res = await fetch(`${mock.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...params, stream: true }),
      signal: controller.signal,
    });
    const text = await readUntil(res, (t) => t.split(": keep-alive").length > 3);
    controller.abort();
    expect(text).toContain('"content":"Hello fr"');
  });

  test("timeoutMs covers the whole stream: a stall ends in a raw TimeoutError DOMException", async () => {
    mock.script(faults.stall(1));
    const err = await rejection(
      (async () => {
        for await (const _ of await mistralClient(mock, 100).chat.stream(params)) {
          // drain
        }
      })(),
    );
    expect(err).toMatchObject({ name: "TimeoutError" });
  });
});
