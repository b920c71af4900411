import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { registeredCallCount } from "../../../src/providers/mistral/hook-sdk-calls.js";
import { mistral } from "../../../src/providers/mistral/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import {
  API_KEY,
  attempt,
  collect,
  collectUntilError,
  hello,
  textOf,
  adapterFor as userClientAdapter,
} from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "mistral" });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const finishOf = (parts: StreamPart[]) => parts.filter((part) => part.type === "finish");

const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const DONE = "data: [DONE]\n\n";
const base = { id: "s1", object: "chat.completion.chunk", created: 1, model: "magistral-medium-latest" };
const chunk = (delta: unknown, finishReason: string | null = null) => ({
  ...base,
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});
const sseBody = (text: string) => faults.status(200, text, { "content-type": "text/event-stream" });

/** An adapter over a client it builds itself (with its own fetcher), pointed at the mock. */
const builtClientAdapter = (
  mock: MockProvider,
  options: Partial<Parameters<typeof mistral>[0]> = {},
): ProviderAdapter =>
  mistral({ apiKey: API_KEY, serverURL: mock.baseURL, model: "mistral-small-latest", ...options });

// Both read the event stream from the raw body (see hook-sdk-calls.ts), through the SDK's request.
describe.each([
  ["a user's client", userClientAdapter],
  ["a client built from options", builtClientAdapter],
])("mistral stream, with %s", (_label, adapterFor) => {
  it("streams text, then one finish with usage", async () => {
    mock.script(
      mock.faults.reply({
        text: "Hello there, streaming world",
        chunkSize: 5,
        usage: { inputTokens: 50, outputTokens: 6, cachedInputTokens: 20 },
      }),
    );
    const parts = await collect(await adapterFor(mock).stream(hello(), attempt()));
    expect(parts.filter((part) => part.type === "text").length).toBeGreaterThan(1);
    expect(textOf(parts)).toBe("Hello there, streaming world");
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: 50, outputTokens: 6, cachedInputTokens: 20, totalTokens: 56 },
      model: "mistral-small-latest",
      id: expect.any(String),
    });
    expect(finishOf(parts)).toHaveLength(1);
    expect(mock.lastRequest?.stream).toBe(true);
  });

  it("yields each whole tool call as a delta as it arrives, then the parsed calls, each with its own index", async () => {
    mock.script(
      mock.faults.reply({
        text: "Checking.",
        toolCalls: [
          { id: "aaaaaaaa1", name: "get_weather", arguments: { city: "Paris" } },
          { id: "bbbbbbbb2", name: "get_time", arguments: { zone: "CET" } },
        ],
      }),
    );
    const parts = await collect(
      await adapterFor(mock).stream(
        hello({ tools: [{ name: "get_weather", parameters: { type: "object" } }] }),
        attempt(),
      ),
    );
    const toolParts = parts.filter((part) => part.type === "tool-call-delta" || part.type === "tool-call");
    expect(toolParts).toEqual([
      {
        type: "tool-call-delta",
        index: 0,
        id: "aaaaaaaa1",
        name: "get_weather",
        argumentsDelta: '{"city":"Paris"}',
      },
      {
        type: "tool-call-delta",
        index: 1,
        id: "bbbbbbbb2",
        name: "get_time",
        argumentsDelta: '{"zone":"CET"}',
      },
      {
        type: "tool-call",
        index: 0,
        toolCall: {
          id: "aaaaaaaa1",
          name: "get_weather",
          arguments: { city: "Paris" },
          rawArguments: '{"city":"Paris"}',
        },
      },
      {
        type: "tool-call",
        index: 1,
        toolCall: {
          id: "bbbbbbbb2",
          name: "get_time",
          arguments: { zone: "CET" },
          rawArguments: '{"zone":"CET"}',
        },
      },
    ]);
    expect(textOf(parts)).toBe("Checking.");
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      finishReason: { unified: "tool-calls", raw: "tool_calls" },
    });
  });

  it("streams structured output", async () => {
    mock.script(mock.faults.reply({ json: { answer: 42, list: [1, 2, 3] }, chunkSize: 4 }));
    const parts = await collect(
      await adapterFor(mock).stream(
        hello({ responseFormat: { type: "json_schema", name: "answer", schema: { type: "object" } } }),
        attempt(),
      ),
    );
    expect(JSON.parse(textOf(parts))).toEqual({ answer: 42, list: [1, 2, 3] });
    expect((mock.lastRequest!.body as any).response_format.type).toBe("json_schema");
  });

  it("ends without finish when the stream stops before a finish reason (truncation)", async () => {
    mock.script(mock.faults.noTerminal({ text: "Partial answer here", chunkSize: 4 }));
    const parts = await collect(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("Partial answer here");
    expect(finishOf(parts)).toHaveLength(0);
  });

  it("surfaces a cut connection mid-stream as connection, after the text already sent", async () => {
    mock.script(mock.faults.cut(2, { text: "one two three four five six", chunkSize: 4 }));
    const { parts, error } = await collectUntilError(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("one two ");
    expect(finishOf(parts)).toHaveLength(0);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "connection" });
  });

  it("classifies a malformed data line as invalid_response", async () => {
    mock.script(mock.faults.malformed(2, { text: "abcdefghijklmnop", chunkSize: 4 }));
    const { parts, error } = await collectUntilError(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("abcdefgh");
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "invalid_response" });
    expect((error as Error).message).not.toContain("Hel");
  });

  it("classifies finish_reason error (Mistral's in-band failure) as server_error", async () => {
    mock.script(mock.faults.inBandError({ afterEvents: 1, reply: { text: "abcdefgh", chunkSize: 4 } }));
    const { parts, error } = await collectUntilError(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("abcd");
    expect(error).toMatchObject({
      name: "ProviderError",
      failureClass: "server_error",
      providerCode: "error",
    });
    expect(finishOf(parts)).toHaveLength(0);
  });

  it("throws content_filter after the text already streamed", async () => {
    mock.script(
      mock.faults.contentFilterStream({ reply: { text: "some text that gets cut", chunkSize: 4 } }),
    );
    const { parts, error } = await collectUntilError(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts).length).toBeGreaterThan(0);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "content_filter" });
  });

  it("settles when headers arrive, before the first content", async () => {
    mock.script(mock.faults.slowFirstToken(60_000));
    const controller = new AbortController();
    const iterable = await adapterFor(mock).stream(hello(), attempt({ signal: controller.signal }));
    const iterator = iterable[Symbol.asyncIterator]();
    const next = iterator.next();
    controller.abort();
    await expect(next).rejects.toMatchObject({ name: "ProviderError", failureClass: "aborted" });
  });

  it("a stall is ended by the caller's abort (aborted), keep-alives do not matter", async () => {
    mock.script(mock.faults.stall(1, { pingIntervalMs: 5, reply: { text: "abcdefgh", chunkSize: 4 } }));
    const controller = new AbortController();
    const iterable = await adapterFor(mock).stream(hello(), attempt({ signal: controller.signal }));
    const parts: StreamPart[] = [];
    const consumed = (async () => {
      for await (const part of iterable) {
        parts.push(part);
        controller.abort();
      }
    })();
    await expect(consumed).rejects.toMatchObject({ failureClass: "aborted" });
    expect(textOf(parts)).toBe("abcd");
  });

  it("aborts the HTTP request when the consumer stops early", async () => {
    mock.script(mock.faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 4 } }));
    const iterable = await adapterFor(mock).stream(hello(), attempt());
    for await (const part of iterable) {
      expect(part).toEqual({ type: "text", text: "abcd" });
      break;
    }
    await expect.poll(() => mock.inFlight).toBe(0);
  });

  it("classifies the SDK's own deadline (timeoutMs) mid-stream as timeout", async () => {
    mock.script(mock.faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 4 } }));
    const iterable = await adapterFor(mock).stream(hello(), attempt({ timeoutMs: 150 }));
    const { parts, error } = await collectUntilError(iterable);
    expect(textOf(parts)).toBe("abcd");
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "timeout" });
  });

  it("handles thinking chunks and tool calls without ids in a hand-written stream", async () => {
    const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
    const base = { id: "s1", object: "chat.completion.chunk", created: 1, model: "magistral-medium-latest" };
    mock.script(
      mock.faults.status(
        200,
        frame({
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                role: "assistant",
                content: [{ type: "thinking", thinking: [{ type: "text", text: "hmm" }] }],
              },
              finish_reason: null,
            },
          ],
        }) +
          frame({
            ...base,
            choices: [{ index: 0, delta: { content: [{ type: "text", text: "Hi" }] }, finish_reason: null }],
          }) +
          frame({
            ...base,
            choices: [
              {
                index: 0,
                delta: { tool_calls: [{ function: { name: "f", arguments: { x: 1 } } }] },
                finish_reason: null,
              },
            ],
          }) +
          frame({
            ...base,
            choices: [{ index: 0, delta: { content: "" }, finish_reason: "tool_calls" }],
            usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
          }) +
          "data: [DONE]\n\n",
        { "content-type": "text/event-stream" },
      ),
    );
    const parts = await collect(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("Hi");
    const call = parts.find((part) => part.type === "tool-call");
    expect(call).toMatchObject({ toolCall: { name: "f", arguments: { x: 1 }, rawArguments: '{"x":1}' } });
    expect((call as any).toolCall.id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      model: "magistral-medium-latest",
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    });
  });

  it("classifies an error object inside the stream by its type, after the text before it", async () => {
    mock.script(
      sseBody(
        frame(chunk({ content: "ab" })) +
          frame({
            object: "error",
            message: "Service tier capacity exceeded for this model.",
            type: "service_tier_capacity_exceeded",
            param: null,
            code: "3505",
          }),
      ),
    );
    const { parts, error } = await collectUntilError(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("ab");
    expect(error).toMatchObject({
      name: "ProviderError",
      failureClass: "overloaded",
      providerCode: "service_tier_capacity_exceeded",
    });
  });

  it("classifies an event that is JSON but not a chunk as invalid_response", async () => {
    mock.script(sseBody(frame(chunk({ content: "ab" })) + frame([1, 2]) + DONE));
    const { parts, error } = await collectUntilError(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("ab");
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "invalid_response" });
  });

  it("keeps usage sent after the finish reason, and ends at [DONE] without waiting for the body's end", async () => {
    mock.script(
      sseBody(
        frame(chunk({ content: "Hi" })) +
          frame(chunk({ content: "" }, "length")) +
          frame({
            ...base,
            choices: [],
            usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
          }) +
          DONE +
          ": the server has not closed the body yet\n\n",
      ),
    );
    const parts = await collect(await adapterFor(mock).stream(hello(), attempt()));
    expect(parts).toEqual([
      { type: "text", text: "Hi" },
      {
        type: "finish",
        finishReason: { unified: "length", raw: "length" },
        usage: { inputTokens: 4, outputTokens: 1, cachedInputTokens: undefined, totalTokens: 5 },
        model: "magistral-medium-latest",
        id: "s1",
      },
    ]);
    expect(registeredCallCount()).toBe(0);
  });

  it("finishes when the body ends after the finish reason without [DONE], and ignores garbage after it", async () => {
    mock.script(sseBody(`${frame(chunk({ content: "Hi" }, "stop"))}data: {not json\n\n`));
    const parts = await collect(await adapterFor(mock).stream(hello(), attempt()));
    expect(textOf(parts)).toBe("Hi");
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "stop" } });
  });

  it("yields no finish when [DONE] comes without a finish reason (a truncation)", async () => {
    mock.script(sseBody(frame(chunk({ content: "Hi" })) + DONE));
    const parts = await collect(await adapterFor(mock).stream(hello(), attempt()));
    expect(parts).toEqual([{ type: "text", text: "Hi" }]);
  });

  it.each([
    ["a JSON completion", () => mock.faults.status(200, { id: "x", object: "chat.completion", choices: [] })],
    [
      "an HTML page",
      () =>
        mock.faults.status(200, "<html><body>Sign in to the portal</body></html>", {
          "content-type": "text/html",
        }),
    ],
  ])(
    "gives a typed error for %s with HTTP 200 instead of a stream (the SDK's own check)",
    async (_name, fault) => {
      mock.script(fault());
      const error = await adapterFor(mock)
        .stream(hello(), attempt())
        .then(collect)
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: "ProviderError", failureClass: "invalid_response", status: 200 });
      expect((error as Error).message).not.toContain("portal");
      expect(registeredCallCount()).toBe(0);
    },
  );
});

describe.each([
  ["a user's client", userClientAdapter],
  ["a client built from options", builtClientAdapter],
])("mistral stream cleanup, with %s", (_label, adapterFor) => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startMockProvider({ kind: "mistral" });
  });
  afterAll(() => mock.close());

  it("aborts the HTTP request when the stream is dropped before it is read", async () => {
    mock.script(mock.faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 4 } }));
    const iterable = await adapterFor(mock).stream(hello(), attempt());
    await expect.poll(() => mock.inFlight).toBe(1);
    await iterable[Symbol.asyncIterator]().return?.();
    await expect.poll(() => mock.inFlight).toBe(0);
  });
});
