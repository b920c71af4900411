import { APICallError, generateObject, generateText, Output, stepCountIs, tool } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { failoverModel } from "../../../src/compat/ai-sdk/index.js";
import { isAllProvidersFailedError, isConfigError, isProviderError } from "../../../src/index.js";
import { faults } from "../../../src/testing/index.js";
import { ANTHROPIC_MODEL, type Mocks, modelFor, OPENAI_MODEL, PROMPT, startMocks } from "./fixture.js";

let mocks: Mocks;
beforeAll(async () => {
  mocks = await startMocks();
});
afterAll(async () => {
  await mocks.close();
});
beforeEach(() => mocks.reset());

const caught = async (promise: Promise<unknown>): Promise<any> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
};

describe("failoverModel with generateText", () => {
  it("answers from the primary, with the model that answered and the attempts log", async () => {
    const result = await generateText({ model: modelFor(mocks), prompt: PROMPT });
    expect(result.text).toBe("Hello from openai, streamed in small pieces.");
    expect(result.finishReason).toBe("stop");
    expect(result.response.modelId).toBe(OPENAI_MODEL);
    expect(result.response.id).toMatch(/^chatcmpl-/);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.providerMetadata?.aiFailover).toMatchObject({
      provider: "openai",
      model: OPENAI_MODEL,
      attempts: [{ provider: "openai", outcome: "ok", status: null, reason: "initial" }],
    });
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("falls over to Anthropic transparently when OpenAI answers 503", async () => {
    mocks.openai.script(faults.serverError(503));
    const result = await generateText({ model: modelFor(mocks), prompt: PROMPT });
    expect(result.text).toBe("Hello from anthropic, streamed in small pieces.");
    expect(result.response.modelId).toBe(ANTHROPIC_MODEL);
    expect(result.response.id).toMatch(/^msg_/);
    const meta = result.providerMetadata?.aiFailover as any;
    expect(meta.provider).toBe("anthropic");
    expect(meta.attempts.map((a: any) => [a.provider, a.outcome, a.status, a.reason])).toEqual([
      ["openai", "server_error", 503, "initial"],
      ["anthropic", "ok", null, "fallback"],
    ]);
    expect([mocks.openai.callCount, mocks.anthropic.callCount]).toEqual([1, 1]);
  });

  it("gives up with a non-retryable APICallError: ai never reruns the chain (maxRetries: 2)", async () => {
    mocks.openai.setDefault(faults.serverError(503));
    mocks.anthropic.setDefault(faults.overloaded());
    const retries = { retry: { backoff: { initialDelayMs: 1, maxDelayMs: 1 } } };
    const error = await caught(
      generateText({ model: modelFor(mocks, retries), prompt: PROMPT, maxRetries: 2 }),
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(false);
    expect(error.statusCode).toBe(529);
    expect(isAllProvidersFailedError(error.cause)).toBe(true);
    expect(error.data).toMatchObject({
      name: "AllProvidersFailedError",
      failureClass: "overloaded",
      attempts: [
        { provider: "openai", outcome: "server_error", status: 503, reason: "initial" },
        { provider: "anthropic", outcome: "overloaded", status: 529, reason: "fallback" },
        { provider: "anthropic", outcome: "overloaded", status: 529, reason: "retry" },
        { provider: "anthropic", outcome: "overloaded", status: 529, reason: "retry" },
      ],
    });
    // The engine's own tries only (the last provider is retried twice): the AI SDK did not start
    // the chain again, which would have tripled them.
    expect([mocks.openai.callCount, mocks.anthropic.callCount]).toEqual([1, 3]);
    expect(JSON.stringify({ message: error.message, data: error.data })).not.toContain("PROMPT-CANARY");
  });

  it("stops at once on a bad request (no fall-over), with its status", async () => {
    mocks.openai.script(faults.badRequest());
    const error = await caught(generateText({ model: modelFor(mocks), prompt: PROMPT }));
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(isProviderError(error.cause)).toBe(true);
    expect(error.cause.failureClass).toBe("bad_request");
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("maps messages, sampling options and headers, and warns about what it cannot send", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const result = await generateText({
      model: modelFor(mocks),
      system: "You are terse.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "file", data: png, mediaType: "image/png" },
          ],
        },
        { role: "assistant", content: "A PNG." },
        { role: "user", content: "Thanks" },
      ],
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 123,
      stopSequences: ["END"],
      topK: 5,
      seed: 42,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      headers: { "x-trace-id": "trace-123" },
      providerOptions: { openai: { user: "u-1" } },
    });
    const sent = mocks.openai.lastRequest!;
    expect(sent.body).toMatchObject({
      model: OPENAI_MODEL,
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 123,
      stop: ["END"],
      messages: [
        { role: "system", content: "You are terse." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: expect.stringMatching(/^data:image\/png;base64,/) } },
          ],
        },
        { role: "assistant", content: "A PNG." },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(sent.headers["x-trace-id"]).toBe("trace-123");
    expect(sent.headers["user-agent"]).toMatch(/^OpenAI\/JS/);
    expect(result.warnings?.map((w) => ("feature" in w ? w.feature : w.type))).toEqual([
      "topK",
      "presencePenalty",
      "frequencyPenalty",
      "seed",
      "providerOptions.openai",
    ]);
  });

  it("reads per-call options under providerOptions.aiFailover (models, policy)", async () => {
    mocks.openai.script(faults.serverError(503));
    const result = await generateText({
      model: modelFor(mocks),
      prompt: PROMPT,
      providerOptions: {
        aiFailover: {
          models: { anthropic: "claude-haiku-4-5" },
          policy: { retry: { preferPrimary: true } },
        },
      },
    });
    // preferPrimary: the primary is retried before falling over, and the retry succeeds.
    expect(result.providerMetadata?.aiFailover).toMatchObject({ provider: "openai" });
    expect(mocks.openai.callCount).toBe(2);
    mocks.openai.script(faults.serverError(503));
    await generateText({
      model: modelFor(mocks),
      prompt: PROMPT,
      providerOptions: { aiFailover: { models: { anthropic: "claude-haiku-4-5" } } },
    });
    expect(mocks.anthropic.lastRequest?.model).toBe("claude-haiku-4-5");
  });

  it("throws the AI SDK's UnsupportedFunctionalityError for a PDF, before sending anything", async () => {
    const error = await caught(
      generateText({
        model: modelFor(mocks),
        messages: [
          {
            role: "user",
            content: [
              { type: "file", data: Uint8Array.from([0x25, 0x50, 0x44, 0x46]), mediaType: "application/pdf" },
            ],
          },
        ],
      }),
    );
    expect(error.name).toBe("AI_UnsupportedFunctionalityError");
    expect(mocks.openai.callCount).toBe(0);
  });

  it("surfaces the caller's abort as the abort, never as a fall-over", async () => {
    mocks.openai.script(faults.blackHole());
    const controller = new AbortController();
    const pending = caught(
      generateText({ model: modelFor(mocks), prompt: PROMPT, abortSignal: controller.signal }),
    );
    await vi_waitFor(() => mocks.openai.callCount === 1);
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe("AbortError");
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("rejects a client that is not one, with a ConfigError", () => {
    expect(() => failoverModel({} as never)).toThrow(expect.objectContaining({ name: "ConfigError" }));
    try {
      failoverModel(null as never);
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
    }
  });
});

describe("failoverModel with tools and structured output", () => {
  const getOrder = tool({
    description: "Look an order up",
    inputSchema: z.object({ orderId: z.string() }),
    execute: async ({ orderId }) => ({ orderId, status: "shipped" }),
  });

  it("runs a multi-step tool loop whose steps are answered by different providers", async () => {
    mocks.openai.script(
      faults.reply({ toolCalls: [{ id: "call_1", name: "getOrder", arguments: { orderId: "42" } }] }),
      faults.serverError(503),
    );
    mocks.anthropic.script(faults.reply({ text: "Order 42 has shipped." }));
    const result = await generateText({
      model: modelFor(mocks),
      prompt: PROMPT,
      tools: { getOrder },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe("Order 42 has shipped.");
    expect(result.steps.map((s) => [s.finishReason, s.response.modelId])).toEqual([
      ["tool-calls", OPENAI_MODEL],
      ["stop", ANTHROPIC_MODEL],
    ]);
    expect(result.steps[0]!.toolResults[0]).toMatchObject({
      toolName: "getOrder",
      output: { orderId: "42", status: "shipped" },
    });
    // The second step reached Anthropic as its own tool_use / tool_result blocks.
    const body = mocks.anthropic.lastRequest!.body as any;
    expect(body.tools[0]).toMatchObject({ name: "getOrder", input_schema: { type: "object" } });
    expect(body.messages.map((m: any) => [m.role, m.content.map?.((c: any) => c.type) ?? "text"])).toEqual([
      ["user", "text"],
      ["assistant", ["tool_use"]],
      ["user", ["tool_result"]],
    ]);
    expect(body.messages[2].content[0]).toMatchObject({
      tool_use_id: "call_1",
      content: JSON.stringify({ orderId: "42", status: "shipped" }),
    });
  });

  it("passes toolChoice through", async () => {
    mocks.openai.script(faults.reply({ toolCalls: [{ name: "getOrder", arguments: { orderId: "1" } }] }));
    await generateText({
      model: modelFor(mocks),
      prompt: PROMPT,
      tools: { getOrder },
      toolChoice: { type: "tool", toolName: "getOrder" },
    });
    expect((mocks.openai.lastRequest!.body as any).tool_choice).toEqual({
      type: "function",
      function: { name: "getOrder" },
    });
  });

  const ticket = z.object({ category: z.enum(["billing", "bug"]), priority: z.number().int() });

  it("generateObject with zod: a strict json_schema response format, the object parsed by ai", async () => {
    mocks.openai.script(faults.reply({ json: { category: "billing", priority: 2 } }));
    const { object, providerMetadata } = await generateObject({
      model: modelFor(mocks),
      schema: ticket,
      prompt: PROMPT,
    });
    expect(object).toEqual({ category: "billing", priority: 2 });
    expect(providerMetadata?.aiFailover).toMatchObject({ provider: "openai" });
    expect((mocks.openai.lastRequest!.body as any).response_format).toMatchObject({
      type: "json_schema",
      json_schema: { strict: true, schema: { type: "object", additionalProperties: false } },
    });
  });

  it("Output.object with generateText, answered by the fallback in its own structured-output form", async () => {
    mocks.openai.script(faults.serverError(500));
    mocks.anthropic.script(faults.reply({ json: { category: "bug", priority: 1 } }));
    const { output } = await generateText({
      model: modelFor(mocks),
      prompt: PROMPT,
      output: Output.object({ schema: ticket }),
    });
    expect(output).toEqual({ category: "bug", priority: 1 });
    expect((mocks.anthropic.lastRequest!.body as any).output_config).toMatchObject({
      format: { type: "json_schema" },
    });
  });
});

const vi_waitFor = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
};
