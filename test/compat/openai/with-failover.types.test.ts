import Anthropic from "@anthropic-ai/sdk";
import OpenAI, { AzureOpenAI } from "openai";
import OpenAI6, { AzureOpenAI as AzureOpenAI6 } from "openai6";
import { describe, expectTypeOf, it } from "vitest";
import { type FailoverInfo, getFailoverInfo, withFailover } from "../../../src/compat/openai/index.js";
import type {
  OpenAIChatCompletion,
  OpenAIChatCompletionChunk,
} from "../../../src/compat/openai/wire-types.js";
import { anthropic } from "../../../src/providers/anthropic/index.js";

const fallbacks = [anthropic({ client: new Anthropic({ apiKey: "k" }), model: "claude-type-test" })];

describe("withFailover types (openai 7)", () => {
  it("returns the client's own type", () => {
    expectTypeOf(withFailover(new OpenAI({ apiKey: "k" }), { fallbacks })).toEqualTypeOf<OpenAI>();
    expectTypeOf(
      withFailover(
        new AzureOpenAI({ apiKey: "k", endpoint: "https://x.openai.azure.com", apiVersion: "2024-10-21" }),
        {
          fallbacks,
        },
      ),
    ).toEqualTypeOf<AzureOpenAI>();
  });

  it("keeps create()'s overloads", () => {
    const plain = new OpenAI({ apiKey: "k" });
    const openai = withFailover(plain, { fallbacks });
    const messages = [{ role: "user" as const, content: "hi" }];
    // Type-level only: never called (they would reach the network).
    const nonStreaming = () => openai.chat.completions.create({ model: "gpt-4.1", messages });
    const streaming = () => openai.chat.completions.create({ model: "gpt-4.1", messages, stream: true });
    const plainNonStreaming = () => plain.chat.completions.create({ model: "gpt-4.1", messages });
    const plainStreaming = () => plain.chat.completions.create({ model: "gpt-4.1", messages, stream: true });
    expectTypeOf(nonStreaming).returns.toEqualTypeOf<ReturnType<typeof plainNonStreaming>>();
    expectTypeOf(streaming).returns.toEqualTypeOf<ReturnType<typeof plainStreaming>>();
    expectTypeOf<Awaited<ReturnType<typeof nonStreaming>>>().toExtend<OpenAI.ChatCompletion>();
    expectTypeOf<Awaited<ReturnType<typeof streaming>>>().toExtend<
      AsyncIterable<OpenAI.ChatCompletionChunk>
    >();
    expectTypeOf<Awaited<ReturnType<typeof streaming>>["controller"]>().toEqualTypeOf<AbortController>();
  });

  it("builds answers that are genuine SDK shapes", () => {
    expectTypeOf<OpenAIChatCompletion>().toExtend<OpenAI.ChatCompletion>();
    expectTypeOf<OpenAIChatCompletionChunk>().toExtend<OpenAI.ChatCompletionChunk>();
  });

  it("reads the failover info from anything", () => {
    expectTypeOf(getFailoverInfo).parameter(0).toBeUnknown();
    expectTypeOf(getFailoverInfo).returns.toEqualTypeOf<FailoverInfo | undefined>();
  });
});

// The same checks against openai 6 (installed as the `openai6` alias): peer range ^6 || ^7.
describe("withFailover types (openai 6)", () => {
  it("returns the client's own type", () => {
    expectTypeOf(withFailover(new OpenAI6({ apiKey: "k" }), { fallbacks })).toEqualTypeOf<OpenAI6>();
    expectTypeOf(
      withFailover(
        new AzureOpenAI6({ apiKey: "k", endpoint: "https://x.openai.azure.com", apiVersion: "2024-10-21" }),
        { fallbacks },
      ),
    ).toEqualTypeOf<AzureOpenAI6>();
  });

  it("keeps create()'s overloads", () => {
    const plain = new OpenAI6({ apiKey: "k" });
    const openai = withFailover(plain, { fallbacks });
    const messages = [{ role: "user" as const, content: "hi" }];
    // Type-level only: never called (they would reach the network).
    const nonStreaming = () => openai.chat.completions.create({ model: "gpt-4.1", messages });
    const streaming = () => openai.chat.completions.create({ model: "gpt-4.1", messages, stream: true });
    const plainNonStreaming = () => plain.chat.completions.create({ model: "gpt-4.1", messages });
    const plainStreaming = () => plain.chat.completions.create({ model: "gpt-4.1", messages, stream: true });
    expectTypeOf(nonStreaming).returns.toEqualTypeOf<ReturnType<typeof plainNonStreaming>>();
    expectTypeOf(streaming).returns.toEqualTypeOf<ReturnType<typeof plainStreaming>>();
    expectTypeOf<Awaited<ReturnType<typeof nonStreaming>>>().toExtend<OpenAI6.ChatCompletion>();
    expectTypeOf<Awaited<ReturnType<typeof streaming>>>().toExtend<
      AsyncIterable<OpenAI6.ChatCompletionChunk>
    >();
    expectTypeOf<Awaited<ReturnType<typeof streaming>>["controller"]>().toEqualTypeOf<AbortController>();
  });

  it("builds answers that are genuine SDK shapes", () => {
    expectTypeOf<OpenAIChatCompletion>().toExtend<OpenAI6.ChatCompletion>();
    expectTypeOf<OpenAIChatCompletionChunk>().toExtend<OpenAI6.ChatCompletionChunk>();
  });
});
