import { describe, expect, it } from "vitest";
import { sniffImageMediaType } from "../../../src/internal/sniff-image-media-type.js";
import { convertAnthropicError } from "../../../src/providers/anthropic/anthropic-error.js";
import { convertAnthropicStream } from "../../../src/providers/anthropic/convert-anthropic-stream.js";
import { convertAnthropicUsage } from "../../../src/providers/anthropic/convert-anthropic-usage.js";
import { convertToAnthropicImage } from "../../../src/providers/anthropic/convert-to-anthropic-image.js";
import { convertToAnthropicMessages } from "../../../src/providers/anthropic/convert-to-anthropic-messages.js";
import { mapAnthropicStopReason } from "../../../src/providers/anthropic/map-anthropic-stop-reason.js";
import type { StreamPart } from "../../../src/spec/stream.js";

const context = { provider: "anthropic", model: "claude-test", signal: new AbortController().signal };

const events = (list: unknown[], controller?: { abort(): void }) => ({
  controller,
  async *[Symbol.asyncIterator]() {
    yield* list;
  },
});

const run = async (list: unknown[], signal = context.signal) => {
  const parts: StreamPart[] = [];
  let error: any;
  try {
    for await (const part of convertAnthropicStream(events(list), { ...context, signal })) parts.push(part);
  } catch (e) {
    error = e;
  }
  return { parts, error };
};

describe("convertToAnthropicMessages", () => {
  it("skips an empty assistant turn and keeps tool-only assistant turns", () => {
    const { messages } = convertToAnthropicMessages([
      { role: "user", content: "a" },
      { role: "assistant", content: "" },
      {
        role: "assistant",
        content: null,
        toolCalls: [{ id: "t1", name: "f", arguments: [1], rawArguments: "not json" }],
      },
    ]);
    expect(messages).toEqual([
      { role: "user", content: "a" },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "f", input: {} }] },
    ]);
  });

  it("keeps a user turn of several parts as blocks", () => {
    const { system, messages } = convertToAnthropicMessages([
      { role: "user", content: [{ type: "text", text: "only" }] },
    ]);
    expect(system).toEqual([]);
    expect(messages).toEqual([{ role: "user", content: "only" }]);
  });
});

describe("convertToAnthropicImage", () => {
  it("decodes a non-base64 data URL", () => {
    const svgish = convertToAnthropicImage({ type: "image", image: "data:image/gif,GIF89a%01" }, "m");
    expect(svgish).toEqual({
      type: "image",
      source: {
        type: "base64",
        media_type: "image/gif",
        data: Buffer.from("GIF89a\u0001").toString("base64"),
      },
    });
  });

  it.each([
    [[0xff, 0xd8, 0xff, 0xe0], "image/jpeg"],
    [[...Buffer.from("GIF89a")], "image/gif"],
    [[...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBPVP8 ")], "image/webp"],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], "image/png"],
    [[1, 2, 3], undefined],
  ])("sniffs %j as %s", (bytes, type) => {
    expect(sniffImageMediaType(Buffer.from(bytes).toString("base64"))).toBe(type);
  });

  it("prefers the part's mediaType", () => {
    const block = convertToAnthropicImage({ type: "image", image: "AAAA", mediaType: "image/webp" }, "m");
    expect(block.source).toEqual({ type: "base64", media_type: "image/webp", data: "AAAA" });
  });
});

describe("convertAnthropicUsage", () => {
  it("adds cache reads and writes to inputTokens", () => {
    expect(
      convertAnthropicUsage({
        input_tokens: 10,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 1000,
        output_tokens: 5,
      }),
    ).toEqual({ inputTokens: 1110, outputTokens: 5, cachedInputTokens: 1000, totalTokens: 1115 });
  });

  it("leaves unknown counts undefined", () => {
    expect(convertAnthropicUsage(undefined)).toEqual({
      inputTokens: undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: undefined,
    });
    expect(convertAnthropicUsage({ output_tokens: 3 })).toMatchObject({
      inputTokens: undefined,
      totalTokens: undefined,
    });
  });
});

describe("mapAnthropicStopReason", () => {
  it("keeps the raw value and maps unknown ones to other", () => {
    expect(mapAnthropicStopReason("end_turn")).toEqual({ unified: "stop", raw: "end_turn" });
    expect(mapAnthropicStopReason(null)).toEqual({ unified: "other", raw: undefined });
  });
});

describe("convertAnthropicStream", () => {
  const start = {
    type: "message_start",
    message: { id: "msg_1", model: "claude-x", usage: { input_tokens: 7 } },
  };
  const stop = [
    {
      type: "message_delta",
      delta: { stop_reason: "tool_use" },
      usage: { output_tokens: 9, input_tokens: null },
    },
    { type: "message_stop" },
  ];

  it("takes a tool input given whole in content_block_start (no deltas)", async () => {
    const { parts, error } = await run([
      start,
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "t", name: "f", input: { a: 1 } },
      },
      { type: "content_block_stop", index: 0 },
      ...stop,
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

  it("skips thinking and server-tool blocks and numbers tool calls by call, not by block", async () => {
    const { parts } = await run([
      start,
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "t", name: "f", input: {} },
      },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"b":' } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "2}" } },
      { type: "content_block_stop", index: 1 },
      ...stop,
    ]);
    expect(
      parts.map((p) => (p.type === "finish" ? p.type : `${p.type}:${"index" in p ? p.index : ""}`)),
    ).toEqual(["tool-call-delta:0", "tool-call-delta:0", "tool-call-delta:0", "tool-call:0", "finish"]);
    expect(parts[3]).toMatchObject({ toolCall: { arguments: { b: 2 }, rawArguments: '{"b":2}' } });
  });

  it("invalid streamed tool JSON → invalid_response", async () => {
    const { error } = await run([
      start,
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "t", name: "f", input: {} },
      },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"b":' } },
      { type: "content_block_stop", index: 0 },
    ]);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "invalid_response" });
  });

  it("ends quietly without message_stop, but throws aborted when the signal was aborted", async () => {
    const body = [
      start,
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "hi" } },
    ];
    expect(await run(body)).toEqual({ parts: [{ type: "text", text: "hi" }], error: undefined });
    const controller = new AbortController();
    controller.abort();
    const aborted = await run(body, controller.signal);
    expect(aborted.parts).toEqual([{ type: "text", text: "hi" }]);
    expect(aborted.error).toMatchObject({ failureClass: "aborted" });
  });

  it("emits exactly one finish even if message_stop repeats", async () => {
    const { parts } = await run([start, ...stop, { type: "message_stop" }]);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
  });

  it("an error event delivered as data is classified by its type", async () => {
    const { error } = await run([
      start,
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
    ]);
    expect(error).toMatchObject({ failureClass: "overloaded" });
  });

  it("aborts the SDK stream when left early", async () => {
    let aborted = 0;
    const iterable = convertAnthropicStream(
      events(
        [
          start,
          ...Array.from({ length: 5 }, () => ({
            type: "content_block_delta",
            index: 0,
            delta: { type: "text_delta", text: "x" },
          })),
        ],
        { abort: () => aborted++ },
      ),
      context,
    );
    for await (const _ of iterable) break;
    expect(aborted).toBe(1);
  });
});

describe("convertAnthropicError", () => {
  it("an APIError without status or type (odd in-band error) is a server_error", () => {
    const sdkLike = Object.assign(new Error("something broke"), {
      name: "APIError",
      status: undefined,
      error: {},
    });
    expect(convertAnthropicError(sdkLike, context)).toMatchObject({ failureClass: "server_error" });
  });
});
