/**
 * How the drop-in shapes answers (convert-to-chat-completion.ts and its chunk converter), through
 * `withFailover(new OpenAI())` with the real openai 7 and 6 SDKs against local servers:
 * - a refusal is carried back as OpenAI's own `message.refusal` / `delta.refusal`, whoever refused;
 * - usage a provider did not report is absent, never `0/0/0`.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverInfo } from "../../../src/compat/openai/index.js";
import { faults, type MockFault } from "../../../src/testing/index.js";
import {
  collect,
  type DropInMocks,
  sdks,
  startDropInMocks,
  userMessage,
  weatherTool,
  wrappedClient,
} from "./drop-in-fixture.js";

const REFUSAL = "I'm sorry, but I can't help with that.";

let mocks: DropInMocks;
beforeAll(async () => {
  mocks = await startDropInMocks();
});
afterAll(async () => {
  await mocks.close();
});
beforeEach(() => {
  mocks.reset();
});

const chunk = (
  delta: Record<string, unknown>,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
) =>
  `data: ${JSON.stringify({ id: "chatcmpl-r1", object: "chat.completion.chunk", created: 1, model: "gpt-4.1", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;

/** OpenAI's streamed refusal, as the API sends it. */
const openAIRefusalStream = (): MockFault =>
  faults.status(
    200,
    chunk({ role: "assistant", content: null, refusal: "" }) +
      chunk({ refusal: REFUSAL.slice(0, 10) }) +
      chunk({ refusal: REFUSAL.slice(10) }) +
      chunk({}, "stop") +
      "data: [DONE]\n\n",
    { "content-type": "text/event-stream" },
  );

/** A stream from a server that reports no usage at all (no usage chunk, even when asked). */
const streamWithoutUsage = (): MockFault =>
  faults.status(200, `${chunk({ role: "assistant", content: "Hi" }) + chunk({}, "stop")}data: [DONE]\n\n`, {
    "content-type": "text/event-stream",
  });

describe.each(sdks)("withFailover with openai $major: refusals", (sdk) => {
  it("OpenAI's own refusal comes back as message.refusal (content null, finish_reason stop)", async () => {
    mocks.openai.script(openAIRefusalStream());
    const completion = await wrappedClient(mocks, sdk).chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
    });
    expect(completion.choices[0]).toMatchObject({
      message: { role: "assistant", content: null, refusal: REFUSAL },
      finish_reason: "stop",
    });
    expect(getFailoverInfo(completion)).toMatchObject({ provider: "openai", failedOver: false });
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("an Anthropic fallback's refusal comes back as message.refusal too (finish_reason content_filter)", async () => {
    mocks.openai.script(faults.serverError(503));
    mocks.anthropic.script(
      faults.contentFilterStream({ reply: { text: "Let me explain how", chunkSize: 6 } }),
    );
    const completion = await wrappedClient(mocks, sdk).chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
    });
    expect(completion.choices[0]).toMatchObject({
      message: { role: "assistant", content: "Let me expla", refusal: "The model declined to answer." },
      finish_reason: "content_filter",
    });
    expect(getFailoverInfo(completion)).toMatchObject({ provider: "anthropic", failedOver: true });
  });

  it("a streamed refusal arrives as delta.refusal pieces", async () => {
    mocks.openai.script(openAIRefusalStream());
    const stream = await wrappedClient(mocks, sdk).chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
      stream: true,
    });
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.choices[0]?.delta.refusal ?? "").join("")).toBe(REFUSAL);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  it("the SDK's own stream helper assembles it: finalChatCompletion().message.refusal", async () => {
    mocks.openai.script(openAIRefusalStream());
    const runner = wrappedClient(mocks, sdk).chat.completions.stream({
      model: "gpt-4.1",
      messages: userMessage(),
    });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0]?.message.refusal).toBe(REFUSAL);
  });
});

describe.each(sdks)("withFailover with openai $major: usage as reported, never made up", (sdk) => {
  it("no usage chunk when the provider reported none, though include_usage asked for it", async () => {
    mocks.openai.script(streamWithoutUsage());
    const stream = await wrappedClient(mocks, sdk).chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = await collect(stream);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hi");
    expect(chunks.filter((c) => c.usage)).toEqual([]);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it("OpenAI's own usage exactly as it reported it, partial included (never a made-up 0)", async () => {
    mocks.openai.script(
      faults.status(
        200,
        `${chunk({ role: "assistant", content: "Hi" })}${chunk({}, "stop")}${chunk({}, null, { choices: [], usage: { prompt_tokens: 5 } })}data: [DONE]\n\n`,
        { "content-type": "text/event-stream" },
      ),
    );
    const completion = await wrappedClient(mocks, sdk).chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
    });
    expect(completion.choices[0]?.message.content).toBe("Hi");
    expect(completion.usage).toEqual({ prompt_tokens: 5 });
  });

  it("reported counts pass through; cached tokens only when reported", async () => {
    mocks.openai.script(faults.serverError(503));
    mocks.anthropic.script(faults.reply({ usage: { inputTokens: 30, outputTokens: 12 } }));
    const completion = await wrappedClient(mocks, sdk).chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 30,
      completion_tokens: 12,
      total_tokens: 42,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });
});

describe.each(sdks)("withFailover with openai $major: tool names split across pieces", (sdk) => {
  it("the SDK's stream helper gets the whole name (Gemini-style pieces behind an OpenAI-compatible primary)", async () => {
    mocks.openai.script(
      faults.status(
        200,
        chunk({ role: "assistant", content: null }) +
          chunk({
            tool_calls: [
              { index: 0, id: "call_1", type: "function", function: { name: "get_", arguments: "" } },
            ],
          }) +
          chunk({ tool_calls: [{ index: 0, function: { name: "weather", arguments: "" } }] }) +
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Oslo"}' } }] }) +
          chunk({}, "tool_calls") +
          "data: [DONE]\n\n",
        { "content-type": "text/event-stream" },
      ),
    );
    const runner = wrappedClient(mocks, sdk).chat.completions.stream({
      model: "gpt-4.1",
      messages: userMessage(),
      tools: [weatherTool],
    });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
    ]);
  });
});
