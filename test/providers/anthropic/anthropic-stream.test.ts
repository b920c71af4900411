import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { StreamPart } from "../../../src/spec/stream.js";
import type { MockProvider } from "../../../src/testing/index.js";
import {
  attempt,
  caught,
  collect,
  MODEL,
  providerFor,
  request,
  startAnthropicMock,
  weatherTool,
} from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startAnthropicMock();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe("anthropic stream", () => {
  it("yields text deltas as they arrive, then one finish with usage, model and id", async () => {
    mock.script(
      mock.faults.reply({
        text: "Hello, streaming world",
        chunkSize: 5,
        usage: { inputTokens: 50, outputTokens: 6, cachedInputTokens: 20 },
      }),
    );
    const { parts, text, finish } = await collect(await providerFor(mock).stream(request(), attempt()));
    expect(text).toBe("Hello, streaming world");
    expect(parts.filter((p) => p.type === "text").map((p) => (p as { text: string }).text)).toEqual([
      "Hello",
      ", str",
      "eamin",
      "g wor",
      "ld",
    ]);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
    expect(parts.at(-1)).toBe(finish);
    expect(finish).toMatchObject({
      finishReason: { unified: "stop", raw: "end_turn" },
      usage: { inputTokens: 50, outputTokens: 6, cachedInputTokens: 20, totalTokens: 56 },
      model: MODEL,
    });
    expect(finish!.id).toMatch(/^msg_/);
  });

  it("streams tool calls: a first delta with id and name, argument pieces, then the parsed call", async () => {
    mock.script(
      mock.faults.reply({
        text: "Checking.",
        chunkSize: 6,
        toolCalls: [
          { id: "toolu_a", name: "get_weather", arguments: { city: "Paris" } },
          { id: "toolu_b", name: "get_time", arguments: {} },
        ],
      }),
    );
    const { parts, text, finish } = await collect(
      await providerFor(mock).stream(request({ tools: [weatherTool] }), attempt()),
    );
    expect(text).toBe("Checking.");
    const toolParts = parts.filter((p) => p.type === "tool-call-delta" || p.type === "tool-call");
    const first = toolParts.filter(
      (p): p is Extract<StreamPart, { type: "tool-call-delta" }> => p.type === "tool-call-delta",
    );
    expect(first[0]).toEqual({
      type: "tool-call-delta",
      index: 0,
      id: "toolu_a",
      name: "get_weather",
      argumentsDelta: "",
    });
    const pieces = first.filter((p) => p.index === 0).map((p) => p.argumentsDelta);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join("")).toBe('{"city":"Paris"}');
    expect(toolParts.filter((p) => p.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: {
          id: "toolu_a",
          name: "get_weather",
          arguments: { city: "Paris" },
          rawArguments: '{"city":"Paris"}',
        },
      },
      {
        type: "tool-call",
        index: 1,
        toolCall: { id: "toolu_b", name: "get_time", arguments: {}, rawArguments: "{}" },
      },
    ]);
    // The call's completion comes after its pieces and before the next call starts.
    const order = toolParts.map((p) => `${p.type}:${p.index}`);
    expect(order.lastIndexOf("tool-call-delta:0")).toBeLessThan(order.indexOf("tool-call:0"));
    expect(order.indexOf("tool-call:0")).toBeLessThan(order.indexOf("tool-call-delta:1"));
    expect(finish!.finishReason).toEqual({ unified: "tool-calls", raw: "tool_use" });
  });

  it("streams structured output as text", async () => {
    mock.script(mock.faults.reply({ json: { answer: 42 }, chunkSize: 3 }));
    const { text } = await collect(
      await providerFor(mock).stream(
        request({ responseFormat: { type: "json_schema", name: "a", schema: { type: "object" } } }),
        attempt(),
      ),
    );
    expect(JSON.parse(text)).toEqual({ answer: 42 });
  });

  it("replays a JSON Message sent with status 200 instead of an event stream", async () => {
    mock.script(
      mock.faults.status(200, {
        id: "msg_json",
        type: "message",
        role: "assistant",
        model: MODEL,
        content: [
          { type: "text", text: "Whole at once." },
          { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Oslo" } },
        ],
        stop_reason: "tool_use",
        usage: { input_tokens: 3, output_tokens: 4 },
      }),
    );
    const { parts } = await collect(await providerFor(mock).stream(request(), attempt()));
    expect(parts).toEqual([
      { type: "text", text: "Whole at once." },
      {
        type: "tool-call",
        index: 0,
        toolCall: {
          id: "toolu_1",
          name: "get_weather",
          arguments: { city: "Oslo" },
          rawArguments: '{"city":"Oslo"}',
        },
      },
      {
        type: "finish",
        finishReason: { unified: "tool-calls", raw: "tool_use" },
        usage: { inputTokens: 3, outputTokens: 4, cachedInputTokens: undefined, totalTokens: 7 },
        model: MODEL,
        id: "msg_json",
        // The body as it came, as a JSON call's `raw` is.
        raw: expect.objectContaining({ type: "message", id: "msg_json", stop_reason: "tool_use" }),
      },
    ]);
  });

  it("an error object sent as JSON with status 200 is classified by its type", async () => {
    mock.script(
      mock.faults.status(200, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
    );
    expect(await caught(() => providerFor(mock).stream(request(), attempt()))).toMatchObject({
      name: "ProviderError",
      failureClass: "overloaded",
    });
  });

  it("an HTML page with status 200 → invalid_response, the page never copied", async () => {
    mock.script(mock.faults.html(200));
    const error = await caught(() => providerFor(mock).stream(request(), attempt()));
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "invalid_response" });
    expect(error.message).toContain("HTML page instead of an event stream");
    expect(error.message).not.toMatch(/<|cloudflare/i);
    await expect.poll(() => mock.inFlight, { timeout: 2000 }).toBe(0);
  });

  it("maps a max_tokens stop to length", async () => {
    mock.script(mock.faults.reply({ text: "cut sho", finishReason: "max_tokens" }));
    const { finish } = await collect(await providerFor(mock).stream(request(), attempt()));
    expect(finish!.finishReason).toEqual({ unified: "length", raw: "max_tokens" });
  });

  it("aborts the HTTP stream when the consumer stops early", async () => {
    mock.script(mock.faults.reply({ text: "x".repeat(200), chunkSize: 1, eventIntervalMs: 20 }));
    const iterable = await providerFor(mock).stream(request(), attempt());
    const parts: StreamPart[] = [];
    for await (const part of iterable) {
      parts.push(part);
      if (parts.length === 2) break;
    }
    expect(parts).toHaveLength(2);
    await expect.poll(() => mock.inFlight, { timeout: 2000 }).toBe(0);
  });

  it("a stream read to its finish is read to its body's end, not cancelled (its connection is kept)", async () => {
    const cancel = vi.spyOn(ReadableStreamDefaultReader.prototype, "cancel");
    try {
      const provider = providerFor(mock);
      for (let i = 0; i < 3; i++) {
        mock.script(mock.faults.reply({ text: "Hello there", chunkSize: 4 }));
        const iterator = (await provider.stream(request(), attempt()))[Symbol.asyncIterator]();
        // As the engine does: stop at the finish part and return the iterator at once.
        for (let r = await iterator.next(); !r.done; r = await iterator.next())
          if (r.value.type === "finish") break;
        await iterator.return?.();
      }
      await expect.poll(() => mock.inFlight, { timeout: 2000 }).toBe(0);
      expect(cancel).not.toHaveBeenCalled();
      // Stopping before the finish does cancel it.
      mock.script(mock.faults.reply({ text: "x".repeat(50), chunkSize: 1, eventIntervalMs: 20 }));
      const iterator = (await provider.stream(request(), attempt()))[Symbol.asyncIterator]();
      await iterator.next();
      await iterator.return?.();
      expect(cancel).toHaveBeenCalledTimes(1);
    } finally {
      cancel.mockRestore();
    }
  });

  it("ends without finish when the stream has no terminal event (the engine's truncation)", async () => {
    mock.script(mock.faults.noTerminal({ text: "Hello there", chunkSize: 4 }));
    const { text, finish } = await collect(await providerFor(mock).stream(request(), attempt()));
    expect(text).toBe("Hello there");
    expect(finish).toBeUndefined();
  });

  it("ends without finish when the connection is cut mid-stream", async () => {
    mock.script(mock.faults.cut(2, { text: "Hello there, friend", chunkSize: 4 }));
    const iterable = await providerFor(mock).stream(request(), attempt());
    const parts: StreamPart[] = [];
    let error: any;
    try {
      for await (const part of iterable) parts.push(part);
    } catch (e) {
      error = e;
    }
    expect(parts.some((p) => p.type === "finish")).toBe(false);
    if (error !== undefined)
      expect(error).toMatchObject({ name: "ProviderError", failureClass: "connection" });
  });
});
