import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { APICallError, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { isAllProvidersFailedError, isStreamInterruptedError } from "../../../src/index.js";
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

const OPENAI_TEXT = "Hello from openai, streamed in small pieces.";
const ANTHROPIC_TEXT = "Hello from anthropic, streamed in small pieces.";
const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: PROMPT }] }];

const readAll = async <T>(stream: ReadableStream<T>): Promise<T[]> => {
  const parts: T[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
};

const waitFor = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe("failoverModel.doStream: the stream protocol", () => {
  it("healthy: one stream-start, the answering model, one text block, metadata, finish", async () => {
    const { stream } = await modelFor(mocks).doStream({ prompt });
    const parts = await readAll(stream);
    const types = parts.map((p) => p.type);
    expect(types[0]).toBe("stream-start");
    expect(types.filter((t) => t === "stream-start")).toHaveLength(1);
    expect(parts[1]).toEqual({ type: "response-metadata", modelId: OPENAI_MODEL });
    expect(types.slice(2, 3)).toEqual(["text-start"]);
    expect(types.filter((t) => t === "text-start")).toHaveLength(1);
    const text = parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("");
    expect(text).toBe(OPENAI_TEXT);
    expect(types.slice(-3)).toEqual(["text-end", "response-metadata", "finish"]);
    expect(parts.at(-2)).toMatchObject({
      type: "response-metadata",
      id: expect.stringMatching(/^chatcmpl-/),
    });
    expect(parts.at(-1)).toMatchObject({
      type: "finish",
      finishReason: { unified: "stop", raw: "stop" },
      usage: { inputTokens: { total: expect.any(Number) }, outputTokens: { total: expect.any(Number) } },
      providerMetadata: { aiFailover: { provider: "openai", attempts: [{ outcome: "ok" }] } },
    });
  });

  it("a failure before the first content falls over invisibly: still one stream-start, one provider's text", async () => {
    mocks.openai.script(faults.cut(0));
    const { stream } = await modelFor(mocks).doStream({ prompt });
    const parts = await readAll(stream);
    expect(parts.filter((p) => p.type === "stream-start")).toHaveLength(1);
    expect(parts.filter((p) => p.type === "response-metadata").map((p) => (p as any).modelId)).toEqual([
      ANTHROPIC_MODEL,
      ANTHROPIC_MODEL,
    ]);
    expect(parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("")).toBe(ANTHROPIC_TEXT);
    expect((parts.at(-1) as any).providerMetadata.aiFailover.attempts.map((a: any) => a.outcome)).toEqual([
      "connection",
      "ok",
    ]);
  });

  it("after content: an in-band error and a finish with error, never a second provider's text", async () => {
    mocks.openai.script(faults.cut(2));
    const { stream } = await modelFor(mocks).doStream({ prompt });
    const parts = await readAll(stream);
    expect(parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("")).toBe(
      OPENAI_TEXT.slice(0, 16),
    );
    const error = parts.find((p) => p.type === "error") as Extract<
      LanguageModelV4StreamPart,
      { type: "error" }
    >;
    expect(APICallError.isInstance(error.error)).toBe(true);
    expect((error.error as APICallError).isRetryable).toBe(false);
    expect(isStreamInterruptedError((error.error as APICallError).cause)).toBe(true);
    expect(parts.slice(-3).map((p) => p.type)).toEqual(["error", "text-end", "finish"]);
    expect(parts.at(-1)).toMatchObject({
      finishReason: { unified: "error" },
      providerMetadata: { aiFailover: { attempts: [{ provider: "openai", outcome: "connection" }] } },
    });
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("rejects (like an HTTP error) when every provider fails before content", async () => {
    mocks.openai.script(faults.serverError(502));
    mocks.anthropic.script(faults.auth());
    const error = await Promise.resolve(modelFor(mocks).doStream({ prompt })).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).isRetryable).toBe(false);
    expect(isAllProvidersFailedError((error as APICallError).cause)).toBe(true);
  });

  it("cancelling the stream aborts the provider request", async () => {
    mocks.openai.script(faults.reply({ eventIntervalMs: 30 }));
    const { stream } = await modelFor(mocks).doStream({ prompt });
    const reader = stream.getReader();
    let part = await reader.read();
    while (part.value?.type !== "text-delta") part = await reader.read();
    await reader.cancel();
    await waitFor(() => mocks.openai.inFlight === 0);
    expect(mocks.openai.inFlight).toBe(0);
  });
});

describe("failoverModel with streamText", () => {
  it("streams text and falls over before the first content without the app noticing", async () => {
    mocks.openai.script(faults.serverError(503));
    const result = streamText({ model: modelFor(mocks), prompt: PROMPT });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe(ANTHROPIC_TEXT);
    expect((await result.response).modelId).toBe(ANTHROPIC_MODEL);
    expect(await result.finishReason).toBe("stop");
    expect((await result.providerMetadata)?.aiFailover).toMatchObject({ provider: "anthropic" });
  });

  it("a cut after content is an error part and finish reason error; the fallback is never asked", async () => {
    mocks.openai.script(faults.cut(2));
    const errors: unknown[] = [];
    const result = streamText({
      model: modelFor(mocks),
      prompt: PROMPT,
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    const parts: { type: string }[] = [];
    for await (const part of result.fullStream) parts.push(part);
    const text = parts.map((p: any) => (p.type === "text-delta" ? p.text : "")).join("");
    expect(text).toBe(OPENAI_TEXT.slice(0, 16));
    expect(parts.some((p) => p.type === "error")).toBe(true);
    expect(await result.finishReason).toBe("error");
    expect(errors).toHaveLength(1);
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect(isStreamInterruptedError((errors[0] as APICallError).cause)).toBe(true);
    expect(mocks.anthropic.callCount).toBe(0);
    expect(mocks.openai.callCount).toBe(1);
  });

  it("every provider down: one error, the chain is not rerun", async () => {
    mocks.openai.setDefault(faults.serverError(503));
    mocks.anthropic.setDefault(faults.auth());
    const errors: unknown[] = [];
    const result = streamText({
      model: modelFor(mocks),
      prompt: PROMPT,
      maxRetries: 2,
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    for await (const _ of result.fullStream) {
      // drain
    }
    expect(errors).toHaveLength(1);
    expect((errors[0] as APICallError).isRetryable).toBe(false);
    expect([mocks.openai.callCount, mocks.anthropic.callCount]).toEqual([1, 1]);
  });

  it("streams tool calls and runs a multi-step loop across providers", async () => {
    mocks.openai.script(
      faults.reply({ toolCalls: [{ id: "call_7", name: "weather", arguments: { city: "Paris" } }] }),
      faults.cut(0),
    );
    mocks.anthropic.script(faults.reply({ text: "It is sunny in Paris." }));
    const result = streamText({
      model: modelFor(mocks),
      prompt: PROMPT,
      tools: {
        weather: tool({
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => `sunny in ${city}`,
        }),
      },
      stopWhen: stepCountIs(3),
    });
    const parts: any[] = [];
    for await (const part of result.fullStream) parts.push(part);
    const types = parts.map((p) => p.type);
    expect(types).toContain("tool-input-start");
    expect(types).toContain("tool-input-delta");
    expect(parts.find((p) => p.type === "tool-call")).toMatchObject({
      toolCallId: "call_7",
      toolName: "weather",
      input: { city: "Paris" },
    });
    expect(parts.find((p) => p.type === "tool-result")).toMatchObject({ output: "sunny in Paris" });
    expect(await result.text).toBe("It is sunny in Paris.");
    const steps = await result.steps;
    expect(steps.map((s) => s.response.modelId)).toEqual([OPENAI_MODEL, ANTHROPIC_MODEL]);
  });

  it("the caller's abort ends the stream as an abort: no fall-over, no open request", async () => {
    mocks.openai.script(faults.reply({ eventIntervalMs: 30 }));
    const controller = new AbortController();
    let aborted = false;
    const errors: unknown[] = [];
    const result = streamText({
      model: modelFor(mocks),
      prompt: PROMPT,
      abortSignal: controller.signal,
      onAbort: () => {
        aborted = true;
      },
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    let text = "";
    for await (const delta of result.textStream) {
      text += delta;
      if (text.length >= 8) controller.abort();
    }
    expect(aborted).toBe(true);
    expect(text.length).toBeLessThan(OPENAI_TEXT.length);
    expect(errors).toEqual([]);
    await waitFor(() => mocks.openai.inFlight === 0);
    expect(mocks.openai.inFlight).toBe(0);
    expect(mocks.anthropic.callCount).toBe(0);
  });
});
