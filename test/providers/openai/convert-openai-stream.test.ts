import { describe, expect, it } from "vitest";
import {
  convertOpenAIStream,
  type SseEventSource,
} from "../../../src/providers/openai/convert-openai-stream.js";
import { RawChunkRecorder, readRawChunks } from "../../../src/providers/openai/record-raw-chunks.js";
import type { SseEvent } from "../../../src/providers/shared/read-sse-events.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import { caught } from "./helpers.js";

const isEvent = (frame: unknown): frame is SseEvent =>
  typeof frame === "object" && frame !== null && "event" in frame && "data" in frame;

/** Frames as a source: strings are sent as is, events as given, anything else as JSON. */
const sourceOf = (frames: readonly unknown[]): SseEventSource & { cancelled: boolean } => {
  const events = frames.map((frame): SseEvent => {
    if (isEvent(frame)) return frame;
    return { event: undefined, data: typeof frame === "string" ? frame : JSON.stringify(frame) };
  });
  let i = 0;
  return {
    cancelled: false,
    next() {
      return Promise.resolve(this.cancelled ? undefined : events[i++]);
    },
    cancel() {
      this.cancelled = true;
    },
  };
};

const run = async (frames: readonly unknown[], rawFields?: string[]): Promise<StreamPart[]> => {
  const parts: StreamPart[] = [];
  for await (const part of convertOpenAIStream(sourceOf(frames), { provider: "p", model: "m", rawFields }))
    parts.push(part);
  return parts;
};

const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});
const noUsage = {
  inputTokens: undefined,
  outputTokens: undefined,
  cachedInputTokens: undefined,
  totalTokens: undefined,
};

