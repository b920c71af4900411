/**
 * An answer from OpenAI through the drop-in is OpenAI's answer, field for field. The engine
 * streams under the hood even for a JSON request; whatever the reply carries — logprobs, usage
 * token details, annotations, a refusal, tool calls, `system_fingerprint`, `service_tier`, its ids —
 * the wrapped client returns what the plain client returns for the same reply, through the real
 * openai SDK (7 and 6). Only `id` and `created` differ (two requests), and are compared by form.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverInfo } from "../../../src/compat/openai/index.js";
import { faults, type MockReply } from "../../../src/testing/index.js";
import {
  collect,
  type DropInMocks,
  openAIClient,
  sdks,
  startDropInMocks,
  userMessage,
  weatherTool,
  wrappedClient,
} from "./drop-in-fixture.js";

let mocks: DropInMocks;
beforeAll(async () => {
  mocks = await startDropInMocks();
});
beforeEach(() => mocks.reset());
afterAll(() => mocks.close());

/** The mock's completion ids: `chatcmpl-` and 29 letters or digits (a synthesized one has 32 hex). */
const mockId = /^chatcmpl-[A-Za-z0-9]{29}$/;

/** `id` and `created` of two requests differ by nature: check their form, compare the rest. */
const masked = <T extends { id: string; created: number }>(value: T) => {
  expect(value.id).toMatch(mockId);
  expect(Number.isInteger(value.created)).toBe(true);
  return { ...value, id: "<id>", created: 0 };
};

const replies: [string, MockReply, Record<string, unknown>][] = [
  [
    "text with logprobs",
    { text: "The sky is blue because of Rayleigh scattering.", chunkSize: 6 },
    { logprobs: true, top_logprobs: 2 },
  ],
  [
    "usage token details (cached prompt tokens)",
    { text: "Cached.", usage: { inputTokens: 2048, outputTokens: 3, cachedInputTokens: 1024 } },
    {},
  ],
  [
    "annotations of a search answer",
    {
      text: "Paris hosted the 2024 Olympics.",
      annotations: [
        {
          type: "url_citation",
          url_citation: { start_index: 0, end_index: 31, title: "Olympics", url: "https://example.com/2024" },
        },
      ],
    },
    {},
  ],
  ["a refusal", { refusal: "I'm sorry, but I can't help with that." }, { logprobs: true }],
  [
    "parallel tool calls",
    {
      text: "",
      toolCalls: [
        { id: "call_A1", name: "get_weather", arguments: { city: "Paris" } },
        { id: "call_B2", name: "get_weather", arguments: { city: "Oslo" } },
      ],
      chunkSize: 5,
    },
    { tools: [weatherTool] },
  ],
  ["fields this library does not know", { text: "Hi.", extra: { x_new_field: { nested: [1, 2] } } }, {}],
];

describe.each(sdks)("withFailover with openai $major: OpenAI's answer, field for field", (sdk) => {
  describe.each(replies)("%s", (_name, given, params) => {
    // The mock sizes a default prompt count from the request's bytes: the same counts for both.
    const reply: MockReply = { usage: { inputTokens: 17, outputTokens: 8 }, ...given };
    const request = { model: "gpt-4.1", messages: userMessage(), ...params };

    it("create(): the completion equals the plain client's JSON answer", async () => {
      mocks.openai.script(faults.reply(reply), faults.reply(reply));
      const plain = await openAIClient(mocks, sdk).chat.completions.create(request as never);
      const wrapped = await wrappedClient(mocks, sdk).chat.completions.create(request as never);
      expect(getFailoverInfo(wrapped)).toMatchObject({ provider: "openai", failedOver: false });
      // The plain call was JSON, the wrapped one streamed under the hood.
      expect(mocks.openai.requests.map((r) => r.stream)).toEqual([false, true]);
      expect(masked(wrapped)).toEqual(masked(plain));
    });

    it.each([true, false])(
      "create({ stream: true }), include_usage %s: the same chunks",
      async (includeUsage) => {
        mocks.openai.script(faults.reply(reply), faults.reply(reply));
        const streamed = {
          ...request,
          stream: true as const,
          stream_options: { include_usage: includeUsage },
        } as OpenAI.ChatCompletionCreateParamsStreaming;
        const plain = await collect(await openAIClient(mocks, sdk).chat.completions.create(streamed));
        const wrapped = await collect(await wrappedClient(mocks, sdk).chat.completions.create(streamed));
        expect(wrapped.map(masked)).toEqual(plain.map(masked));
        expect(new Set(wrapped.map((chunk) => chunk.id)).size).toBe(1);
      },
    );

    it(".stream().finalChatCompletion(): the SDK's helper assembles the same completion", async () => {
      mocks.openai.script(faults.reply(reply), faults.reply(reply));
      const plain = await openAIClient(mocks, sdk)
        .chat.completions.stream(request as never)
        .finalChatCompletion();
      const wrapped = await wrappedClient(mocks, sdk)
        .chat.completions.stream(request as never)
        .finalChatCompletion();
      expect(masked(wrapped)).toEqual(masked(plain));
    });
  });
});
