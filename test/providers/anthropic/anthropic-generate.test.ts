import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MockProvider } from "../../../src/testing/index.js";
import {
  attempt,
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

describe("anthropic generate", () => {
  it("returns text, finish reason, usage, model, id and the raw body", async () => {
    mock.script(mock.faults.reply({ text: "Hello, world", usage: { inputTokens: 12, outputTokens: 4 } }));
    const response = await providerFor(mock).generate(request(), attempt());
    expect(response.text).toBe("Hello, world");
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toEqual({ unified: "stop", raw: "end_turn" });
    expect(response.usage).toEqual({
      inputTokens: 12,
      outputTokens: 4,
      cachedInputTokens: 0,
      totalTokens: 16,
    });
    expect(response.model).toBe(MODEL);
    expect(response.id).toMatch(/^msg_/);
    expect((response.raw as { type: string }).type).toBe("message");
  });

  it("counts cached prompt tokens in inputTokens and reports them as cachedInputTokens", async () => {
    mock.script(
      mock.faults.reply({ usage: { inputTokens: 1000, outputTokens: 10, cachedInputTokens: 800 } }),
    );
    const response = await providerFor(mock).generate(request(), attempt());
    const raw = response.raw as { usage: Record<string, number> };
    expect(raw.usage.input_tokens).toBe(200);
    expect(raw.usage.cache_read_input_tokens).toBe(800);
    expect(response.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 10,
      cachedInputTokens: 800,
      totalTokens: 1010,
    });
  });

  it("returns tool calls with parsed input and raw JSON arguments", async () => {
    mock.script(
      mock.faults.reply({
        text: "Let me check.",
        toolCalls: [
          { id: "toolu_1", name: "get_weather", arguments: { city: "Paris" } },
          { id: "toolu_2", name: "get_weather", arguments: { city: "Oslo" } },
        ],
      }),
    );
    const response = await providerFor(mock).generate(request({ tools: [weatherTool] }), attempt());
    expect(response.text).toBe("Let me check.");
    expect(response.finishReason).toEqual({ unified: "tool-calls", raw: "tool_use" });
    expect(response.toolCalls).toEqual([
      { id: "toolu_1", name: "get_weather", arguments: { city: "Paris" }, rawArguments: '{"city":"Paris"}' },
      { id: "toolu_2", name: "get_weather", arguments: { city: "Oslo" }, rawArguments: '{"city":"Oslo"}' },
    ]);
  });

  it("returns structured output as JSON text", async () => {
    mock.script(mock.faults.reply({ json: { answer: 42 } }));
    const schema = { type: "object", properties: { answer: { type: "number" } }, required: ["answer"] };
    const response = await providerFor(mock).generate(
      request({ responseFormat: { type: "json_schema", name: "answer", schema } }),
      attempt(),
    );
    expect(JSON.parse(response.text)).toEqual({ answer: 42 });
  });

  it.each([
    ["max_tokens", "length"],
    ["stop_sequence", "stop"],
    ["pause_turn", "other"],
    ["something_new", "other"],
  ])("maps stop_reason %s to %s", async (raw, unified) => {
    mock.script(mock.faults.reply({ text: "x", finishReason: raw }));
    const response = await providerFor(mock).generate(request(), attempt());
    expect(response.finishReason).toEqual({ unified, raw });
  });

  it("works over a user-built client without using its retries", async () => {
    mock.script(mock.faults.serverError(), mock.faults.reply({ text: "second" }));
    const provider = providerWithClient(mock);
    await expect(provider.generate(request(), attempt())).rejects.toMatchObject({
      failureClass: "server_error",
    });
    expect(mock.callCount).toBe(1);
    expect((await provider.generate(request(), attempt())).text).toBe("second");
  });

  it("sends a huge max_tokens without the SDK's 'Streaming is required' refusal", async () => {
    const response = await providerFor(mock).generate(request({ maxTokens: 128_000 }), attempt());
    expect(response.text).toBe("Hello from anthropic");
    expect((mock.lastRequest!.body as { max_tokens: number }).max_tokens).toBe(128_000);
  });
});
