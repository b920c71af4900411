/**
 * Rule 8 of issue 7: streamed tool calls are read as real traffic sends them. Through the real
 * SDKs against a local server speaking each wire format:
 * - Mistral relaying other vendors' models sends OpenAI-style pieces (first delta with id, name and
 *   `arguments: ""`, then pieces with no id — the SDK fills in "null" — `name: ""` and argument
 *   text, all with the same index): they are joined by index into one call;
 * - names split across pieces (Gemini's OpenAI endpoint) are joined; names repeated whole on every
 *   piece (MiniMax through NVIDIA NIM) are not doubled.
 */
import { Mistral } from "@mistralai/mistralai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, mistral, openaiCompatible } from "../../../src/index.js";
import { ToolCallAccumulator } from "../../../src/providers/shared/accumulate-tool-call-deltas.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import { faults, type MockFault, type MockProvider, startMockProvider } from "../../../src/testing/index.js";

const context = { provider: "openai", model: "gpt-test" };

describe("ToolCallAccumulator", () => {
  it("holds a call's first delta until argument text comes, so it carries the whole name", () => {
    const acc = new ToolCallAccumulator();
    expect(acc.add({ index: 0, id: "call_1", function: { name: "get_we", arguments: "" } })).toBeUndefined();
    expect(acc.add({ index: 0, function: { name: "ather" } })).toBeUndefined();
    expect(acc.add({ index: 0, function: { arguments: '{"city":' } })).toEqual({
      type: "tool-call-delta",
      index: 0,
      id: "call_1",
      name: "get_weather",
      argumentsDelta: '{"city":',
    });
    expect(acc.add({ index: 0, function: { arguments: '"Oslo"}' } })).toEqual({
      type: "tool-call-delta",
      index: 0,
      argumentsDelta: '"Oslo"}',
    });
    expect(acc.complete(context)[0]?.toolCall).toEqual({
      id: "call_1",
      name: "get_weather",
      arguments: { city: "Oslo" },
      rawArguments: '{"city":"Oslo"}',
    });
  });

  it.each([
    ["split (Gemini)", ["get_", "wea", "ther"], "get_weather"],
    ["repeated whole (MiniMax via NIM)", ["get_weather", "get_weather", "get_weather"], "get_weather"],
    ["restated longer", ["get_", "get_weather"], "get_weather"],
    ["empty pieces (Mistral)", ["get_weather", "", ""], "get_weather"],
  ])("joins names %s", (_, names, expected) => {
    const acc = new ToolCallAccumulator();
    names.forEach((name, i) => {
      acc.add({
        index: 0,
        ...(i === 0 ? { id: "c1" } : {}),
        function: { name, arguments: i === 2 ? "{}" : "" },
      });
    });
    expect(acc.complete(context)[0]?.toolCall.name).toBe(expected);
  });

  it("treats the id 'null' (Mistral's SDK fills it in) as no id; a new real id on a used index starts a new call", () => {
    const acc = new ToolCallAccumulator({ createId: (n) => `gen${n}` });
    acc.add({ index: 0, id: "null", function: { name: "f", arguments: "{}" } });
    acc.add({ index: 0, id: "aaaaaaaa1", function: { arguments: "" } });
    acc.add({ index: 0, id: "bbbbbbbb2", function: { name: "g", arguments: "{}" } });
    expect(acc.complete(context).map((p) => [p.index, p.toolCall.id, p.toolCall.name])).toEqual([
      [0, "aaaaaaaa1", "f"],
      [1, "bbbbbbbb2", "g"],
    ]);
  });

  it("a call that never got a name is a malformed reply (invalid_response): no app can dispatch it", () => {
    const acc = new ToolCallAccumulator();
    acc.add({ index: 0, id: "c1", function: { arguments: '{"city":"Oslo"}' } });
    expect(() => acc.complete(context)).toThrow(
      expect.objectContaining({
        failureClass: "invalid_response",
        message: expect.stringContaining("no name"),
      }),
    );
  });

  it("a call with no argument text at all is announced only by complete()", () => {
    const acc = new ToolCallAccumulator();
    expect(acc.add({ index: 0, id: "c1", function: { name: "now", arguments: "" } })).toBeUndefined();
    expect(acc.complete(context)[0]?.toolCall).toMatchObject({
      name: "now",
      arguments: {},
      rawArguments: "",
    });
  });
});

let mistralMock: MockProvider;
let openaiMock: MockProvider;
beforeAll(async () => {
  mistralMock = await startMockProvider({ kind: "mistral" });
  openaiMock = await startMockProvider({ kind: "openai" });
});
beforeEach(() => {
  mistralMock.reset();
  openaiMock.reset();
});
afterAll(async () => {
  await Promise.all([mistralMock.close(), openaiMock.close()]);
});

