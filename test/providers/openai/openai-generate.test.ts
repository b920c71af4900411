import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openai } from "../../../src/providers/openai/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, request, weatherTool } from "./helpers.js";

let mock: MockProvider;
let provider: ProviderAdapter;

beforeAll(async () => {
  mock = await startMockProvider({ kind: "openai", apiKey: API_KEY });
  provider = openai({ apiKey: API_KEY, baseURL: mock.baseURL, model: "gpt-4o-mini" });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

const body = (): Record<string, any> => mock.lastRequest!.body as Record<string, any>;

describe("openai generate", () => {
  it("answers text with usage, model, id and the raw body", async () => {
    mock.script(
      faults.reply({ text: "Hello!", usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 8 } }),
    );
    const result = await provider.generate(request(), attempt());
    expect(result).toMatchObject({
      text: "Hello!",
      toolCalls: [],
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 8, totalTokens: 15 },
      model: "gpt-4o-mini",
    });
    expect(result.id).toMatch(/^chatcmpl-/);
    expect(result.raw).toMatchObject({ object: "chat.completion", system_fingerprint: "fp_mock0001" });
    expect(mock.lastRequest?.path).toBe("/v1/chat/completions");
    expect(mock.lastRequest?.headers.authorization).toBe("[redacted]");
  });

  it("maps a multi-turn conversation with a system prompt, tool calls and tool results", async () => {
    await provider.generate(
      request({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Weather in Paris?" },
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
          { role: "tool", toolCallId: "call_1", toolName: "get_weather", content: '{"temp":21}' },
          { role: "assistant", content: "21°C." },
          { role: "user", content: [{ type: "text", text: "And tomorrow?" }] },
        ],
      }),
      attempt(),
    );
    expect(body().messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"temp":21}' },
      { role: "assistant", content: "21°C." },
      { role: "user", content: "And tomorrow?" },
    ]);
  });

  it("maps sampling options, stop, max_completion_tokens, extra and per-request headers", async () => {
    const withExtra = openai({
      apiKey: API_KEY,
      baseURL: mock.baseURL,
      model: "gpt-4o-mini",
      extra: { seed: 7, user: "provider-level" },
    });
    await withExtra.generate(
      request({
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 100,
        stop: ["END"],
        extra: { user: "request-level", reasoning_effort: "low" },
        headers: { "x-trace": "abc" },
      }),
      attempt(),
    );
    expect(body()).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hi there" }],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 100,
      stop: ["END"],
      seed: 7,
      user: "request-level",
      reasoning_effort: "low",
    });
    expect(body()).not.toHaveProperty("max_tokens");
    expect(mock.lastRequest?.headers["x-trace"]).toBe("abc");
  });

  it("sends tools and tool_choice, and parses the tool calls of the answer", async () => {
    mock.script(
      faults.reply({ toolCalls: [{ id: "call_abc", name: "get_weather", arguments: { city: "Oslo" } }] }),
    );
    const result = await provider.generate(
      request({ tools: [weatherTool], toolChoice: { type: "tool", name: "get_weather" } }),
      attempt(),
    );
    expect(body().tools).toEqual([{ type: "function", function: weatherTool }]);
    expect(body().tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
    expect(result.text).toBe("");
    expect(result.finishReason).toEqual({ unified: "tool-calls", raw: "tool_calls" });
    expect(result.toolCalls).toEqual([
      { id: "call_abc", name: "get_weather", arguments: { city: "Oslo" }, rawArguments: '{"city":"Oslo"}' },
    ]);
  });

  it.each([
    ["auto", "auto"],
    ["none", "none"],
    ["required", "required"],
  ] as const)("maps toolChoice %s", async (choice, wire) => {
    await provider.generate(request({ tools: [weatherTool], toolChoice: choice }), attempt());
    expect(body().tool_choice).toBe(wire);
  });

  it("keeps arguments that are not JSON as text (rawArguments exact)", async () => {
    mock.script(
      faults.reply({ toolCalls: [{ id: "call_x", name: "get_weather", arguments: '{"city": "Os' }] }),
    );
    const result = await provider.generate(request({ tools: [weatherTool] }), attempt());
    expect(result.toolCalls[0]).toMatchObject({ arguments: '{"city": "Os', rawArguments: '{"city": "Os' });
  });

  it("sends structured output as response_format json_schema and JSON mode as json_object", async () => {
    const schema = {
      type: "object",
      properties: { ok: { type: "boolean" } },
      required: ["ok"],
      additionalProperties: false,
    };
    mock.script(faults.reply({ json: { ok: true } }));
    const result = await provider.generate(
      request({ responseFormat: { type: "json_schema", name: "answer", schema, strict: true } }),
      attempt(),
    );
    expect(body().response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "answer", schema, strict: true },
    });
    expect(JSON.parse(result.text)).toEqual({ ok: true });

    await provider.generate(request({ responseFormat: { type: "json" } }), attempt());
    expect(body().response_format).toEqual({ type: "json_object" });
  });

  it("sends images as image_url parts: URLs, data URLs, bytes and base64", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const pngBase64 = Buffer.from(png).toString("base64");
    const jpegBase64 = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]).toString("base64");
    await provider.generate(
      request({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is in these?" },
              { type: "image", image: "https://example.com/cat.png" },
              { type: "image", image: new URL("https://example.com/dog.jpg") },
              { type: "image", image: "data:image/gif;base64,R0lGODlh" },
              { type: "image", image: png },
              { type: "image", image: jpegBase64 },
              { type: "image", image: pngBase64, mediaType: "image/webp" },
            ],
          },
        ],
      }),
      attempt(),
    );
    const urls = body().messages[0].content.map((part: any) => part.image_url?.url ?? part.text);
    expect(urls).toEqual([
      "What is in these?",
      "https://example.com/cat.png",
      "https://example.com/dog.jpg",
      "data:image/gif;base64,R0lGODlh",
      `data:image/png;base64,${pngBase64}`,
      `data:image/jpeg;base64,${jpegBase64}`,
      `data:image/webp;base64,${pngBase64}`,
    ]);
    expect(body().messages[0].content[1]).toEqual({
      type: "image_url",
      image_url: { url: "https://example.com/cat.png" },
    });
  });

  it("rejects an unrecognisable base64 image without a mediaType, before sending", async () => {
    const error = await provider
      .generate(
        request({ messages: [{ role: "user", content: [{ type: "image", image: "AAAAAAAA" }] }] }),
        attempt(),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidRequestError" });
    expect(String((error as Error).message)).toContain("messages.0.content.0.mediaType");
    expect(mock.callCount).toBe(0);
  });

  it("maps the length finish reason and reports the model the server used", async () => {
    const fixedModel = await startMockProvider({ kind: "openai", model: "gpt-4o-mini-2024-07-18" });
    try {
      fixedModel.script(faults.reply({ finishReason: "length" }));
      const p = openai({ apiKey: API_KEY, baseURL: fixedModel.baseURL, model: "gpt-4o-mini" });
      const result = await p.generate(request(), attempt());
      expect(result.finishReason).toEqual({ unified: "length", raw: "length" });
      expect(result.model).toBe("gpt-4o-mini-2024-07-18");
    } finally {
      await fixedModel.close();
    }
  });

  it("uses the request's model (per-request mapping)", async () => {
    await provider.generate(request({ model: "gpt-4.1" }), attempt());
    expect(mock.lastRequest?.model).toBe("gpt-4.1");
  });
});
