import { afterEach, describe, expect, it, vi } from "vitest";
import { convertAnthropicStream } from "../../../src/providers/anthropic/convert-anthropic-stream.js";
import { SseEventReader } from "../../../src/providers/shared/read-sse-events.js";
import type { StreamPart } from "../../../src/spec/stream.js";

const context = { provider: "anthropic", model: "claude-test", signal: new AbortController().signal };

/** One wire event as Anthropic writes it: `event: <type>` then its JSON data. */
const sse = (data: { type: string } & Record<string, unknown>): string =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * A response body delivering `chunks` one read at a time, then its end (or, with `hang`, nothing
 * more: a server that keeps the connection open). Counts how often it was released.
 */
const bodyOf = (chunks: readonly string[], options: { hang?: boolean; fail?: Error } = {}) => {
  let i = 0;
  const state = { released: 0, reads: 0 };
  let hanging: ((result: IteratorResult<string>) => void) | undefined;
  const iterator: AsyncIterator<string> = {
    next: () => {
      state.reads++;
      if (i < chunks.length) return Promise.resolve({ done: false, value: chunks[i++]! });
      if (options.fail) return Promise.reject(options.fail);
      if (options.hang)
        return new Promise<IteratorResult<string>>((resolve) => {
          hanging = resolve;
        });
      return Promise.resolve({ done: true, value: undefined });
    },
    return: () => {
      state.released++;
      // As a web stream's cancel(): a read in progress ends.
      hanging?.({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  /** Ends a hanging body (its pending read gets the end). */
  const end = (): void => hanging?.({ done: true, value: undefined });
  return { body: { [Symbol.asyncIterator]: () => iterator }, state, end };
};

const streamOf = (chunks: readonly string[], signal = context.signal) =>
  convertAnthropicStream(new SseEventReader(bodyOf(chunks).body), { ...context, signal });

const run = async (chunks: readonly string[], signal = context.signal) => {
  const parts: StreamPart[] = [];
  let error: any;
  try {
    for await (const part of streamOf(chunks, signal)) parts.push(part);
  } catch (e) {
    error = e;
  }
  return { parts, error };
};

const start = sse({
  type: "message_start",
  message: { id: "msg_1", type: "message", model: "claude-x", usage: { input_tokens: 7, output_tokens: 1 } },
});
const text = (value: string, index = 0) =>
  sse({ type: "content_block_delta", index, delta: { type: "text_delta", text: value } });
const stop = (reason = "end_turn") =>
  sse({
    type: "message_delta",
    delta: { stop_reason: reason },
    usage: { output_tokens: 9, input_tokens: null },
  }) + sse({ type: "message_stop" });

afterEach(() => {
  vi.useRealTimers();
});

describe("convertAnthropicStream", () => {
  it("reads text and one finish with usage, model and id, across awkward chunk boundaries", async () => {
    const wire = [
      start,
      sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
      ": a comment\n\n",
      text("Hel"),
      sse({ type: "ping" }),
      text("lo"),
      sse({ type: "content_block_stop", index: 0 }),
      stop(),
    ]
      .join("")
      .replace(/\n/g, "\r\n");
    // Cut every 7 characters: lines, CRLFs and events split across reads.
    const chunks = wire.match(/[\s\S]{1,7}/g)!;
    const { parts, error } = await run(chunks);
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      { type: "text", text: "Hel" },
      { type: "text", text: "lo" },
      {
        type: "finish",
        finishReason: { unified: "stop", raw: "end_turn" },
        usage: { inputTokens: 7, outputTokens: 9, cachedInputTokens: undefined, totalTokens: 16 },
        model: "claude-x",
        id: "msg_1",
      },
    ]);
  });

  it("takes a tool input given whole in content_block_start (no deltas)", async () => {
    const { parts, error } = await run([
      start,
      sse({
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "t", name: "f", input: { a: 1 } },
      }),
      sse({ type: "content_block_stop", index: 0 }),
      stop("tool_use"),
    ]);
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      { type: "tool-call-delta", index: 0, id: "t", name: "f", argumentsDelta: "" },
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "t", name: "f", arguments: { a: 1 }, rawArguments: '{"a":1}' },
      },
      {
        type: "finish",
        finishReason: { unified: "tool-calls", raw: "tool_use" },
        usage: { inputTokens: 7, outputTokens: 9, cachedInputTokens: undefined, totalTokens: 16 },
        model: "claude-x",
        id: "msg_1",
      },
    ]);
  });

  it("skips thinking, signature and server-tool blocks and numbers tool calls by call, not by block", async () => {
    const { parts } = await run([
      start,
      sse({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } }),
      sse({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } }),
      sse({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQB" } }),
      sse({ type: "content_block_stop", index: 0 }),
      sse({
        type: "content_block_start",
        index: 1,
        content_block: { type: "server_tool_use", id: "s", name: "web_search", input: {} },
      }),
      sse({ type: "content_block_stop", index: 1 }),
      sse({
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: "t", name: "f", input: {} },
      }),
      sse({
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: '{"b":' },
      }),
      sse({ type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "2}" } }),
      sse({ type: "content_block_stop", index: 2 }),
      stop("tool_use"),
    ]);
    expect(
      parts.map((p) => (p.type === "finish" ? p.type : `${p.type}:${"index" in p ? p.index : ""}`)),
    ).toEqual(["tool-call-delta:0", "tool-call-delta:0", "tool-call-delta:0", "tool-call:0", "finish"]);
    expect(parts[3]).toMatchObject({ toolCall: { arguments: { b: 2 }, rawArguments: '{"b":2}' } });
  });

  const toolStart = (index: number, name = "f") =>
    sse({
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: `t${index}`, name, input: {} },
    });
  const toolInput = (index: number, json: string) =>
    sse({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: json } });
  const blockStop = (index: number) => sse({ type: "content_block_stop", index });

  it("invalid streamed tool JSON, the reply not cut by max_tokens → invalid_response", async () => {
    const { parts, error } = await run([
      start,
      toolStart(0),
      toolInput(0, '{"b":'),
      blockStop(0),
      stop("tool_use"),
    ]);
    expect(parts.some((part) => part.type === "tool-call" || part.type === "finish")).toBe(false);
    expect(error).toMatchObject({
      name: "ProviderError",
      failureClass: "invalid_response",
      message: expect.stringContaining("streamed tool-call input is not valid JSON"),
    });
  });

  it("tool input cut by max_tokens is an answer: the raw text as arguments, finish length (as OpenAI's)", async () => {
    const { parts, error } = await run([
      start,
      toolStart(0),
      toolInput(0, '{"a":1}'),
      blockStop(0),
      toolStart(1),
      toolInput(1, '{"orderId":"10'),
      blockStop(1),
      stop("max_tokens"),
    ]);
    expect(error).toBeUndefined();
    const calls = parts.flatMap((part) => (part.type === "tool-call" ? [part] : []));
    expect(calls.map((call) => [call.index, call.toolCall.arguments, call.toolCall.rawArguments])).toEqual([
      [0, { a: 1 }, '{"a":1}'],
      [1, '{"orderId":"10', '{"orderId":"10'],
    ]);
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      finishReason: { unified: "length", raw: "max_tokens" },
    });
  });

  it("a tool_use block never closed: invalid_response, unless max_tokens cut it (then its raw text)", async () => {
    const unclosed = await run([
      start,
      text("Let me look."),
      toolStart(1),
      toolInput(1, '{"city":"Par'),
      stop("tool_use"),
    ]);
    expect(unclosed.parts.some((part) => part.type === "finish")).toBe(false);
    expect(unclosed.error).toMatchObject({
      failureClass: "invalid_response",
      message: expect.stringContaining("a tool_use block was never closed"),
    });
    const cut = await run([start, toolStart(0), toolInput(0, '{"city":"Par'), stop("max_tokens")]);
    expect(cut.error).toBeUndefined();
    expect(cut.parts.find((part) => part.type === "tool-call")).toMatchObject({
      toolCall: { id: "t0", name: "f", arguments: '{"city":"Par' },
    });
  });

  it("a refusal that stops a tool's input midway is the answer: the half-written call is dropped", async () => {
    const refusal = sse({
      type: "message_delta",
      delta: { stop_reason: "refusal", stop_details: { category: "cyber", explanation: "declined" } },
      usage: { output_tokens: 9 },
    });
    for (const blocks of [
      [toolStart(0), toolInput(0, '{"to":"a@b.c","body":"how to'), blockStop(0)],
      [toolStart(0), toolInput(0, '{"to":"a@b.c","body":"how to')],
    ]) {
      const { parts, error } = await run([start, ...blocks, refusal, sse({ type: "message_stop" })]);
      expect(error).toBeUndefined();
      expect(parts.map((part) => part.type)).toEqual([
        "tool-call-delta",
        "tool-call-delta",
        "refusal",
        "finish",
      ]);
      expect(parts.at(-1)).toMatchObject({ finishReason: { unified: "content-filter", raw: "refusal" } });
    }
  });

  it("a tool call without a name → invalid_response: no app can dispatch it", async () => {
    const { error } = await run([
      start,
      toolStart(0, ""),
      toolInput(0, "{}"),
      blockStop(0),
      stop("tool_use"),
    ]);
    expect(error).toMatchObject({
      failureClass: "invalid_response",
      message: expect.stringContaining("no name"),
    });
  });

  it("a data line that is not JSON → invalid_response, after the parts before it", async () => {
    const { parts, error } = await run([
      start,
      text("hi"),
      "event: content_block_delta\ndata: {not json\n\n",
    ]);
    expect(parts).toEqual([{ type: "text", text: "hi" }]);
    expect(error).toMatchObject({
      name: "ProviderError",
      failureClass: "invalid_response",
      message: expect.stringContaining("a stream event is not valid JSON"),
    });
  });

  it("a second message_start mid-reply → invalid_response: two replies are never joined into one", async () => {
    const { parts, error } = await run([start, text("Hello "), start, text("Hello world"), stop()]);
    expect(parts).toEqual([{ type: "text", text: "Hello " }]);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "invalid_response" });
  });

  it("ends quietly without message_stop, but throws aborted when the signal was aborted", async () => {
    const body = [start, text("hi")];
    expect(await run(body)).toEqual({ parts: [{ type: "text", text: "hi" }], error: undefined });
    const controller = new AbortController();
    controller.abort();
    const aborted = await run(body, controller.signal);
    expect(aborted.parts).toEqual([{ type: "text", text: "hi" }]);
    expect(aborted.error).toMatchObject({ failureClass: "aborted" });
  });

  it("a failed read (a reset) → connection, after the parts before it", async () => {
    const { body } = bodyOf([start, text("hi")], { fail: new TypeError("terminated") });
    const parts: StreamPart[] = [];
    let error: any;
    try {
      for await (const part of convertAnthropicStream(new SseEventReader(body), context)) parts.push(part);
    } catch (e) {
      error = e;
    }
    expect(parts).toEqual([{ type: "text", text: "hi" }]);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "connection" });
  });

  it("emits one finish and reads no further events after message_stop", async () => {
    const { parts } = await run([start, stop(), sse({ type: "message_stop" }), text("late")]);
    expect(parts.map((p) => p.type)).toEqual(["finish"]);
  });

  it("event: error is classed by its type, keeps the request id, and comes after the text before it", async () => {
    const { parts, error } = await run([
      start,
      text("hi"),
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    ]);
    expect(parts).toEqual([{ type: "text", text: "hi" }]);
    expect(error).toMatchObject({ failureClass: "overloaded", providerCode: "overloaded_error" });
    const withId = convertAnthropicStream(
      new SseEventReader(
        bodyOf(['event: error\ndata: {"type":"error","error":{"type":"api_error"}}\n\n']).body,
      ),
      { ...context, requestId: "req_011abc" },
    );
    await expect(withId.next()).rejects.toMatchObject({
      failureClass: "server_error",
      providerCode: "api_error",
      requestId: "req_011abc",
    });
  });

  it("event: error without a type, or not JSON, is a server_error", async () => {
    for (const data of ['{"type":"error","error":{"message":"boom"}}', "upstream gone"]) {
      const { error } = await run([start, `event: error\ndata: ${data}\n\n`]);
      expect(error).toMatchObject({ name: "ProviderError", failureClass: "server_error" });
    }
  });

  it("an error object delivered under another event name is classified by its type", async () => {
    const { error } = await run([
      start,
      `data: ${JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "slow down" } })}\n\n`,
    ]);
    expect(error).toMatchObject({ failureClass: "rate_limited" });
  });

  it("sees the body end after message_stop, so return() has nothing to release", async () => {
    const { body, state } = bodyOf([start, text("hi"), stop()]);
    const iterator = convertAnthropicStream(new SseEventReader(body), context);
    const types: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      types.push(r.value.type);
      if (r.value.type === "finish") break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    await iterator.return!();
    expect(types).toEqual(["text", "finish"]);
    expect(state.reads).toBe(4); // three chunks, then the end
    expect(state.released).toBe(0);
  });

  it("waits for a body whose end arrives after return(), and does not cancel it", async () => {
    const { body, state, end } = bodyOf([start, stop()], { hang: true });
    const iterator = convertAnthropicStream(new SseEventReader(body), context);
    expect((await iterator.next()).value).toMatchObject({ type: "finish" });
    await iterator.return!();
    end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.released).toBe(0);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("releases a body left open after message_stop a second after return()", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { body, state } = bodyOf([start, stop()], { hang: true });
    const iterator = convertAnthropicStream(new SseEventReader(body), context);
    expect((await iterator.next()).value).toMatchObject({ type: "finish" });
    await iterator.return!();
    vi.advanceTimersByTime(999);
    expect(state.released).toBe(0);
    vi.advanceTimersByTime(1);
    expect(state.released).toBe(1);
  });

  it("releases it too when the consumer read to the end instead of returning", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { body, state } = bodyOf([start, stop()], { hang: true });
    const iterator = convertAnthropicStream(new SseEventReader(body), context);
    expect((await iterator.next()).value).toMatchObject({ type: "finish" });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    vi.advanceTimersByTime(1000);
    expect(state.released).toBe(1);
  });

  it("releases the body when the consumer stops early, even while a read is pending", async () => {
    const { body, state } = bodyOf([start, text("a"), text("b")], { hang: true });
    const iterator = convertAnthropicStream(new SseEventReader(body), context);
    expect((await iterator.next()).value).toEqual({ type: "text", text: "a" });
    expect((await iterator.next()).value).toEqual({ type: "text", text: "b" });
    const pending = iterator.next(); // waits on a body that sends nothing more
    await iterator.return!();
    expect(state.released).toBe(1);
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
