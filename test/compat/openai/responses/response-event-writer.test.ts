import { ResponseStream } from "openai/lib/responses/ResponseStream";
import { ResponseStream as ResponseStream6 } from "openai6/lib/responses/ResponseStream";
import { describe, expect, it } from "vitest";
import { ResponseEventWriter } from "../../../../src/compat/openai/responses/response-event-writer.js";
import type { ChatStreamEvent } from "../../../../src/spec/chat.js";

const usage = { inputTokens: 5, outputTokens: 2, cachedInputTokens: undefined, totalTokens: 7 };
const start: ChatStreamEvent = { type: "start", provider: "mistral", model: "mistral-large" };
const finish = (unified: "stop" | "tool-calls" | "length" = "stop"): ChatStreamEvent => ({
  type: "finish",
  finishReason: { unified, raw: unified },
  usage,
  provider: "mistral",
  model: "mistral-large-2411",
});
const call = (id: string, args: string) => ({
  id,
  name: "get_weather",
  arguments: JSON.parse(args),
  rawArguments: args,
});

const write = (events: ChatStreamEvent[], writer = new ResponseEventWriter({ model: "gpt-4.1" })) =>
  events.flatMap((event) => writer.write(event));

/** Feeds events to the SDK's own accumulator (openai 6 and 7) and returns what it assembled. */
const accumulate = async (events: unknown[]) => {
  const results = [];
  for (const Stream of [ResponseStream, ResponseStream6]) {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const event of events)
          controller.enqueue(new TextEncoder().encode(`${JSON.stringify(event)}\n`));
        controller.close();
      },
    });
    results.push(await (Stream as typeof ResponseStream).fromReadableStream(body).finalResponse());
  }
  return results;
};

describe("ResponseEventWriter", () => {
  it("writes a tool call that arrived whole as added, one arguments delta, done", async () => {
    const events = write([
      start,
      { type: "tool-call", index: 0, toolCall: call("abc123XYZ", '{"city":"Oslo"}') },
      finish("tool-calls"),
    ]);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[4]).toMatchObject({ name: "get_weather", arguments: '{"city":"Oslo"}' });
    for (const final of await accumulate(events)) {
      expect(final.output).toEqual([
        expect.objectContaining({
          type: "function_call",
          call_id: "abc123XYZ",
          arguments: '{"city":"Oslo"}',
          status: "completed",
        }),
      ]);
      expect(final.usage).toEqual({ input_tokens: 5, output_tokens: 2, total_tokens: 7 });
      expect(final.model).toBe("mistral-large-2411");
    }
  });

  it("closes the message before a tool call and opens a new one for text after it", async () => {
    const events = write([
      start,
      { type: "text", text: "Let me " },
      { type: "text", text: "" },
      { type: "text", text: "check." },
      { type: "tool-call-delta", index: 0, id: "call_a", name: "get_weather", argumentsDelta: '{"city"' },
      {
        type: "tool-call-delta",
        index: 1,
        id: "call_b",
        name: "get_weather",
        argumentsDelta: '{"city":"Rome"}',
      },
      { type: "tool-call-delta", index: 0, argumentsDelta: ':"Oslo"}' },
      { type: "tool-call", index: 0, toolCall: call("call_a", '{"city":"Oslo"}') },
      { type: "tool-call", index: 1, toolCall: call("call_b", '{"city":"Rome"}') },
      { type: "text", text: "Done." },
      finish("tool-calls"),
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === "response.output_text.delta")).toHaveLength(3);
    const added = events.filter((e) => e.type === "response.output_item.added").map((e) => e.output_index);
    expect(added).toEqual([0, 1, 2, 3]);
    for (const final of await accumulate(events)) {
      expect(final.output.map((item) => item.type)).toEqual([
        "message",
        "function_call",
        "function_call",
        "message",
      ]);
      expect(final.output_text).toBe("Let me check.Done.");
      expect(final.output[1]).toMatchObject({ call_id: "call_a", arguments: '{"city":"Oslo"}' });
      expect(final.output[2]).toMatchObject({ call_id: "call_b", arguments: '{"city":"Rome"}' });
    }
  });

  it("ends a length-limited answer with response.incomplete and closes unfinished calls as incomplete", async () => {
    const events = write([
      start,
      { type: "text", text: "Partial" },
      { type: "tool-call-delta", index: 0, name: "get_weather", argumentsDelta: '{"ci' },
      finish("length"),
    ]);
    expect(events.at(-1)).toMatchObject({
      type: "response.incomplete",
      response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
    });
    const fc = events.find(
      (e) => e.type === "response.output_item.added" && (e.item as { type: string }).type === "function_call",
    );
    expect(fc?.item).toMatchObject({ call_id: expect.stringMatching(/^call_/) });
    expect(events.map((e) => e.type)).not.toContain("response.function_call_arguments.done");
    for (const final of await accumulate(events)) {
      expect(final.status).toBe("incomplete");
      expect(final.output.map((item) => (item as { status?: string }).status)).toEqual([
        "completed",
        "incomplete",
      ]);
    }
  });

  it("continues a response the primary started: same id, numbering and open text part", async () => {
    const writer = new ResponseEventWriter({ model: "gpt-4.1" });
    const base = {
      id: "resp_0abc",
      object: "response",
      created_at: 1,
      status: "in_progress",
      model: "gpt-4.1",
      output: [],
    };
    const raw = [
      { type: "response.created", sequence_number: 0, response: base },
      { type: "response.in_progress", sequence_number: 1, response: base },
      {
        type: "response.output_item.added",
        sequence_number: 2,
        output_index: 0,
        item: { id: "msg_0abc", type: "message", status: "in_progress", role: "assistant", content: [] },
      },
      {
        type: "response.content_part.added",
        sequence_number: 3,
        item_id: "msg_0abc",
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      },
      {
        type: "response.output_text.delta",
        sequence_number: 4,
        item_id: "msg_0abc",
        output_index: 0,
        content_index: 0,
        delta: "The capital is P",
        logprobs: [],
      },
    ];
    for (const event of raw) writer.observe(event);
    const continued = write(
      [{ type: "start", provider: "anthropic", model: "claude" }, { type: "text", text: "aris." }, finish()],
      writer,
    );
    expect(continued.map((e) => e.type)).toEqual([
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(continued.map((e) => e.sequence_number)).toEqual([5, 6, 7, 8, 9]);
    expect(continued[0]).toMatchObject({ item_id: "msg_0abc", content_index: 0 });
    expect(continued[1]).toMatchObject({ text: "The capital is Paris." });
    for (const final of await accumulate([...raw, ...continued])) {
      expect(final.id).toBe("resp_0abc");
      expect(final.output_text).toBe("The capital is Paris.");
      expect(final.output).toHaveLength(1);
    }
  });
});
