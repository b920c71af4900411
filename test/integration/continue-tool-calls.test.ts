/**
 * Rule 6 of the hardening issue: never stitch, tool calls included. With
 * `onStreamInterrupted: "continue"`, a stream that breaks after content resumes on the next provider
 * only when nothing but text was delivered. Once a tool call (even a piece of its arguments) reached
 * the caller, continuing would deliver a second provider's arguments under the same call index:
 * before the fix `{"city":"Par{"city":"Paris"}` reached the OpenAI SDK's own `finalChatCompletion()`
 * through the drop-in. Now the caller gets `StreamInterruptedError` with what it already has.
 * Through the drop-in (openai 7's `chat.completions.stream()` helper) against the mock servers.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { anthropic, isStreamInterruptedError, withFailover } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEYS, MODELS } from "./helpers/providers.js";

let primary: MockProvider;
let fallback: MockProvider;

beforeEach(async () => {
  primary = await startMockProvider({ kind: "openai", name: "openai" });
  fallback = await startMockProvider({ kind: "anthropic", name: "anthropic" });
});

afterEach(async () => {
  await Promise.all([primary.close(), fallback.close()]);
});

const wrapped = () =>
  withFailover(new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }), {
    fallbacks: [
      anthropic({
        client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: fallback.baseURL }),
        model: MODELS.anthropic,
      }),
    ],
    onStreamInterrupted: "continue",
  });

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const paris = { name: "get_weather", arguments: { city: "Paris" } };

describe('onStreamInterrupted: "continue" through the drop-in', () => {
  it("a tool call in flight is never continued: finalChatCompletion() rejects with StreamInterruptedError", async () => {
    // The primary streams the call's id and name, then 4-character pieces of its arguments, then drops.
    primary.script(faults.cut(3, { toolCalls: [{ id: "call_weather_1", ...paris }], chunkSize: 4 }));
    fallback.setDefault(faults.reply({ toolCalls: [paris] }));
    const stream = wrapped().chat.completions.stream({
      model: MODELS.openai,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [weatherTool],
    });
    const deltas: string[] = [];
    stream.on("tool_calls.function.arguments.delta", (event) => deltas.push(event.arguments_delta));
    const thrown = await stream.finalChatCompletion().catch((e: unknown) => e);
    // The SDK's stream helper wraps what the iterator threw in its own OpenAIError, as `cause`.
    const error = (thrown as { cause?: unknown }).cause;
    expect(isStreamInterruptedError(error), String(thrown)).toBe(true);
    if (!isStreamInterruptedError(error)) return;
    expect(error).toMatchObject({ provider: "openai", failureClass: "connection", partialToolCalls: [] });
    // What the app received is one provider's, cut short — never another's appended to it.
    expect(deltas.join("")).toBe('{"city":');
    expect(fallback.callCount).toBe(0);
  });

  it("text only: continues on the next provider, and the SDK's final completion holds both parts", async () => {
    primary.script(faults.cut(2, { text: "The weather in Paris is", chunkSize: 8 }));
    fallback.setDefault(faults.reply({ text: " sunny." }));
    const completion = await wrapped()
      .chat.completions.stream({ model: MODELS.openai, messages: [{ role: "user", content: "Weather?" }] })
      .finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe("The weather in P sunny.");
    expect(fallback.callCount).toBe(1);
  });

  it("structured output is never continued: a JSON object begun by one model is not finished by another", async () => {
    primary.script(faults.cut(2, { text: '{"category":"billing","priority":2}', chunkSize: 8 }));
    fallback.setDefault(faults.reply({ text: 'ing","priority":2}' }));
    const json = {
      type: "json_schema" as const,
      json_schema: { name: "ticket", schema: { type: "object" } },
    };
    const stream = await wrapped().chat.completions.create({
      model: MODELS.openai,
      messages: [{ role: "user", content: "Classify" }],
      response_format: json,
      stream: true,
    });
    let text = "";
    const thrown = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    expect(isStreamInterruptedError(thrown), String(thrown)).toBe(true);
    expect(text).toBe('{"category":"bil');
    expect(fallback.callCount).toBe(0);
  });
});
