import { describe, expect, it } from "vitest";
import { ChatCompletionChunkConverter } from "../../../src/compat/openai/convert-to-chat-completion-chunks.js";
import type { ChatStreamEvent } from "../../../src/spec/chat.js";

const finish: ChatStreamEvent = {
  type: "finish",
  finishReason: { unified: "tool-calls", raw: "tool_use" },
  usage: { inputTokens: 3, outputTokens: 4, cachedInputTokens: undefined, totalTokens: undefined },
  provider: "mistral",
  model: "mistral-large-2",
};
const deltas = (events: ChatStreamEvent[], includeUsage = false) => {
  const converter = new ChatCompletionChunkConverter(includeUsage, "gpt-4.1");
  return events
    .flatMap((event) => converter.convert(event))
    .map((c) => ({ choices: c.choices, usage: c.usage, model: c.model }));
};

describe("ChatCompletionChunkConverter", () => {
  it("sends a whole tool call (Mistral) as one delta and renumbers tool indexes from 0", () => {
    const chunks = deltas([
      { type: "start", provider: "mistral", model: "mistral-large" },
      {
        type: "tool-call",
        index: 3,
        toolCall: { id: "abc123XYZ", name: "f", arguments: { a: 1 }, rawArguments: '{"a":1}' },
      },
      finish,
    ]);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      {
        tool_calls: [
          { index: 0, id: "abc123XYZ", type: "function", function: { name: "f", arguments: '{"a":1}' } },
        ],
      },
      {},
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
    // The finish event's model wins for the last chunk.
    expect(chunks.map((c) => c.model)).toEqual(["mistral-large", "mistral-large", "mistral-large-2"]);
  });

  it("skips the complete call after its deltas", () => {
    const chunks = deltas([
      { type: "tool-call-delta", index: 1, id: "t1", name: "f", argumentsDelta: '{"a"' },
      { type: "tool-call-delta", index: 1, argumentsDelta: ":1}" },
      {
        type: "tool-call",
        index: 1,
        toolCall: { id: "t1", name: "f", arguments: { a: 1 }, rawArguments: '{"a":1}' },
      },
    ]);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      { tool_calls: [{ index: 0, id: "t1", type: "function", function: { name: "f", arguments: '{"a"' } }] },
      { tool_calls: [{ index: 0, function: { arguments: ":1}" } }] },
    ]);
  });

  it("adds usage: null to every chunk and a usage chunk at the end with include_usage", () => {
    const chunks = deltas([{ type: "text", text: "hi" }, finish], true);
    expect(chunks.map((c) => c.usage)).toEqual([
      null,
      null,
      null,
      // Cached tokens were not reported: no `prompt_tokens_details` rather than a made-up 0.
      { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    ]);
    expect(chunks.at(-1)?.choices).toEqual([]);
    // Before any start event, the requested model labels the chunks.
    expect(chunks[0]?.model).toBe("gpt-4.1");
  });

  it("sends no usage chunk when the provider reported no usage (never 0/0/0)", () => {
    const unreported = {
      inputTokens: undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: undefined,
    };
    const chunks = deltas(
      [{ type: "text", text: "hi" }, { ...finish, usage: unreported } as ChatStreamEvent],
      true,
    );
    expect(chunks.map((c) => c.usage)).toEqual([null, null, null]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("sends a refusal as delta.refusal pieces", () => {
    const chunks = deltas([
      { type: "start", provider: "anthropic", model: "claude" },
      { type: "refusal", text: "I can't help with that." },
      { ...finish, finishReason: { unified: "content-filter", raw: "refusal" } } as ChatStreamEvent,
    ]);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      { refusal: "I can't help with that." },
      {},
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("content_filter");
  });

  it("keeps a raw finish reason that is already OpenAI's (an OpenAI refusal finishes with stop)", () => {
    const chunks = deltas([
      { ...finish, finishReason: { unified: "content-filter", raw: "stop" } } as ChatStreamEvent,
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["content-filter", "content_filter"],
    ["other", "stop"],
  ] as const)("maps the finish reason %s to %s", (unified, expected) => {
    const chunks = deltas([{ ...finish, finishReason: { unified, raw: "x" } } as ChatStreamEvent]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe(expected);
  });
});
