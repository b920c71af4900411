import { describe, expect, it } from "vitest";
import { convertResponsesStream } from "../../../../src/compat/openai/responses/convert-responses-stream.js";
import { ResponsesTape } from "../../../../src/compat/openai/responses/responses-call.js";
import type { SseEvent } from "../../../../src/providers/shared/read-sse-events.js";
import type { StreamPart } from "../../../../src/spec/stream.js";

const context = { provider: "openai", model: "gpt-4.1", progressIsContent: false };

/** Events as the SSE reader yields them: `event:` equal to the type, JSON data. */
const sse = (...events: (Record<string, unknown> | string)[]): SseEvent[] =>
  events.map((e) =>
    typeof e === "string"
      ? { event: undefined, data: e }
      : { event: String(e.type), data: JSON.stringify(e) },
  );

const run = async (events: SseEvent[], options: Partial<typeof context> = {}) => {
  const queue = [...events];
  const tape = new ResponsesTape();
  const parts: StreamPart[] = [];
  let error: any;
  try {
    for await (const part of convertResponsesStream(async () => queue.shift(), tape, {
      ...context,
      ...options,
    }))
      parts.push(part);
  } catch (e) {
    error = e;
  }
  return { parts, error, tape };
};

const created = { type: "response.created", sequence_number: 0, response: { id: "resp_1", output: [] } };
const completed = (extra: Record<string, unknown> = {}) => ({
  type: "response.completed",
  sequence_number: 9,
  response: {
    id: "resp_1",
    object: "response",
    status: "completed",
    model: "gpt-4.1-2025",
    usage: {
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 3,
      total_tokens: 13,
    },
    ...extra,
  },
});

describe("convertResponsesStream", () => {
  it("yields text, tool-call pieces, the whole call and the finish, recording every event first", async () => {
    const call = { id: "fc_1", type: "function_call", call_id: "call_1", name: "f", arguments: "" };
    const { parts, tape, error } = await run(
      sse(
        created,
        { type: "response.output_text.delta", sequence_number: 1, delta: "Hi" },
        { type: "response.refusal.delta", sequence_number: 2, delta: " no" },
        { type: "response.output_item.added", sequence_number: 3, output_index: 1, item: call },
        {
          type: "response.function_call_arguments.delta",
          sequence_number: 4,
          item_id: "fc_1",
          output_index: 1,
          delta: '{"a":',
        },
        {
          type: "response.function_call_arguments.delta",
          sequence_number: 5,
          item_id: "fc_1",
          output_index: 1,
          delta: "1}",
        },
        {
          type: "response.output_item.done",
          sequence_number: 6,
          output_index: 1,
          item: { ...call, arguments: '{"a":1}' },
        },
        { type: "keepalive", sequence_number: 7 },
        completed({ output: [{ ...call, arguments: '{"a":1}' }] }),
        "[DONE]",
      ),
    );
    expect(error).toBeUndefined();
    expect(parts).toEqual([
      { type: "text", text: "Hi" },
      { type: "text", text: " no" },
      { type: "tool-call-delta", index: 0, id: "call_1", name: "f", argumentsDelta: "" },
      { type: "tool-call-delta", index: 0, argumentsDelta: '{"a":' },
      { type: "tool-call-delta", index: 0, argumentsDelta: "1}" },
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "call_1", name: "f", arguments: { a: 1 }, rawArguments: '{"a":1}' },
      },
      {
        type: "finish",
        finishReason: { unified: "tool-calls", raw: "completed" },
        usage: { inputTokens: 10, outputTokens: 3, cachedInputTokens: 4, totalTokens: 13 },
        model: "gpt-4.1-2025",
        id: "resp_1",
        raw: completed({ output: [{ ...call, arguments: '{"a":1}' }] }).response,
      },
    ]);
    expect(tape.drain().map((e) => e.type)).toEqual([
      "response.created",
      "response.output_text.delta",
      "response.refusal.delta",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.output_item.done",
      "keepalive",
      "response.completed",
    ]);
  });

  it("rebuilds the final output from the done items when response.completed leaves it out", async () => {
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "Hi" }],
    };
    const { parts, tape } = await run(
      sse(
        created,
        { type: "response.output_item.done", sequence_number: 1, output_index: 0, item: message },
        completed(),
      ),
    );
    expect(tape.final).toMatchObject({ id: "resp_1", output: [message] });
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "stop" } });
  });

  it("finishes a length-limited response with finish reason length", async () => {
    const { parts } = await run(
      sse(created, {
        type: "response.incomplete",
        sequence_number: 1,
        response: {
          id: "resp_1",
          status: "incomplete",
          incomplete_details: { reason: "max_output_tokens" },
          output: [],
        },
      }),
    );
    expect(parts).toMatchObject([
      { type: "finish", finishReason: { unified: "length", raw: "max_output_tokens" } },
    ]);
  });

  it.each([
    [
      "a nested error event (as recorded)",
      {
        type: "error",
        sequence_number: 2,
        error: { type: "insufficient_quota", code: "insufficient_quota", message: "Quota" },
      },
      "quota",
    ],
    [
      "a flat error event (as documented)",
      { type: "error", sequence_number: 2, code: "server_error", message: "Boom", param: null },
      "server_error",
    ],
    [
      "response.failed with a rate limit",
      {
        type: "response.failed",
        sequence_number: 2,
        response: { status: "failed", error: { code: "rate_limit_exceeded", message: "TPM" } },
      },
      "rate_limited",
    ],
    [
      "a content-filtered response.incomplete",
      {
        type: "response.incomplete",
        sequence_number: 2,
        response: { status: "incomplete", incomplete_details: { reason: "content_filter" } },
      },
      "content_filter",
    ],
    [
      "a Chat Completions style error frame",
      { error: { type: "server_error", message: "x" } },
      "server_error",
    ],
  ])("throws the classified failure for %s", async (_name, event, failureClass) => {
    const { error, parts } = await run(sse(created, event));
    expect(parts).toEqual([]);
    expect(error).toMatchObject({ name: "ProviderError", failureClass, provider: "openai" });
  });

  it("throws invalid_response for a frame that is not JSON or has no type", async () => {
    expect((await run(sse(created, "{not json"))).error).toMatchObject({ failureClass: "invalid_response" });
    expect((await run(sse(created, { sequence_number: 3 }))).error).toMatchObject({
      failureClass: "invalid_response",
    });
  });

  it("ends without a finish when the stream stops early (the engine sees a truncation)", async () => {
    const { parts, error } = await run(
      sse(created, { type: "response.output_text.delta", sequence_number: 1, delta: "Hi" }),
    );
    expect(error).toBeUndefined();
    expect(parts).toEqual([{ type: "text", text: "Hi" }]);
  });

  it("counts hosted-tool and reasoning events as progress only for calls that cannot fall over", async () => {
    const events = sse(
      created,
      {
        type: "response.output_item.added",
        sequence_number: 1,
        output_index: 0,
        item: { id: "ws_1", type: "web_search_call" },
      },
      { type: "response.web_search_call.searching", sequence_number: 2, output_index: 0, item_id: "ws_1" },
      {
        type: "response.reasoning_summary_text.delta",
        sequence_number: 3,
        output_index: 1,
        item_id: "rs_1",
        delta: "...",
      },
    );
    expect((await run(events)).parts).toEqual([]);
    expect((await run(events, { progressIsContent: true })).parts).toEqual([
      { type: "text", text: "" },
      { type: "text", text: "" },
      { type: "text", text: "" },
    ]);
  });
});