describe("convertOpenAIStream (what compatible servers do differently)", () => {
  it("no usage, no id, finish_reason null to the end, then [DONE] → a normal finish", async () => {
    expect(await run([delta({ content: "Hi" }), delta({ content: "!" }), "[DONE]"])).toEqual([
      { type: "text", text: "Hi" },
      { type: "text", text: "!" },
      { type: "finish", finishReason: { unified: "stop", raw: undefined }, usage: noUsage, model: "m" },
    ]);
  });

  it("ends without finish when neither finish_reason nor [DONE] arrived", async () => {
    expect(await run([delta({ content: "Hi" })])).toEqual([{ type: "text", text: "Hi" }]);
  });

  it("finishes on a finish_reason even when the body ends without [DONE] (usage then missing)", async () => {
    const parts = await run([{ id: "c1", model: "m-2", ...delta({ content: "Hi" }) }, delta({}, "length")]);
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: { unified: "length", raw: "length" },
      usage: noUsage,
      model: "m-2",
      id: "c1",
    });
  });

  it("tool-call arguments chunked without ids after the first piece (the first delta waits for argument text)", async () => {
    const parts = await run([
      delta({
        tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: "" } }],
      }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"x"' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: ":1}" } }] }),
      delta({ tool_calls: [{ index: 1, id: "call_b", function: { name: "g", arguments: "{}" } }] }),
      delta({}, "tool_calls"),
      "[DONE]",
    ]);
    expect(parts).toEqual([
      { type: "tool-call-delta", index: 0, id: "call_a", name: "f", argumentsDelta: '{"x"' },
      { type: "tool-call-delta", index: 0, argumentsDelta: ":1}" },
      { type: "tool-call-delta", index: 1, id: "call_b", name: "g", argumentsDelta: "{}" },
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "call_a", name: "f", arguments: { x: 1 }, rawArguments: '{"x":1}' },
      },
      {
        type: "tool-call",
        index: 1,
        toolCall: { id: "call_b", name: "g", arguments: {}, rawArguments: "{}" },
      },
      {
        type: "finish",
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: noUsage,
        model: "m",
      },
    ]);
  });

  it("tool-call pieces without index follow the call in progress; a new id reusing index 0 starts a new call", async () => {
    const parts = await run([
      delta({ tool_calls: [{ id: "a", function: { name: "f", arguments: '{"q":' } }] }),
      delta({ tool_calls: [{ function: { arguments: '"1"}' } }] }),
      delta({ tool_calls: [{ index: 0, id: "b", function: { name: "g", arguments: "" } }] }),
      "[DONE]",
    ]);
    expect(parts.filter((p) => p.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "a", name: "f", arguments: { q: "1" }, rawArguments: '{"q":"1"}' },
      },
      { type: "tool-call", index: 1, toolCall: { id: "b", name: "g", arguments: {}, rawArguments: "" } },
    ]);
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      finishReason: { unified: "tool-calls", raw: undefined },
    });
  });

  it("skips Azure annotation chunks and other choices, takes id/model from the first chunk that has them", async () => {
    const parts = await run([
      {
        id: "",
        model: "",
        choices: [],
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
      },
      {
        id: "c9",
        model: "gpt-4o",
        choices: [
          { index: 1, delta: { content: "other choice" } },
          { index: 0, delta: { content: "mine" } },
        ],
      },
      {
        choices: [
          {
            index: 0,
            delta: {},
            finish_reason: "stop",
            content_filter_results: { hate: { filtered: false } },
          },
        ],
      },
      { choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } },
      42,
      "[DONE]",
    ]);
    expect(parts).toEqual([
      { type: "text", text: "mine" },
      {
        type: "finish",
        finishReason: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 3, outputTokens: 1, cachedInputTokens: undefined, totalTokens: 4 },
        model: "gpt-4o",
        id: "c9",
      },
    ]);
  });

  it("keeps the requested raw fields (the last value seen) for the finish part", async () => {
    const parts = await run(
      [
        { citations: ["a"], ...delta({ content: "x" }) },
        { citations: ["a", "b"], search_results: [{ url: "u" }], ...delta({}, "stop") },
        "[DONE]",
      ],
      ["citations", "search_results"],
    );
    expect(parts.at(-1)).toMatchObject({ raw: { citations: ["a", "b"], search_results: [{ url: "u" }] } });
  });

  it("releases the body at [DONE] before yielding what follows, and on errors", async () => {
    const source = sourceOf([delta({ content: "x" }, "stop"), "[DONE]", delta({ content: "never read" })]);
    const iterator = convertOpenAIStream(source, { provider: "p", model: "m" });
    expect((await iterator.next()).value).toEqual({ type: "text", text: "x" });
    expect(source.cancelled).toBe(false);
    expect((await iterator.next()).value).toMatchObject({ type: "finish" });
    expect(source.cancelled).toBe(true);
    expect((await iterator.next()).done).toBe(true);

    const failing = sourceOf([delta({ content: "x" }), "{not json"]);
    await caught(async () => {
      for await (const _ of convertOpenAIStream(failing, { provider: "p", model: "m" })) {
        // read everything
      }
    });
    expect(failing.cancelled).toBe(true);
  });

  it("an `event: error` frame throws, classified by its type", async () => {
    const error = await caught(() =>
      run([
        delta({ content: "x" }),
        { event: "error", data: JSON.stringify({ type: "overloaded_error", message: "busy" }) },
      ]),
    );
    expect(error).toMatchObject({ failureClass: "overloaded" });
  });

  it("content_filter with Azure categories", async () => {
    const error = await caught(() =>
      run([
        delta({ content: "x" }),
        {
          choices: [
            {
              index: 0,
              delta: {},
              finish_reason: "content_filter",
              content_filter_results: {
                hate: { filtered: false, severity: "safe" },
                violence: { filtered: true, severity: "high" },
              },
            },
          ],
        },
      ]),
    );
    expect(error).toMatchObject({ failureClass: "content_filter", contentFilterCategories: ["violence"] });
  });

  it("labels each part with its own chunks when one network read brings many (the drop-in's raw chunks)", async () => {
    const chunks = [
      { id: "c1", model: "m", ...delta({ role: "assistant", content: "" }) },
      { id: "c1", model: "m", ...delta({ content: "Hi" }) },
      { id: "c1", model: "m", ...delta({ content: "!" }) },
      { id: "c1", model: "m", ...delta({}, "stop") },
      {
        id: "c1",
        model: "m",
        choices: [],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      },
    ];
    // Every event in one batch, as one read of a fast body delivers them.
    const events = [...chunks, "[DONE]"].map(
      (frame): SseEvent => ({
        event: undefined,
        data: typeof frame === "string" ? frame : JSON.stringify(frame),
      }),
    );
    let batches = 0;
    const source: SseEventSource = {
      cancelled: false,
      next: () => Promise.reject(new Error("the batch read is preferred")),
      nextBatch: () => Promise.resolve(batches++ === 0 ? events : undefined),
      cancel() {
        (this as { cancelled: boolean }).cancelled = true;
      },
    };
    const recorder = new RawChunkRecorder();
    const parts: StreamPart[] = [];
    for await (const part of convertOpenAIStream(source, {
      provider: "p",
      model: "m",
      onChunk: recorder.onChunk,
      labelPart: (part) => recorder.label(part),
    }))
      parts.push(part);
    expect(parts.map((part) => part.type)).toEqual(["text", "text", "finish"]);
    expect(readRawChunks(parts[0])).toEqual([chunks[0], chunks[1]]);
    expect(readRawChunks(parts[1])).toEqual([chunks[2]]);
    // The chunks are invisible on the part: its keys, JSON, a copy and equality are the plain part's.
    expect(Reflect.ownKeys(parts[0]!)).toEqual(["type", "text"]);
    expect(JSON.stringify(parts[0])).toBe(
      JSON.stringify({ type: parts[0]!.type, text: (parts[0] as { text: string }).text }),
    );
    expect(readRawChunks({ ...parts[0] })).toBeUndefined();
    expect(parts[1]).toEqual({ type: "text", text: (parts[1] as { text: string }).text });
    const finish = parts[2] as Extract<StreamPart, { type: "finish" }>;
    expect(readRawChunks(finish.raw)).toEqual([chunks[3], chunks[4]]);
    expect(finish.raw).toMatchObject({
      id: "c1",
      choices: [{ message: { content: "Hi!" }, finish_reason: "stop" }],
    });
  });
});
