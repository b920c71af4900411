import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { openai } from "../../../src/providers/openai/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, caught, collect, request, weatherTool } from "./helpers.js";

let mock: MockProvider;
let provider: ProviderAdapter;

beforeAll(async () => {
  mock = await startMockProvider({ kind: "openai" });
  provider = openai({ apiKey: API_KEY, baseURL: mock.baseURL, model: "gpt-4o-mini" });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

describe("openai stream", () => {
  it("yields text as it arrives, then one finish with usage (cached tokens), model and id", async () => {
    mock.script(
      faults.reply({
        text: "Hello, streaming world",
        chunkSize: 5,
        usage: { inputTokens: 40, outputTokens: 6, cachedInputTokens: 32 },
      }),
    );
    const { parts, text, finish } = await collect(await provider.stream(request(), attempt()));
    expect(text).toBe("Hello, streaming world");
    expect(parts.filter((p) => p.type === "text").map((p) => (p as { text: string }).text)).toEqual([
      "Hello",
      ", str",
      "eamin",
      "g wor",
      "ld",
    ]);
    expect(parts.at(-1)).toBe(finish);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
    expect(finish).toMatchObject({
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: 40, outputTokens: 6, cachedInputTokens: 32, totalTokens: 46 },
      model: "gpt-4o-mini",
    });
    expect(finish?.id).toMatch(/^chatcmpl-/);
    expect(mock.lastRequest?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("streams tool-call deltas (id and name with the first argument text), then whole tool calls, then finish", async () => {
    mock.script(
      faults.reply({
        chunkSize: 6,
        toolCalls: [
          { id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
          { id: "call_2", name: "get_weather", arguments: { city: "Oslo" } },
        ],
      }),
    );
    const { parts, finish } = await collect(
      await provider.stream(request({ tools: [weatherTool] }), attempt()),
    );
    const deltas = parts.filter((p) => p.type === "tool-call-delta");
    expect(deltas[0]).toEqual({
      type: "tool-call-delta",
      index: 0,
      id: "call_1",
      name: "get_weather",
      argumentsDelta: '{"city',
    });
    expect(deltas[1]).toEqual({ type: "tool-call-delta", index: 0, argumentsDelta: '":"Par' });
    const args = (index: number) =>
      deltas
        .filter((d) => d.type === "tool-call-delta" && d.index === index)
        .map((d) => (d as { argumentsDelta: string }).argumentsDelta)
        .join("");
    expect(args(0)).toBe('{"city":"Paris"}');
    expect(args(1)).toBe('{"city":"Oslo"}');
    expect(parts.filter((p) => p.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: {
          id: "call_1",
          name: "get_weather",
          arguments: { city: "Paris" },
          rawArguments: '{"city":"Paris"}',
        },
      },
      {
        type: "tool-call",
        index: 1,
        toolCall: {
          id: "call_2",
          name: "get_weather",
          arguments: { city: "Oslo" },
          rawArguments: '{"city":"Oslo"}',
        },
      },
    ]);
    expect(finish?.finishReason).toEqual({ unified: "tool-calls", raw: "tool_calls" });
  });

  it("ends without a finish part when the stream has no terminal event (the engine calls it truncated)", async () => {
    mock.script(faults.noTerminal({ text: "partial answer" }));
    const { text, finish } = await collect(await provider.stream(request(), attempt()));
    expect(text).toBe("partial answer");
    expect(finish).toBeUndefined();
  });

  it("a connection cut mid-stream never yields a finish part", async () => {
    mock.script(faults.cut(2, { text: "one two three four five", chunkSize: 4 }));
    const seen: StreamPart[] = [];
    const error = await caught(async () => {
      for await (const part of await provider.stream(request(), attempt())) seen.push(part);
      throw new Error("ended quietly");
    });
    expect(seen.some((p) => p.type === "finish")).toBe(false);
    expect(seen.filter((p) => p.type === "text")).toHaveLength(2);
    // A destroyed socket surfaces as a connection error (undici: "terminated", UND_ERR_SOCKET).
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "connection" });
  });

  it("stopping early (return) closes the connection", async () => {
    mock.script(faults.stall(2, { reply: { text: "abcdefghijklmnop", chunkSize: 2 } }));
    const iterable = await provider.stream(request(), attempt());
    for await (const part of iterable) {
      expect(part.type).toBe("text");
      break;
    }
    await vi.waitFor(() => expect(mock.inFlight).toBe(0));
  });

  it("return() while a read is pending releases it at once", async () => {
    mock.script(faults.stall(1, { reply: { text: "abcdefghijklmnop", chunkSize: 2 } }));
    const iterator = (await provider.stream(request(), attempt()))[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ type: "text", text: "ab" });
    const pending = iterator.next();
    await iterator.return?.();
    expect(await pending).toMatchObject({ done: true });
    await vi.waitFor(() => expect(mock.inFlight).toBe(0));
  });

  it("aborting the signal mid-stream throws aborted (after the text already yielded)", async () => {
    mock.script(faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 2 } }));
    const controller = new AbortController();
    const seen: StreamPart[] = [];
    const error = await caught(async () => {
      for await (const part of await provider.stream(request(), attempt(controller.signal))) {
        seen.push(part);
        controller.abort();
      }
    });
    expect(seen).toEqual([{ type: "text", text: "ab" }]);
    expect(error).toMatchObject({ failureClass: "aborted" });
  });

  it("keep-alive comments during a stall yield nothing", async () => {
    mock.script(faults.stall(1, { pingIntervalMs: 5, reply: { text: "abcdefgh", chunkSize: 2 } }));
    const controller = new AbortController();
    const seen: StreamPart[] = [];
    const error = await caught(async () => {
      for await (const part of await provider.stream(request(), attempt(controller.signal))) {
        seen.push(part);
        setTimeout(() => controller.abort(), 60);
      }
    });
    expect(seen).toEqual([{ type: "text", text: "ab" }]);
    expect(error).toMatchObject({ failureClass: "aborted" });
  });

  it("a server that answers a stream request with one JSON body is replayed as parts", async () => {
    mock.script(
      faults.status(200, {
        id: "chatcmpl-whole",
        model: "local-model",
        choices: [{ index: 0, message: { role: "assistant", content: "whole" }, finish_reason: "stop" }],
      }),
    );
    const { parts } = await collect(await provider.stream(request(), attempt()));
    expect(parts).toEqual([
      { type: "text", text: "whole" },
      {
        type: "finish",
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: undefined,
          outputTokens: undefined,
          cachedInputTokens: undefined,
          totalTokens: undefined,
        },
        model: "local-model",
        id: "chatcmpl-whole",
        raw: expect.objectContaining({ id: "chatcmpl-whole" }),
      },
    ]);
  });
});
