import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anthropicJsonModeInstruction } from "../../../src/providers/anthropic/convert-to-anthropic-request.js";
import type { MockProvider } from "../../../src/testing/index.js";
import {
  API_KEY,
  attempt,
  caught,
  collect,
  MODEL,
  providerFor,
  providerWithClient,
  request,
  startAnthropicMock,
  weatherTool,
} from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startAnthropicMock();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const sentBody = () => mock.lastRequest?.body as Record<string, any>;

// 1×1 transparent PNG.
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

describe("anthropic request mapping", () => {
  it("posts to /v1/messages with bearer auth, the 2026-10-21 version and default max_tokens", async () => {
    await providerFor(mock).generate(request(), attempt());
    const sent = mock.lastRequest!;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers.authorization).toBeDefined();
    expect(JSON.stringify(sent.headers)).not.toContain(API_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2026-10-21");
    expect(sent.headers["x-stainless-retry-count"]).toBe("0");
    expect(sent.body).toEqual({
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: "Hi there" }],
    });
  });

  it("uses defaultMaxTokens when the request sets none, and the request's maxTokens otherwise", async () => {
    const provider = providerFor(mock, { defaultMaxTokens: 1000 });
    await provider.generate(request(), attempt());
    expect(sentBody().max_tokens).toBe(1000);
    await provider.generate(request({ maxTokens: 77 }), attempt());
    expect(sentBody().max_tokens).toBe(77);
  });

  it("maps a multi-turn conversation with system prompts, merging consecutive same-role turns", async () => {
    await providerFor(mock).generate(
      request({
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Hello" },
          { role: "user", content: "Are you there?" },
          { role: "assistant", content: "Yes." },
          { role: "system", content: "Answer in French." },
          { role: "user", content: "Good." },
        ],
      }),
      attempt(),
    );
    expect(sentBody().system).toEqual([
      { type: "text", text: "You are terse." },
      { type: "text", text: "Answer in French." },
    ]);
    expect(sentBody().messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Hello" },
          { type: "text", text: "Are you there?" },
        ],
      },
      { role: "assistant", content: "Yes." },
      { role: "user", content: "Good." },
    ]);
  });

  it("sends a single system prompt as a string", async () => {
    await providerFor(mock).generate(
      request({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
      }),
      attempt(),
    );
    expect(sentBody().system).toBe("Be brief.");
  });

  it("maps tools, tool choice, assistant tool_use blocks and tool results", async () => {
    await providerFor(mock).generate(
      request({
        tools: [weatherTool],
        toolChoice: { type: "tool", name: "get_weather" },
        messages: [
          { role: "user", content: "Weather in Paris and Oslo?" },
          {
            role: "assistant",
            content: "Checking.",
            toolCalls: [
              {
                id: "toolu_1",
                name: "get_weather",
                arguments: { city: "Paris" },
                rawArguments: '{"city":"Paris"}',
              },
              { id: "toolu_2", name: "get_weather", arguments: undefined, rawArguments: '{"city":"Oslo"}' },
            ],
          },
          { role: "tool", toolCallId: "toolu_1", content: "18°C" },
          { role: "tool", toolCallId: "toolu_2", content: "9°C" },
          { role: "user", content: "Thanks, and tomorrow?" },
        ],
      }),
      attempt(),
    );
    const body = sentBody();
    expect(body.tools).toEqual([
      { name: "get_weather", description: "Weather for a city", input_schema: weatherTool.parameters },
    ]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "get_weather" });
    expect(body.messages).toEqual([
      { role: "user", content: "Weather in Paris and Oslo?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "toolu_2", name: "get_weather", input: { city: "Oslo" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: "18°C" },
          { type: "tool_result", tool_use_id: "toolu_2", content: "9°C" },
          { type: "text", text: "Thanks, and tomorrow?" },
        ],
      },
    ]);
  });

  it.each([
    ["auto", { type: "auto" }],
    ["none", { type: "none" }],
    ["required", { type: "any" }],
  ] as const)("maps toolChoice %s", async (choice, expected) => {
    await providerFor(mock).generate(request({ tools: [weatherTool], toolChoice: choice }), attempt());
    expect(sentBody().tool_choice).toEqual(expected);
  });

  it("sends no tool_choice without tools", async () => {
    await providerFor(mock).generate(request({ toolChoice: "none" }), attempt());
    expect(sentBody()).not.toHaveProperty("tool_choice");
    expect(sentBody()).not.toHaveProperty("tools");
  });

  it("maps images: https URL, data URL, bytes and base64 text", async () => {
    const bytes = Uint8Array.from(Buffer.from(PNG_BASE64, "base64"));
    await providerFor(mock).generate(
      request({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What are these?" },
              { type: "image", image: "https://example.com/cat.jpg" },
              { type: "image", image: new URL("https://example.com/dog.png") },
              { type: "image", image: `data:image/png;base64,${PNG_BASE64}` },
              { type: "image", image: bytes },
              { type: "image", image: PNG_BASE64, mediaType: "image/png" },
            ],
          },
        ],
      }),
      attempt(),
    );
    const png = { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } };
    expect(sentBody().messages[0].content).toEqual([
      { type: "text", text: "What are these?" },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      { type: "image", source: { type: "url", url: "https://example.com/dog.png" } },
      png,
      png,
      png,
    ]);
  });

  it("rejects image bytes of unknown type without a mediaType, naming the field, before sending", async () => {
    const error = await caught(() =>
      providerFor(mock).generate(
        request({
          messages: [{ role: "user", content: [{ type: "image", image: new Uint8Array([1, 2, 3, 4]) }] }],
        }),
        attempt(),
      ),
    );
    expect(error).toMatchObject({ name: "InvalidRequestError" });
    expect(error.message).toContain("messages.0.content.0.mediaType");
    expect(mock.callCount).toBe(0);
  });

  it("maps a JSON schema response format to output_config.format", async () => {
    const schema = { type: "object", properties: { answer: { type: "number" } }, required: ["answer"] };
    await providerFor(mock).generate(
      request({ responseFormat: { type: "json_schema", name: "answer", schema, strict: true } }),
      attempt(),
    );
    expect(sentBody().output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(mock.lastRequest!.headers["anthropic-beta"]).toBeUndefined();
  });

  it("emulates JSON mode (no schema) with a system instruction", async () => {
    await providerFor(mock).generate(
      request({
        responseFormat: { type: "json" },
        messages: [
          { role: "system", content: "You list fruit." },
          { role: "user", content: "Three fruit" },
        ],
      }),
      attempt(),
    );
    expect(sentBody().system).toEqual([
      { type: "text", text: "You list fruit." },
      { type: "text", text: anthropicJsonModeInstruction },
    ]);
    expect(sentBody()).not.toHaveProperty("output_config");
  });

  it("maps stop to stop_sequences and leaves out temperature and topP (rejected by API 2026-10-21)", async () => {
    await providerFor(mock).generate(request({ stop: ["END"], temperature: 0.2, topP: 0.9 }), attempt());
    expect(sentBody().stop_sequences).toEqual(["END"]);
    expect(sentBody()).not.toHaveProperty("temperature");
    expect(sentBody()).not.toHaveProperty("top_p");
  });

  it("merges the provider's extra, then the request's, last (output_config merged, not replaced)", async () => {
    const schema = { type: "object" };
    await providerFor(mock, {
      extra: { service_tier: "standard_only", metadata: { user_id: "u1" } },
    }).generate(
      request({
        responseFormat: { type: "json_schema", name: "x", schema },
        extra: { metadata: { user_id: "u2" }, output_config: { effort: "low" } },
      }),
      attempt(),
    );
    expect(sentBody()).toMatchObject({
      service_tier: "standard_only",
      metadata: { user_id: "u2" },
      output_config: { effort: "low", format: { type: "json_schema", schema } },
    });
  });

  it("sends per-request headers and the factory's default headers", async () => {
    await providerFor(mock, { defaultHeaders: { "anthropic-beta": "fast-mode-2026-02-01" } }).generate(
      request({ headers: { "x-trace-id": "abc" } }),
      attempt(),
    );
    expect(mock.lastRequest!.headers["x-trace-id"]).toBe("abc");
    expect(mock.lastRequest!.headers["anthropic-beta"]).toBe("fast-mode-2026-02-01");
  });

  it("streams with stream: true and the same body", async () => {
    await collect(await providerWithClient(mock).stream(request({ maxTokens: 10 }), attempt()));
    expect(mock.lastRequest!.stream).toBe(true);
    expect(sentBody()).toMatchObject({ model: MODEL, max_tokens: 10, stream: true });
  });

  it("uses the request's model over the provider's", async () => {
    const response = await providerFor(mock).generate(request({ model: "claude-haiku-5-5" }), attempt());
    expect(sentBody().model).toBe("claude-haiku-5-5");
    expect(response.model).toBe("claude-haiku-5-5");
  });
});
