import { describe, expect, it } from "vitest";
import { formatSSEFrame, toSSEFrame } from "../../src/http/sse-protocol.js";

describe("SSE frames", () => {
  it("keep the data on one line whatever the text holds", () => {
    const frame = formatSSEFrame("text", { text: "line 1\nline 2\r\n\n data: x" });
    expect(frame).toBe('event: text\ndata: {"text":"line 1\\nline 2\\r\\n\\n data: x"}\n\n');
    expect(frame.slice(0, -2)).not.toContain("\n\n");
  });

  it("map each stream event, with null for usage a provider did not report", () => {
    expect(toSSEFrame({ type: "start", provider: "openai", model: "gpt-4.1" }, false)).toBe(
      'event: start\ndata: {"provider":"openai","model":"gpt-4.1"}\n\n',
    );
    expect(
      toSSEFrame(
        {
          type: "tool-call",
          index: 1,
          toolCall: { id: "call_1", name: "get_order", arguments: { id: 7 }, rawArguments: '{"id":7}' },
        },
        false,
      ),
    ).toBe('event: tool-call\ndata: {"index":1,"id":"call_1","name":"get_order","arguments":{"id":7}}\n\n');
    expect(
      toSSEFrame(
        {
          type: "finish",
          finishReason: { unified: "length", raw: "max_tokens" },
          usage: { inputTokens: 5, outputTokens: 7, cachedInputTokens: undefined, totalTokens: undefined },
          provider: "anthropic",
          model: "claude-sonnet-4-6",
        },
        false,
      ),
    ).toBe(
      'event: finish\ndata: {"finishReason":"length","usage":{"inputTokens":5,"outputTokens":7,"cachedInputTokens":null,"totalTokens":null},"provider":"anthropic","model":"claude-sonnet-4-6"}\n\n',
    );
  });

  it("leave tool-call deltas out unless asked", () => {
    const delta = {
      type: "tool-call-delta",
      index: 0,
      id: "call_1",
      name: "f",
      argumentsDelta: '{"a"',
    } as const;
    expect(toSSEFrame(delta, false)).toBe("");
    expect(toSSEFrame(delta, true)).toBe(
      'event: tool-call-delta\ndata: {"index":0,"id":"call_1","name":"f","argumentsDelta":"{\\"a\\""}\n\n',
    );
  });
});
