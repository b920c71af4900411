import { describe, expect, it } from "vitest";
import type { ChatResult } from "../../src/spec/chat.js";
import type { Message } from "../../src/spec/request.js";
import {
  convertToGenAiInputMessages,
  convertToGenAiOutputMessages,
} from "../../src/telemetry/convert-to-gen-ai-messages.js";

const toolCall = { id: "call_1", name: "get_order", arguments: { id: 42 }, rawArguments: '{"id":42}' };

describe("convertToGenAiInputMessages", () => {
  it("maps every role and part to the conventions' message schema", () => {
    const messages: Message[] = [
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", image: "https://example.com/cat.png" },
          { type: "image", image: new URL("https://example.com/dog.jpg"), mediaType: "image/jpeg" },
        ],
      },
      { role: "assistant", content: null, toolCalls: [toolCall] },
      { role: "tool", toolCallId: "call_1", content: '{"status":"shipped"}' },
      { role: "assistant", content: "Shipped." },
    ];
    expect(JSON.parse(convertToGenAiInputMessages(messages))).toEqual([
      { role: "system", parts: [{ type: "text", content: "Be brief." }] },
      {
        role: "user",
        parts: [
          { type: "text", content: "What is this?" },
          { type: "uri", modality: "image", uri: "https://example.com/cat.png" },
          { type: "uri", modality: "image", uri: "https://example.com/dog.jpg", mime_type: "image/jpeg" },
        ],
      },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_1", name: "get_order", arguments: { id: 42 } }],
      },
      {
        role: "tool",
        parts: [{ type: "tool_call_response", id: "call_1", response: '{"status":"shipped"}' }],
      },
      { role: "assistant", parts: [{ type: "text", content: "Shipped." }] },
    ]);
  });

  it("never copies inline image bytes: a data URL, base64 text or bytes keep only their media type", () => {
    const base64 = Buffer.from("PNG-BYTES-CANARY").toString("base64");
    const json = convertToGenAiInputMessages([
      {
        role: "user",
        content: [
          { type: "image", image: `data:image/png;base64,${base64}` },
          { type: "image", image: base64, mediaType: "image/webp" },
          { type: "image", image: new Uint8Array([1, 2, 3]), mediaType: "image/gif" },
        ],
      },
    ]);
    expect(json).not.toContain(base64);
    expect(JSON.parse(json)[0].parts).toEqual([
      { type: "blob", modality: "image", mime_type: "image/png", content: "" },
      { type: "blob", modality: "image", mime_type: "image/webp", content: "" },
      { type: "blob", modality: "image", mime_type: "image/gif", content: "" },
    ]);
  });
});

describe("convertToGenAiOutputMessages", () => {
  const result = (fields: Partial<ChatResult>): ChatResult =>
    ({
      text: "",
      refusal: undefined,
      toolCalls: [],
      finishReason: { unified: "stop", raw: "stop" },
      ...fields,
    }) as ChatResult;

  it("the reply's text and tool calls, with the provider's finish reason", () => {
    expect(
      JSON.parse(
        convertToGenAiOutputMessages(
          result({
            text: "Let me look.",
            toolCalls: [toolCall],
            finishReason: { unified: "tool-calls", raw: "tool_use" },
          }),
        ),
      ),
    ).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "text", content: "Let me look." },
          { type: "tool_call", id: "call_1", name: "get_order", arguments: { id: 42 } },
        ],
        finish_reason: "tool_use",
      },
    ]);
  });

  it("a refusal is the reply's text; without a raw reason, ours", () => {
    expect(
      JSON.parse(
        convertToGenAiOutputMessages(
          result({
            refusal: "I can't help with that.",
            finishReason: { unified: "content-filter", raw: undefined },
          }),
        ),
      ),
    ).toEqual([
      {
        role: "assistant",
        parts: [{ type: "text", content: "I can't help with that." }],
        finish_reason: "content-filter",
      },
    ]);
  });
});
