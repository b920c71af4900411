import type { LanguageModelV4CallOptions, LanguageModelV4Prompt, SharedV4Warning } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { convertToFailoverMessages } from "../../../src/compat/ai-sdk/convert-to-failover-messages.js";
import { convertToFailoverRequest } from "../../../src/compat/ai-sdk/convert-to-failover-request.js";

const user = (text: string): LanguageModelV4Prompt[number] => ({
  role: "user",
  content: [{ type: "text", text }],
});
const convert = (options: Partial<LanguageModelV4CallOptions>, stream = false) =>
  convertToFailoverRequest({ prompt: [user("hi")], ...options }, { stream });

describe("convertToFailoverMessages", () => {
  it("maps every role; tool outputs become text; replayable history only", () => {
    const warnings: SharedV4Warning[] = [];
    const messages = convertToFailoverMessages(
      [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look:" },
            {
              type: "file",
              mediaType: "image",
              data: { type: "url", url: new URL("https://example.com/a.png") },
            },
            { type: "file", mediaType: "image/jpeg", data: { type: "data", data: "/9j/4AAQ" } },
            { type: "file", mediaType: "text/plain", data: { type: "text", text: "inline doc" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "thinking…" },
            { type: "text", text: "Calling tools." },
            { type: "tool-call", toolCallId: "c1", toolName: "a", input: { x: 1 } },
            { type: "tool-call", toolCallId: "c2", toolName: "b", input: {} },
            {
              type: "tool-call",
              toolCallId: "s1",
              toolName: "web_search",
              input: {},
              providerExecuted: true,
            },
          ],
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: "c1",
              toolName: "a",
              output: { type: "json", value: { ok: true } },
            },
            {
              type: "tool-result",
              toolCallId: "c2",
              toolName: "b",
              output: { type: "execution-denied", reason: "no" },
            },
            { type: "tool-approval-response", approvalId: "x", approved: true },
          ],
        },
        { role: "assistant", content: [{ type: "reasoning", text: "only thoughts" }] },
      ],
      warnings,
    );
    expect(messages).toEqual([
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "Look:" },
          { type: "image", image: new URL("https://example.com/a.png") },
          { type: "image", image: "/9j/4AAQ", mediaType: "image/jpeg" },
          { type: "text", text: "inline doc" },
        ],
      },
      {
        role: "assistant",
        content: "Calling tools.",
        toolCalls: [
          { id: "c1", name: "a", arguments: { x: 1 }, rawArguments: '{"x":1}' },
          { id: "c2", name: "b", arguments: {}, rawArguments: "{}" },
        ],
      },
      { role: "tool", toolCallId: "c1", toolName: "a", content: '{"ok":true}' },
      { role: "tool", toolCallId: "c2", toolName: "b", content: "Tool execution denied: no" },
    ]);
    expect(warnings.map((w) => (w.type === "other" ? w.message : w.type))).toEqual([
      "reasoning parts in the prompt were not sent: they cannot be replayed to another provider",
      "provider-executed tool-call parts in the prompt were not sent: they cannot be replayed to another provider",
    ]);
  });

  it("refuses content no provider behind the engine can take, with the AI SDK's error", () => {
    const pdf: LanguageModelV4Prompt = [
      {
        role: "user",
        content: [{ type: "file", mediaType: "application/pdf", data: { type: "data", data: "JVBERi0" } }],
      },
    ];
    expect(() => convertToFailoverMessages(pdf, [])).toThrow(
      expect.objectContaining({ name: "AI_UnsupportedFunctionalityError" }),
    );
    const reference: LanguageModelV4Prompt = [
      {
        role: "user",
        content: [
          {
            type: "file",
            mediaType: "image/png",
            data: { type: "reference", reference: { openai: "file-1" } },
          },
        ],
      },
    ];
    expect(() => convertToFailoverMessages(reference, [])).toThrow(/provider file references/);
  });
});

describe("convertToFailoverRequest", () => {
  it("a JSON schema response format is strict only when strict rules accept the schema", () => {
    const closed = {
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    };
    const open = { type: "object", properties: { a: { type: "string" } } };
    expect(
      convert({ responseFormat: { type: "json", schema: closed as never, name: "ticket v2" } }).request
        .responseFormat,
    ).toEqual({
      type: "json_schema",
      name: "ticket_v2",
      schema: closed,
      strict: true,
    });
    expect(
      convert({ responseFormat: { type: "json", schema: open as never } }).request.responseFormat,
    ).toMatchObject({
      name: "response",
      strict: false,
    });
    expect(convert({ responseFormat: { type: "json" } }).request.responseFormat).toEqual({ type: "json" });
    expect(convert({ responseFormat: { type: "text" } }).request.responseFormat).toBeUndefined();
  });

  it("warns about everything it cannot send, never drops it silently", () => {
    const { request, warnings } = convert(
      {
        tools: [
          {
            type: "function",
            name: "f",
            inputSchema: { type: "object" },
            strict: true,
            inputExamples: [{ input: {} }],
          },
          { type: "provider", id: "openai.web_search", name: "web_search", args: {} },
        ],
        toolChoice: { type: "required" },
        responseFormat: { type: "json", description: "a ticket" },
        reasoning: "high",
        includeRawChunks: true,
        providerOptions: { aiFailover: { policy: { transport: "json" }, colour: "blue" } },
        headers: { "x-a": "1", "x-b": undefined, "User-Agent": "ai/7" },
      },
      true,
    );
    expect(request).toMatchObject({
      tools: [{ name: "f", parameters: { type: "object" } }],
      toolChoice: "required",
      headers: { "x-a": "1" },
      policy: { transport: "json" },
    });
    expect(warnings.map((w) => ("feature" in w ? w.feature : w.type))).toEqual([
      "reasoning",
      "includeRawChunks",
      "strict mode of tool f",
      "inputExamples of tool f",
      "provider-defined tool web_search",
      "responseFormat.description",
      "providerOptions.aiFailover.colour",
    ]);
  });

  it("a provider-default reasoning setting and raw chunks outside a stream are not warnings", () => {
    expect(convert({ reasoning: "provider-default", includeRawChunks: true }).warnings).toEqual([]);
  });
});
