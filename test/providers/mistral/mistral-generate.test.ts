import { Mistral } from "@mistralai/mistralai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mistral } from "../../../src/providers/mistral/index.js";
import type { ToolChoice } from "../../../src/spec/request.js";
import { type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, adapterFor, attempt, hello } from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "mistral" });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const body = () => mock.lastRequest?.body as Record<string, any>;

describe("mistral generate", () => {
  it("answers a text prompt", async () => {
    const adapter = adapterFor(mock);
    const result = await adapter.generate(hello(), attempt());
    expect(result.text).toBe("Hello from mistral");
    expect(result.finishReason).toEqual({ unified: "stop", raw: "stop" });
    expect(result.model).toBe("mistral-small-latest");
    expect(result.id).toEqual(expect.any(String));
    expect(result.toolCalls).toEqual([]);
    expect(mock.lastRequest?.path).toBe("/v1/chat/completions");
    expect(mock.lastRequest?.headers.authorization).toBe("[redacted]");
    expect(body()).toMatchObject({ model: "mistral-small-latest", stream: false });
  });

  it("reports usage, cached prompt tokens included", async () => {
    mock.script(mock.faults.reply({ usage: { inputTokens: 120, outputTokens: 7, cachedInputTokens: 100 } }));
    const result = await adapterFor(mock).generate(hello(), attempt());
    expect(result.usage).toEqual({
      inputTokens: 120,
      outputTokens: 7,
      cachedInputTokens: 100,
      totalTokens: 127,
    });
  });

  it("maps a multi-turn conversation with a system prompt and sampling options (snake_case on the wire)", async () => {
    await adapterFor(mock).generate(
      hello({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
          { role: "user", content: "How are you?" },
        ],
        temperature: 0.3,
        topP: 0.9,
        maxTokens: 64,
        stop: ["\n\n"],
      }),
      attempt(),
    );
    expect(body()).toEqual({
      model: "mistral-small-latest",
      stream: false,
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 64,
      stop: ["\n\n"],
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!", prefix: false },
        { role: "user", content: "How are you?" },
      ],
    });
  });

  it("sends tools and tool choice, and returns parsed tool calls", async () => {
    mock.script(
      mock.faults.reply({
        toolCalls: [{ id: "abcDEF123", name: "get_weather", arguments: { city: "Paris" } }],
      }),
    );
    const parameters = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const result = await adapterFor(mock).generate(
      hello({
        tools: [{ name: "get_weather", description: "Weather for a city", parameters }],
        toolChoice: "required",
      }),
      attempt(),
    );
    expect(body().tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters } },
    ]);
    expect(body().tool_choice).toBe("any");
    expect(result.toolCalls).toEqual([
      {
        id: "abcDEF123",
        name: "get_weather",
        arguments: { city: "Paris" },
        rawArguments: '{"city":"Paris"}',
      },
    ]);
    expect(result.finishReason).toEqual({ unified: "tool-calls", raw: "tool_calls" });
  });

  it.each<[ToolChoice, unknown]>([
    ["auto", "auto"],
    ["none", "none"],
    [
      { type: "tool", name: "get_weather" },
      { type: "function", function: { name: "get_weather" } },
    ],
  ])("maps toolChoice %j", async (toolChoice, wire) => {
    await adapterFor(mock).generate(
      hello({ tools: [{ name: "get_weather", parameters: { type: "object" } }], toolChoice }),
      attempt(),
    );
    expect(body().tool_choice).toEqual(wire);
  });

  it("sends tool results back with Mistral-shaped ids and the tool name", async () => {
    await adapterFor(mock).generate(
      hello({
        messages: [
          { role: "user", content: "Weather in Paris?" },
          {
            role: "assistant",
            content: null,
            toolCalls: [
              {
                id: "call_abc",
                name: "get_weather",
                arguments: { city: "Paris" },
                rawArguments: '{"city":"Paris"}',
              },
              { id: "Zx9Zx9Zx9", name: "get_time", arguments: {}, rawArguments: "{}" },
            ],
          },
          { role: "tool", toolCallId: "call_abc", content: '{"temp":21}' },
          { role: "tool", toolCallId: "Zx9Zx9Zx9", toolName: "get_time", content: "12:00" },
        ],
      }),
      attempt(),
    );
    const [, assistant, tool1, tool2] = body().messages;
    const mappedId = assistant.tool_calls[0].id;
    expect(mappedId).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(assistant).toEqual({
      role: "assistant",
      content: "",
      prefix: false,
      tool_calls: [
        {
          id: mappedId,
          type: "function",
          index: 0,
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        },
        { id: "Zx9Zx9Zx9", type: "function", index: 0, function: { name: "get_time", arguments: "{}" } },
      ],
    });
    expect(tool1).toEqual({
      role: "tool",
      content: '{"temp":21}',
      tool_call_id: mappedId,
      name: "get_weather",
    });
    expect(tool2).toEqual({ role: "tool", content: "12:00", tool_call_id: "Zx9Zx9Zx9", name: "get_time" });
  });

  it("keeps the raw text of tool arguments that are not valid JSON", async () => {
    mock.script(mock.faults.reply({ toolCalls: [{ id: "abcDEF123", name: "f", arguments: '{"a":' }] }));
    const result = await adapterFor(mock).generate(hello(), attempt());
    expect(result.toolCalls[0]).toMatchObject({ arguments: '{"a":', rawArguments: '{"a":' });
  });

  it("sends a JSON schema as response_format json_schema and JSON mode as json_object", async () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    mock.script(mock.faults.reply({ json: { ok: true } }));
    const result = await adapterFor(mock).generate(
      hello({ responseFormat: { type: "json_schema", name: "answer", schema, strict: true } }),
      attempt(),
    );
    expect(JSON.parse(result.text)).toEqual({ ok: true });
    expect(body().response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "answer", schema, strict: true },
    });

    await adapterFor(mock).generate(hello({ responseFormat: { type: "json" } }), attempt());
    expect(body().response_format).toEqual({ type: "json_object" });
  });

  it("sends images as image_url chunks (URL, data URL, bytes, base64)", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const pngBase64 = Buffer.from(png).toString("base64");
    await adapterFor(mock).generate(
      hello({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is in these?" },
              { type: "image", image: "https://example.com/cat.png" },
              { type: "image", image: new URL("https://example.com/dog.jpg") },
              { type: "image", image: `data:image/png;base64,${pngBase64}` },
              { type: "image", image: png },
              { type: "image", image: pngBase64, mediaType: "image/png" },
              { type: "image", image: pngBase64 },
            ],
          },
        ],
      }),
      attempt(),
    );
    const dataUrl = `data:image/png;base64,${pngBase64}`;
    expect(body().messages[0].content).toEqual([
      { type: "text", text: "What is in these?" },
      { type: "image_url", image_url: "https://example.com/cat.png" },
      { type: "image_url", image_url: "https://example.com/dog.jpg" },
      { type: "image_url", image_url: dataUrl },
      { type: "image_url", image_url: dataUrl },
      { type: "image_url", image_url: dataUrl },
      { type: "image_url", image_url: dataUrl },
    ]);
  });

  it("rejects bytes of an unknown image format without a mediaType, before sending", async () => {
    const error = await adapterFor(mock)
      .generate(
        hello({
          messages: [{ role: "user", content: [{ type: "image", image: Uint8Array.from([1, 2, 3]) }] }],
        }),
        attempt(),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidRequestError" });
    expect((error as Error).message).toContain("messages.0.content.0.mediaType");
    expect(mock.callCount).toBe(0);
  });

  it("merges extra (factory, then request) by SDK field name; wire names are renamed", async () => {
    const adapter = adapterFor(mock, { extra: { safePrompt: true, random_seed: 1 } });
    await adapter.generate(hello({ extra: { randomSeed: 42, presence_penalty: 0.5 } }), attempt());
    expect(body()).toMatchObject({ safe_prompt: true, random_seed: 42, presence_penalty: 0.5 });
  });

  it("fails loudly on an extra field the SDK would silently drop", async () => {
    const error = await adapterFor(mock)
      .generate(hello({ extra: { not_a_field: 1 } }), attempt())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidRequestError" });
    expect((error as Error).message).toContain("not_a_field");
    expect(mock.callCount).toBe(0);
  });

  it("an extra value the SDK refuses to send is the caller's InvalidRequestError (nothing was sent)", async () => {
    const error = await adapterFor(mock)
      .generate(hello({ extra: { randomSeed: "not a number" } }), attempt())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidRequestError" });
    expect((error as Error).message).toContain("randomSeed");
    expect((error as Error).message).not.toContain("not a number");
    expect(mock.callCount).toBe(0);
  });

  it("sends factory and per-call headers", async () => {
    const adapter = adapterFor(mock, { headers: { "x-team": "search", "x-call": "default" } });
    await adapter.generate(hello({ headers: { "x-call": "this-one" } }), attempt());
    expect(mock.lastRequest?.headers).toMatchObject({ "x-team": "search", "x-call": "this-one" });
  });

  it("builds its own client from apiKey / serverURL / fetch", async () => {
    let fetched = 0;
    const adapter = mistral({
      apiKey: API_KEY,
      serverURL: mock.baseURL,
      model: "mistral-large-latest",
      fetch: (input, init) => {
        fetched++;
        return globalThis.fetch(input, init);
      },
    });
    expect(adapter).toMatchObject({
      kind: "mistral",
      name: "mistral",
      domain: "mistral",
      model: "mistral-large-latest",
    });
    const result = await adapter.generate(hello({ model: "mistral-large-latest" }), attempt());
    expect(result.text).toBe("Hello from mistral");
    expect(fetched).toBe(1);
    expect(mock.lastRequest?.model).toBe("mistral-large-latest");
  });

  it("never retries inside the SDK, even on a user client configured to retry", async () => {
    const client = new Mistral({
      apiKey: API_KEY,
      serverURL: mock.baseURL,
      retryConfig: {
        strategy: "backoff",
        backoff: { initialInterval: 1, maxInterval: 1, exponent: 1, maxElapsedTime: 1000 },
        retryConnectionErrors: true,
      },
    });
    const adapter = mistral({ client, model: "mistral-small-latest" });
    mock.script(mock.faults.serverError(), mock.faults.serverError());
    await expect(adapter.generate(hello(), attempt())).rejects.toMatchObject({
      failureClass: "server_error",
    });
    expect(mock.callCount).toBe(1);
  });

  it("returns text only from text chunks of array content (thinking left in raw)", async () => {
    mock.script(
      mock.faults.status(200, {
        id: "x1",
        object: "chat.completion",
        model: "magistral-small-latest",
        created: 1,
        usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            message: {
              role: "assistant",
              content: [
                { type: "thinking", thinking: [{ type: "text", text: "Let me think." }] },
                { type: "text", text: "The answer " },
                { type: "text", text: "is 4." },
              ],
            },
          },
        ],
      }),
    );
    const result = await adapterFor(mock).generate(hello(), attempt());
    expect(result.text).toBe("The answer is 4.");
    expect(result.model).toBe("magistral-small-latest");
    expect(result.usage).toEqual({
      inputTokens: 3,
      outputTokens: 4,
      cachedInputTokens: undefined,
      totalTokens: 7,
    });
    expect(JSON.stringify(result.raw)).toContain("Let me think.");
  });

  it("throws server_error for finish_reason error and content_filter for a filtered reply", async () => {
    mock.script(mock.faults.reply({ finishReason: "error" }), mock.faults.contentFilterStream());
    const adapter = adapterFor(mock);
    await expect(adapter.generate(hello(), attempt())).rejects.toMatchObject({
      failureClass: "server_error",
      providerCode: "error",
    });
    await expect(adapter.generate(hello(), attempt())).rejects.toMatchObject({
      failureClass: "content_filter",
    });
  });

  it("maps model_length and length finish reasons to length", async () => {
    mock.script(
      mock.faults.reply({ finishReason: "model_length" }),
      mock.faults.reply({ finishReason: "length" }),
    );
    const adapter = adapterFor(mock);
    expect((await adapter.generate(hello(), attempt())).finishReason).toEqual({
      unified: "length",
      raw: "model_length",
    });
    expect((await adapter.generate(hello(), attempt())).finishReason).toEqual({
      unified: "length",
      raw: "length",
    });
  });
});
