/**
 * Usage is what the call consumed. Anthropic's top-level `usage` leaves out the iterations a
 * request ran besides the answer — a server-side compaction (context management's `compact`
 * edit) and advisor sub-inferences — which `usage.iterations` lists (and bills). The shapes here
 * follow the SDK's `BetaIterationsUsage` and the documented compaction example: top-level counts
 * equal the `message` iteration, the `compaction` entry comes on top.
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anthropic } from "../../../src/index.js";
import { convertAnthropicUsage } from "../../../src/providers/anthropic/convert-anthropic-usage.js";
import type { FinishPart, StreamPart } from "../../../src/spec/stream.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";

const cache = { cache_creation: null, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const compactionUsage = {
  input_tokens: 23_000,
  output_tokens: 1_000,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  iterations: [
    { type: "compaction", input_tokens: 180_000, output_tokens: 3_500, ...cache },
    { type: "message", input_tokens: 23_000, output_tokens: 1_000, model: "claude-sonnet-5-5", ...cache },
  ],
};

describe("convertAnthropicUsage", () => {
  it("adds the compaction iteration the top-level counts leave out; the message iteration is not counted twice", () => {
    expect(convertAnthropicUsage(compactionUsage)).toEqual({
      inputTokens: 203_000,
      outputTokens: 4_500,
      cachedInputTokens: 0,
      totalTokens: 207_500,
    });
  });

  it("adds advisor sub-inferences; cache reads and writes of an iteration count as its prompt", () => {
    expect(
      convertAnthropicUsage({
        input_tokens: 400,
        output_tokens: 1_200,
        cache_read_input_tokens: 100,
        iterations: [
          { type: "message", input_tokens: 200, output_tokens: 300 },
          {
            type: "advisor_message",
            input_tokens: 800,
            output_tokens: 500,
            cache_read_input_tokens: 50,
            cache_creation_input_tokens: 10,
          },
          { type: "message", input_tokens: 200, output_tokens: 900 },
          { type: "fallback_message", input_tokens: 1, output_tokens: 1 },
        ],
      }),
    ).toEqual({ inputTokens: 500 + 860, outputTokens: 1_700, cachedInputTokens: 150, totalTokens: 3_060 });
  });

  it("unknown or malformed entries change nothing; nothing reported stays undefined", () => {
    expect(
      convertAnthropicUsage({
        input_tokens: 5,
        output_tokens: 2,
        iterations: [null as never, { type: "future_kind", input_tokens: 9 }],
      }),
    ).toEqual({
      inputTokens: 5,
      outputTokens: 2,
      cachedInputTokens: undefined,
      totalTokens: 7,
    });
    expect(convertAnthropicUsage(undefined)).toEqual({
      inputTokens: undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: undefined,
    });
  });
});

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "anthropic" });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

const provider = () =>
  anthropic({
    client: new Anthropic({ apiKey: "k-0001", baseURL: mock.baseURL }),
    model: "claude-sonnet-5-5",
  });
const request = { model: "claude-sonnet-5-5", messages: [{ role: "user" as const, content: "go on" }] };
const context = () => ({ signal: new AbortController().signal, timeoutMs: 10_000 });
const consumed = { inputTokens: 203_000, outputTokens: 4_500, cachedInputTokens: 0, totalTokens: 207_500 };

describe("through the Anthropic SDK: a reply after a server-side compaction", () => {
  it("JSON: usage includes the compaction", async () => {
    mock.script(
      faults.status(200, {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-5-5",
        content: [
          { type: "compaction", content: "Summary of the conversation so far." },
          { type: "text", text: "Based on our conversation, here is the plan." },
        ],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: compactionUsage,
      }),
    );
    const response = await provider().generate(request, context());
    expect(response.text).toBe("Based on our conversation, here is the plan.");
    expect(response.usage).toEqual(consumed);
  });

  it("stream: the final message_delta's iterations are added", async () => {
    const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    mock.script(
      faults.status(
        200,
        event("message_start", {
          type: "message_start",
          message: {
            id: "msg_1",
            type: "message",
            role: "assistant",
            model: "claude-sonnet-5-5",
            content: [],
            stop_reason: null,
            usage: {
              input_tokens: 23_000,
              output_tokens: 1,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 0,
            },
          },
        }) +
          event("content_block_start", {
            type: "content_block_start",
            index: 0,
            content_block: { type: "text", text: "" },
          }) +
          event("content_block_delta", {
            type: "content_block_delta",
            index: 0,
            delta: { type: "text_delta", text: "Here is the plan." },
          }) +
          event("content_block_stop", { type: "content_block_stop", index: 0 }) +
          event("message_delta", {
            type: "message_delta",
            delta: { stop_reason: "end_turn", stop_sequence: null },
            usage: compactionUsage,
          }) +
          event("message_stop", { type: "message_stop" }),
        { "content-type": "text/event-stream" },
      ),
    );
    const parts: StreamPart[] = [];
    for await (const part of await provider().stream(request, context())) parts.push(part);
    const finish = parts.at(-1) as FinishPart;
    expect(finish.type).toBe("finish");
    expect(finish.usage).toEqual(consumed);
  });
});
