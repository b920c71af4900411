import Anthropic from "@anthropic-ai/sdk";
import OpenAI6, { AzureOpenAI as AzureOpenAI6 } from "openai6";
import { Stream as Stream6 } from "openai6/streaming";
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { getFailoverInfo, withFailover } from "../../../src/compat/openai/index.js";
import type {
  OpenAIChatCompletion,
  OpenAIChatCompletionChunk,
} from "../../../src/compat/openai/wire-types.js";
import { anthropic } from "../../../src/providers/anthropic/index.js";
import { faults } from "../../../src/testing/index.js";
import { collect, type DropInMocks, startDropInMocks, userMessage, weatherTool } from "./drop-in-fixture.js";

// The same drop-in through openai 6 (installed as the `openai6` alias): peer range ^6 || ^7.
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

const wrapped6 = () =>
  withFailover(new OpenAI6({ apiKey: "sk-test-key-0001", baseURL: mocks.openai.baseURL }), {
    fallbacks: [
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
        model: "claude-x",
      }),
    ],
    models: { "gpt-4.1": { anthropic: "claude-mapped" } },
    retry: { maxRetries: 0 },
  });

describe("withFailover with openai 6", () => {
  it("keeps the v6 client's types", () => {
    expectTypeOf(wrapped6).returns.toEqualTypeOf<OpenAI6>();
    expectTypeOf(
      withFailover(
        new AzureOpenAI6({ apiKey: "k", endpoint: "https://x.openai.azure.com", apiVersion: "v" }),
        { fallbacks: [] },
      ),
    ).toEqualTypeOf<AzureOpenAI6>();
    expectTypeOf<OpenAIChatCompletion>().toExtend<OpenAI6.ChatCompletion>();
    expectTypeOf<OpenAIChatCompletionChunk>().toExtend<OpenAI6.ChatCompletionChunk>();
  });

  it("answers from OpenAI, then from Anthropic when OpenAI fails", async () => {
    const openai = wrapped6();
    expect(openai).toBeInstanceOf(OpenAI6);
    const healthy = await openai.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
    expect(getFailoverInfo(healthy)?.provider).toBe("openai");

    mocks.openai.script(faults.serverError());
    mocks.anthropic.script(
      faults.reply({ toolCalls: [{ id: "toolu_1", name: "get_weather", arguments: { city: "Oslo" } }] }),
    );
    const completion = await openai.chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
      tools: [weatherTool],
    });
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
    ]);
  });

  it("streams in v6 shape, readable back through the v6 Stream", async () => {
    mocks.openai.script(faults.serverError());
    const stream = await wrapped6().chat.completions.create({
      model: "gpt-4.1",
      messages: userMessage(),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(
      Stream6.fromReadableStream<OpenAI6.ChatCompletionChunk>(
        stream.toReadableStream(),
        new AbortController(),
      ),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hello from anthropic");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it("makes v6's parse() and stream() helpers fail over", async () => {
    mocks.openai.script(faults.serverError(), faults.serverError());
    mocks.anthropic.script(faults.reply({ json: { city: "Oslo" } }));
    const openai = wrapped6();
    const parsed = await openai.chat.completions.parse({
      model: "gpt-4.1",
      messages: userMessage(),
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "city",
          strict: true,
          schema: {
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
            additionalProperties: false,
          },
        },
      },
    });
    expect(parsed.choices[0]?.message.parsed).toEqual({ city: "Oslo" });
    const final = await openai.chat.completions
      .stream({ model: "gpt-4.1", messages: userMessage() })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("Hello from anthropic");
  });
});
