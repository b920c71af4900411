import { describe, expect, it } from "vitest";
import {
  convertMistralStream,
  type MistralStreamContext,
} from "../../../src/providers/mistral/convert-mistral-stream.js";
import { SseEventReader } from "../../../src/providers/shared/read-sse-events.js";
import type { StreamPart } from "../../../src/spec/stream.js";

const encoder = new TextEncoder();
const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const chunk = (delta: unknown, finishReason: string | null = null, extra: Record<string, unknown> = {}) => ({
  id: "c1",
  model: "mistral-small-2506",
  choices: [{ index: 0, delta, finish_reason: finishReason }],
  ...extra,
});

/** A body that sends `pieces` one read each, then ends — or fails with `failWith`, or stays open. */
const bodyOf = (pieces: string[], end: "close" | "open" | Error = "close") => {
  const state = { cancelled: false, reads: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const piece = pieces[state.reads++];
        if (piece !== undefined) controller.enqueue(encoder.encode(piece));
        else if (end === "close") controller.close();
        else if (end instanceof Error) controller.error(end);
        else return new Promise<void>(() => {}); // a stall
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
};

const contextOf = (controller = new AbortController()) => {
  const closes: boolean[] = [];
  let stops = 0;
  const context: MistralStreamContext = {
    provider: "mistral",
    model: "mistral-small-latest",
    signal: new AbortController().signal,
    secrets: [],
    attemptSignal: controller.signal,
    onClose: (complete) => closes.push(complete),
    onStop: () => {
      stops++;
      controller.abort(new DOMException("The stream was closed by its consumer.", "AbortError"));
    },
  };
  return { context, closes, stops: () => stops, controller };
};

const drain = async (parts: AsyncIterable<StreamPart>) => {
  const out: StreamPart[] = [];
  try {
    for await (const part of parts) out.push(part);
  } catch (error) {
    return { parts: out, error };
  }
  return { parts: out, error: undefined };
};

describe("convertMistralStream", () => {
  it("converts text, tool calls (object arguments, no id) and usage in snake_case, releasing the body at [DONE]", async () => {
    const { stream, state } = bodyOf(
      [
        frame(chunk({ role: "assistant", content: "" })),
        frame(chunk({ content: [{ type: "thinking", thinking: [] }, null, { type: "text", text: "Hi" }] })) +
          frame(chunk({ tool_calls: [{ function: { name: "f", arguments: { x: 1 } } }] })),
        frame(
          chunk({ content: "" }, "tool_calls", {
            usage: {
              prompt_tokens: 10,
              completion_tokens: 2,
              total_tokens: 12,
              prompt_tokens_details: { cached_tokens: 4 },
            },
          }),
        ),
        "data: [DONE]\n\n",
      ],
      "open",
    );
    const { context, closes } = contextOf();
    const { parts, error } = await drain(convertMistralStream(new SseEventReader(stream), context));
    expect(error).toBeUndefined();
    expect(parts[0]).toEqual({ type: "text", text: "Hi" });
    expect(parts[1]).toMatchObject({
      type: "tool-call-delta",
      index: 0,
      name: "f",
      argumentsDelta: '{"x":1}',
    });
    expect(parts[2]).toMatchObject({
      type: "tool-call",
      toolCall: { name: "f", arguments: { x: 1 }, rawArguments: '{"x":1}' },
    });
    expect(parts[3]).toEqual({
      type: "finish",
      finishReason: { unified: "tool-calls", raw: "tool_calls" },
      usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 4, totalTokens: 12 },
      model: "mistral-small-2506",
      id: "c1",
    });
    expect(state.cancelled).toBe(true); // the body stayed open: released at [DONE]
    expect(closes).toEqual([true]);
  });

  it("a read failure after the finish reason loses nothing: the finish is yielded", async () => {
    const { stream } = bodyOf([frame(chunk({ content: "Hi" }, "stop"))], new TypeError("terminated"));
    const { context, closes } = contextOf();
    const { parts, error } = await drain(convertMistralStream(new SseEventReader(stream), context));
    expect(error).toBeUndefined();
    expect(parts.map((part) => part.type)).toEqual(["text", "finish"]);
    expect(closes).toEqual([true]);
  });

  it("a read failure before the finish reason is thrown classified, after the text", async () => {
    const { stream } = bodyOf([frame(chunk({ content: "Hi" }))], new TypeError("terminated"));
    const { context, closes } = contextOf();
    const { parts, error } = await drain(convertMistralStream(new SseEventReader(stream), context));
    expect(parts).toEqual([{ type: "text", text: "Hi" }]);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "connection" });
    expect(closes).toEqual([false]);
  });

  it("after the finish reason, an abort is still thrown; a deadline waiting for [DONE] loses nothing", async () => {
    const aborted = bodyOf([frame(chunk({ content: "Hi" }, "stop"))], "open");
    const first = contextOf();
    const iterator = convertMistralStream(new SseEventReader(aborted.stream), first.context);
    expect(await iterator.next()).toEqual({ done: false, value: { type: "text", text: "Hi" } });
    const pending = iterator.next();
    first.controller.abort(new DOMException("This operation was aborted", "AbortError"));
    await expect(pending).rejects.toMatchObject({ failureClass: "aborted" });
    expect(aborted.state.cancelled).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });

    const timedOut = bodyOf([frame(chunk({ content: "Hi" }, "stop"))], "open");
    const second = contextOf();
    const parts = convertMistralStream(new SseEventReader(timedOut.stream), second.context);
    setTimeout(
      () => second.controller.abort(new DOMException("The operation timed out.", "TimeoutError")),
      5,
    );
    const { parts: received, error } = await drain(parts);
    expect(error).toBeUndefined();
    expect(received.map((part) => part.type)).toEqual(["text", "finish"]);
    expect(timedOut.state.cancelled).toBe(true);
  });

  it("return() before the first next() releases the body at once, and stops the attempt", async () => {
    const { stream, state } = bodyOf([], "open");
    const { context, closes, stops } = contextOf();
    const iterator = convertMistralStream(new SseEventReader(stream), context);
    await expect(iterator.return!()).resolves.toEqual({ done: true, value: undefined });
    expect(state.cancelled).toBe(true);
    expect(stops()).toBe(1);
    expect(closes).toEqual([false]);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("return() while a read is stalled ends that read with the abort; return() after the end costs nothing", async () => {
    const { stream, state } = bodyOf([frame(chunk({ content: "Hi" }))], "open");
    const { context } = contextOf();
    const iterator = convertMistralStream(new SseEventReader(stream), context);
    await iterator.next();
    const pending = iterator.next();
    await iterator.return!();
    await expect(pending).rejects.toMatchObject({ failureClass: "aborted" });
    expect(state.cancelled).toBe(true);

    const finished = bodyOf([frame(chunk({ content: "Hi" }, "stop")), "data: [DONE]\n\n"]);
    const second = contextOf();
    const done = convertMistralStream(new SseEventReader(finished.stream), second.context);
    await drain(done);
    await done.return!();
    expect(second.stops()).toBe(0);
    expect(second.closes).toEqual([true]);
  });

  it("an attempt already aborted ends the stream with its reason", async () => {
    const { stream, state } = bodyOf([frame(chunk({ content: "Hi" }))], "open");
    const controller = new AbortController();
    controller.abort(new DOMException("The operation timed out.", "TimeoutError"));
    const { context } = contextOf(controller);
    const { parts, error } = await drain(convertMistralStream(new SseEventReader(stream), context));
    expect(parts).toEqual([]);
    expect(error).toMatchObject({ failureClass: "timeout" });
    expect(state.cancelled).toBe(true);
  });

  it.each([
    ["not JSON", "invalid_response", "data: {garbage\n\n"],
    ["JSON but not a chunk", "invalid_response", "data: 42\n\n"],
    ["a chunk without choices", "invalid_response", `data: ${JSON.stringify({ id: "x", model: "m" })}\n\n`],
    [
      "an error object (rate limit)",
      "rate_limited",
      frame({ object: "error", message: "Requests rate limit exceeded", type: "rate_limited", code: "1300" }),
    ],
    ["finish_reason error", "server_error", frame(chunk({ content: "" }, "error"))],
  ])("%s after the text is thrown as %s, the text first", async (_name, failureClass, line) => {
    const { stream, state } = bodyOf([frame(chunk({ content: "Hi" })) + line], "open");
    const { context } = contextOf();
    const { parts, error } = await drain(convertMistralStream(new SseEventReader(stream), context));
    expect(parts).toEqual([{ type: "text", text: "Hi" }]);
    expect(error).toMatchObject({ name: "ProviderError", failureClass });
    expect((error as Error).message).not.toContain("garbage");
    expect(state.cancelled).toBe(true);
  });
});
