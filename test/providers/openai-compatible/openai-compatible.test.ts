import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { isConfigError } from "../../../src/errors/config-error.js";
import { openaiCompatible } from "../../../src/providers/openai-compatible/index.js";
import type { ToolCallPart } from "../../../src/spec/stream.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, collect, request, weatherTool } from "../openai/helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "openai", name: "local" });
});
beforeEach(() => mock.reset());
afterEach(() => vi.unstubAllEnvs());
afterAll(() => mock.close());

const sse = (...frames: unknown[]): string =>
  frames.map((f) => `data: ${typeof f === "string" ? f : JSON.stringify(f)}\n\n`).join("");
const sseReply = (...frames: unknown[]) =>
  faults.status(200, sse(...frames), { "content-type": "text/event-stream", "cache-control": "no-cache" });
const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
  object: "chat.completion.chunk",
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});

describe("openaiCompatible", () => {
  it("is kind openai-compatible, its domain defaults to its name, and it sends max_tokens", async () => {
    const p = openaiCompatible({
      name: "groq",
      baseURL: mock.baseURL,
      apiKey: API_KEY,
      model: "llama-3.3-70b",
    });
    expect(p).toMatchObject({
      name: "groq",
      kind: "openai-compatible",
      domain: "groq",
      model: "llama-3.3-70b",
    });
    const result = await p.generate(request({ model: "llama-3.3-70b", maxTokens: 64 }), attempt());
    expect(result.text).toBe("Hello from local");
    expect(mock.lastRequest?.body).toMatchObject({ model: "llama-3.3-70b", max_tokens: 64 });
    expect(mock.lastRequest?.body).not.toHaveProperty("max_completion_tokens");
    expect(mock.lastRequest?.headers.authorization).toBe("[redacted]");
  });

  it("never sends OpenAI credentials from the environment; no key → no Authorization header", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-real-openai-key-0000000000");
    vi.stubEnv("OPENAI_ORG_ID", "org-real");
    vi.stubEnv("OPENAI_PROJECT_ID", "proj-real");
    const p = openaiCompatible({
      name: "ollama",
      baseURL: mock.baseURL,
      model: "llama3",
      headers: { "x-tenant": "t1" },
    });
    await p.generate(request({ model: "llama3" }), attempt());
    const headers = mock.lastRequest!.headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers["openai-organization"]).toBeUndefined();
    expect(headers["openai-project"]).toBeUndefined();
    expect(headers["x-tenant"]).toBe("t1");
  });

  it("streams with usage by default; includeStreamUsage: false leaves stream_options out", async () => {
    const p = openaiCompatible({
      name: "vllm",
      baseURL: mock.baseURL,
      model: "qwen",
      includeStreamUsage: false,
    });
    const { text, finish } = await collect(await p.stream(request({ model: "qwen" }), attempt()));
    expect(text).toBe("Hello from local");
    expect(finish?.finishReason).toEqual({ unified: "stop", raw: "stop" });
    expect(finish?.usage.inputTokens).toBeUndefined();
    expect(mock.lastRequest?.body).not.toHaveProperty("stream_options");
  });

  it("tolerates a stream with no id, no usage and a finish_reason that stays null until [DONE]", async () => {
    mock.script(
      sseReply(delta({ role: "assistant" }), delta({ content: "Hel" }), delta({ content: "lo" }), "[DONE]"),
    );
    const p = openaiCompatible({ name: "llamacpp", baseURL: mock.baseURL, model: "local" });
    const { parts } = await collect(await p.stream(request({ model: "local" }), attempt()));
    expect(parts).toEqual([
      { type: "text", text: "Hel" },
      { type: "text", text: "lo" },
      {
        type: "finish",
        finishReason: { unified: "stop", raw: undefined },
        usage: {
          inputTokens: undefined,
          outputTokens: undefined,
          cachedInputTokens: undefined,
          totalTokens: undefined,
        },
        model: "local",
      },
    ]);
  });

  it("the same stream cut before [DONE] yields no finish (truncation)", async () => {
    mock.script(sseReply(delta({ content: "Hel" }), delta({ content: "lo" })));
    const p = openaiCompatible({ name: "llamacpp", baseURL: mock.baseURL, model: "local" });
    const { parts } = await collect(await p.stream(request({ model: "local" }), attempt()));
    expect(parts.map((part) => part.type)).toEqual(["text", "text"]);
  });

  it("tolerates tool-call arguments chunked without ids, and tool results going back", async () => {
    mock.script(
      sseReply(
        delta({ tool_calls: [{ index: 0, id: "t1", type: "function", function: { name: "get_weather" } }] }),
        delta({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
        delta({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Rome"}' } }] }),
        delta({}, "tool_calls"),
        "[DONE]",
      ),
    );
    const p = openaiCompatible({ name: "together", baseURL: mock.baseURL, model: "m" });
    const { parts, finish } = await collect(
      await p.stream(request({ model: "m", tools: [weatherTool] }), attempt()),
    );
    const call = parts.find((part): part is ToolCallPart => part.type === "tool-call");
    expect(call).toEqual({
      type: "tool-call",
      index: 0,
      toolCall: {
        id: "t1",
        name: "get_weather",
        arguments: { city: "Rome" },
        rawArguments: '{"city":"Rome"}',
      },
    });
    expect(finish?.finishReason.unified).toBe("tool-calls");

    await p.generate(
      request({
        model: "m",
        messages: [
          { role: "user", content: "Weather in Rome?" },
          {
            role: "assistant",
            toolCalls: [call!.type === "tool-call" ? call!.toolCall : (undefined as never)],
          },
          { role: "tool", toolCallId: "t1", content: "sunny" },
        ],
      }),
      attempt(),
    );
    expect((mock.lastRequest!.body as { messages: unknown[] }).messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "t1", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "tool", tool_call_id: "t1", content: "sunny" },
    ]);
  });

  it("tolerates a completion without usage or id", async () => {
    mock.script(faults.status(200, { choices: [{ message: { content: "ok" }, finish_reason: "stop" }] }));
    const p = openaiCompatible({ name: "deepseek", baseURL: mock.baseURL, model: "deepseek-chat" });
    const result = await p.generate(request({ model: "deepseek-chat" }), attempt());
    expect(result).toMatchObject({ text: "ok", model: "deepseek-chat", usage: { inputTokens: undefined } });
    expect(result.id).toBeUndefined();
  });

  it("works with a ready client and does not mutate it", async () => {
    const client = new OpenAI({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 5 });
    const p = openaiCompatible({ name: "openrouter", baseURL: mock.baseURL, client, model: "m" });
    mock.script(faults.serverError(502));
    await expect(p.generate(request({ model: "m" }), attempt())).rejects.toMatchObject({
      failureClass: "server_error",
    });
    expect(mock.callCount).toBe(1);
    expect(client.maxRetries).toBe(5);
  });

  it("validates options: name and baseURL are required", () => {
    const issues = (input: unknown): string[] => {
      try {
        openaiCompatible(input as never);
      } catch (error) {
        if (isConfigError(error)) return error.issues;
        throw error;
      }
      return [];
    };
    expect(issues({ model: "m" })).toEqual([
      expect.stringMatching(/^openaiCompatible\.name: /),
      expect.stringMatching(/^openaiCompatible\.baseURL: /),
    ]);
    expect(issues({ model: "m", name: "x", baseURL: "ftp://x" })).toEqual([
      expect.stringMatching(/^openaiCompatible\.baseURL: expected an http\(s\) URL/),
    ]);
    expect(issues({ model: "m", name: "x", baseURL: "http://x", defaultHeaders: {} })).toEqual([
      expect.stringMatching(/defaultHeaders/),
    ]);
  });
});
