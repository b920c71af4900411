import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { adapterFor, attempt, caught, collect, MODELS, request, SDK_KINDS, type SdkKind } from "./helpers.js";

const weather = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe.each(SDK_KINDS)("aiSdk(%s) through its real AI SDK provider", (kind: SdkKind) => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startMockProvider({ kind, defaultText: `Hello from ${kind} via the AI SDK.` });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it("generate: text, finish, usage, the model and id the provider reported", async () => {
    mock.script(faults.reply({ usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 2 } }));
    const adapter = adapterFor(kind, mock);
    const response = await adapter.generate(request(kind), attempt());
    expect(response.text).toBe(`Hello from ${kind} via the AI SDK.`);
    expect(response.finishReason.unified).toBe("stop");
    expect(response.usage).toMatchObject({
      inputTokens: 12,
      outputTokens: 5,
      cachedInputTokens: 2,
      totalTokens: 17,
    });
    expect(response.model).toBe(MODELS[kind]);
    expect(response.id).toEqual(expect.any(String));
    expect(mock.callCount).toBe(1);
    expect(mock.lastRequest?.stream).toBe(false);
  });

  it("stream: text pieces, then one finish with usage", async () => {
    mock.script(faults.reply({ text: "abcdefghijklmnop", chunkSize: 4 }));
    const { parts, text, finish } = await collect(
      await adapterFor(kind, mock).stream(request(kind), attempt()),
    );
    expect(text).toBe("abcdefghijklmnop");
    expect(parts.filter((p) => p.type === "text").length).toBe(4);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
    expect(parts.at(-1)).toBe(finish);
    expect(finish).toMatchObject({ finishReason: { unified: "stop" }, model: MODELS[kind] });
    expect(finish!.usage.outputTokens).toBeGreaterThan(0);
    expect(mock.lastRequest?.stream).toBe(true);
  });

  it("maps the request: system, user image, assistant tool call, tool result, sampling, stop, tools", async () => {
    mock.script(faults.reply({ text: "ok" }));
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    await adapterFor(kind, mock).generate(
      request(kind, {
        messages: [
          { role: "system", content: "Be brief." },
          {
            role: "user",
            content: [
              { type: "text", text: "Weather here?" },
              { type: "image", image: new Uint8Array(png) },
            ],
          },
          {
            role: "assistant",
            content: null,
            toolCalls: [
              {
                id: "call_1",
                name: "get_weather",
                arguments: { city: "Paris" },
                rawArguments: '{"city":"Paris"}',
              },
            ],
          },
          { role: "tool", toolCallId: "call_1", content: "sunny" },
        ],
        tools: [weather],
        toolChoice: "auto",
        temperature: 0.2,
        topP: 0.8,
        maxTokens: 99,
        stop: ["END"],
        headers: { "x-trace": "t-1" },
      }),
      attempt(),
    );
    const body = mock.lastRequest!.body as any;
    expect(mock.lastRequest!.headers["x-trace"]).toBe("t-1");
    const text = JSON.stringify(body);
    expect(text).toContain("Be brief.");
    expect(text).toContain("Weather here?");
    expect(text).toContain(png.toString("base64"));
    expect(text).toContain("sunny");
    expect(text).toContain("get_weather");
    expect(text).toContain("0.2");
    expect(text).toContain("99");
    expect(text).toContain("END");
    if (kind === "openai") {
      expect(body).toMatchObject({
        temperature: 0.2,
        top_p: 0.8,
        max_tokens: 99,
        stop: ["END"],
        tool_choice: "auto",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user" },
          {
            role: "assistant",
            tool_calls: [{ id: "call_1", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
          },
          { role: "tool", tool_call_id: "call_1", content: "sunny" },
        ],
      });
    } else if (kind === "anthropic") {
      expect(body).toMatchObject({
        system: [{ type: "text", text: "Be brief." }],
        max_tokens: 99,
        stop_sequences: ["END"],
        messages: [
          {
            role: "user",
            content: [
              { type: "text" },
              { type: "image", source: { type: "base64", media_type: "image/png" } },
            ],
          },
          {
            role: "assistant",
            content: [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } }],
          },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1" }] },
        ],
      });
    } else {
      expect(body).toMatchObject({
        systemInstruction: { parts: [{ text: "Be brief." }] },
        generationConfig: { temperature: 0.2, topP: 0.8, maxOutputTokens: 99, stopSequences: ["END"] },
        contents: [
          { role: "user", parts: [{ text: "Weather here?" }, { inlineData: { mimeType: "image/png" } }] },
          { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
          { role: "user", parts: [{ functionResponse: { name: "get_weather" } }] },
        ],
        tools: [{ functionDeclarations: [{ name: "get_weather" }] }],
      });
    }
  });

  it("tool calls: parsed arguments and exact raw text, streamed as deltas then one tool-call", async () => {
    const call = {
      id: kind === "google" ? undefined : "call_9",
      name: "get_weather",
      arguments: { city: "Oslo" },
    };
    mock.script(faults.reply({ toolCalls: [call] }), faults.reply({ toolCalls: [call] }));
    const adapter = adapterFor(kind, mock);
    const response = await adapter.generate(request(kind, { tools: [weather] }), attempt());
    expect(response.finishReason.unified).toBe("tool-calls");
    expect(response.toolCalls).toEqual([
      {
        id: expect.any(String),
        name: "get_weather",
        arguments: { city: "Oslo" },
        rawArguments: '{"city":"Oslo"}',
      },
    ]);
    if (kind !== "google") expect(response.toolCalls[0]!.id).toBe("call_9");
    const { parts } = await collect(await adapter.stream(request(kind, { tools: [weather] }), attempt()));
    const deltas = parts.filter((p) => p.type === "tool-call-delta");
    expect(deltas[0]).toMatchObject({ index: 0, id: expect.any(String), name: "get_weather" });
    expect(deltas.map((d) => (d as any).argumentsDelta).join("")).toBe('{"city":"Oslo"}');
    expect(parts.find((p) => p.type === "tool-call")).toMatchObject({
      index: 0,
      toolCall: { name: "get_weather", arguments: { city: "Oslo" } },
    });
  });

  it("structured output: the JSON schema reaches the provider in its own form", async () => {
    mock.script(faults.reply({ json: { answer: 42 } }));
    const schema = {
      type: "object",
      properties: { answer: { type: "number" } },
      required: ["answer"],
      additionalProperties: false,
    };
    const response = await adapterFor(kind, mock).generate(
      request(kind, { responseFormat: { type: "json_schema", name: "result", schema } }),
      attempt(),
    );
    expect(JSON.parse(response.text)).toEqual({ answer: 42 });
    const body = JSON.stringify(mock.lastRequest!.body);
    expect(body).toContain('"answer"');
    if (kind === "openai") expect(body).toContain('"json_schema"');
    if (kind === "google") expect(body).toContain('"responseMimeType":"application/json"');
  });

  it("the attempt's abort ends a stream mid-way and closes the request", async () => {
    mock.script(faults.reply({ eventIntervalMs: 25 }));
    const controller = new AbortController();
    const iterable = await adapterFor(kind, mock).stream(request(kind), attempt(controller.signal));
    const iterator = iterable[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: "text" });
    controller.abort(new DOMException("gone", "AbortError"));
    const error = await caught(() => iterator.next());
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "aborted" });
    for (let i = 0; i < 200 && mock.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(mock.inFlight).toBe(0);
  });

  it("return() closes the request at once, even before the first read", async () => {
    mock.script(faults.stall(1));
    const iterable = await adapterFor(kind, mock).stream(request(kind), attempt());
    await iterable[Symbol.asyncIterator]().return!();
    for (let i = 0; i < 200 && mock.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(mock.inFlight).toBe(0);
  });
});