const sse = (chunks: unknown[]): MockFault =>
  faults.status(200, `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("")}data: [DONE]\n\n`, {
    "content-type": "text/event-stream",
  });
const chunk = (
  delta: Record<string, unknown>,
  finishReason: string | null = null,
  extra: Record<string, unknown> = {},
) => ({
  id: "cmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "zai-glm-5-2",
  choices: [{ index: 0, delta, finish_reason: finishReason }],
  ...extra,
});

/** Two parallel calls streamed in OpenAI-style pieces, as the Mistral API sends them for relayed models. */
const mistralPieces = sse([
  chunk({ role: "assistant", content: "" }),
  chunk({
    tool_calls: [
      { id: "Abc123xyZ", type: "function", index: 0, function: { name: "get_weather", arguments: "" } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { name: "", arguments: '{"city": ' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { name: "", arguments: '"Paris"}' } }] }),
  chunk({
    tool_calls: [
      { id: "Def456uvW", type: "function", index: 1, function: { name: "get_time", arguments: "" } },
    ],
  }),
  chunk({ tool_calls: [{ index: 1, function: { name: "", arguments: '{"zone": "CET"}' } }] }),
  chunk({ content: "" }, "tool_calls", {
    usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 },
  }),
]);

const weather = {
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
};

describe("Mistral: pieces of one call are joined by index (through the Mistral SDK)", () => {
  const adapter = () =>
    mistral({
      client: new Mistral({ apiKey: "k-0001", serverURL: mistralMock.baseURL }),
      model: "zai-glm-5-2",
    });

  it("the adapter yields the deltas as they come, then two whole calls", async () => {
    mistralMock.script(mistralPieces);
    const parts: StreamPart[] = [];
    const a = adapter();
    for await (const part of await a.stream(
      { model: a.model, messages: [{ role: "user", content: "weather and time?" }], tools: [weather] },
      { signal: new AbortController().signal, timeoutMs: 10_000 },
    )) {
      parts.push(part);
    }
    expect(parts.filter((p) => p.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: {
          id: "Abc123xyZ",
          name: "get_weather",
          arguments: { city: "Paris" },
          rawArguments: '{"city": "Paris"}',
        },
      },
      {
        type: "tool-call",
        index: 1,
        toolCall: {
          id: "Def456uvW",
          name: "get_time",
          arguments: { zone: "CET" },
          rawArguments: '{"zone": "CET"}',
        },
      },
    ]);
    const deltas = parts.filter((p) => p.type === "tool-call-delta");
    expect(deltas.map((d) => d.index)).toEqual([0, 0, 1]);
    expect(deltas[0]).toMatchObject({ id: "Abc123xyZ", name: "get_weather", argumentsDelta: '{"city": ' });
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "tool-calls" } });
  });

  it("the engine's result has two whole calls", async () => {
    mistralMock.script(mistralPieces);
    const client = createClient({ providers: [adapter()] });
    const result = await client.chat({
      messages: [{ role: "user", content: "weather and time?" }],
      tools: [weather],
    });
    expect(result.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_time", { zone: "CET" }],
    ]);
  });
});

describe("OpenAI-compatible servers: tool names split across pieces, or repeated on each (through the openai SDK)", () => {
  const adapter = () =>
    openaiCompatible({ name: "gemini", baseURL: openaiMock.baseURL, model: "gemini-3-flash" });
  const namedPieces = (names: string[]) =>
    sse([
      chunk({ role: "assistant", content: null }),
      ...names.map((name, i) =>
        chunk({
          tool_calls: [
            {
              index: 0,
              ...(i === 0 ? { id: "call_1", type: "function" } : {}),
              function: { name, arguments: i === names.length - 1 ? '{"city":"Oslo"}' : "" },
            },
          ],
        }),
      ),
      chunk({}, "tool_calls"),
    ]);

  it.each([
    ["split", ["get_", "weather"]],
    ["repeated whole", ["get_weather", "get_weather", "get_weather"]],
  ])("%s → one call named get_weather", async (_, names) => {
    openaiMock.script(namedPieces(names), namedPieces(names));
    const client = createClient({ providers: [adapter()] });
    const result = await client.chat({ messages: [{ role: "user", content: "weather?" }], tools: [weather] });
    expect(result.toolCalls).toEqual([
      { id: "call_1", name: "get_weather", arguments: { city: "Oslo" }, rawArguments: '{"city":"Oslo"}' },
    ]);
    const events = [];
    for await (const event of client.stream({
      messages: [{ role: "user", content: "weather?" }],
      tools: [weather],
    })) {
      events.push(event);
    }
    expect(events.filter((e) => e.type === "tool-call-delta")).toEqual([
      {
        type: "tool-call-delta",
        index: 0,
        id: "call_1",
        name: "get_weather",
        argumentsDelta: '{"city":"Oslo"}',
      },
    ]);
  });
});
