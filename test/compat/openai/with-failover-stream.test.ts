import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverInfo } from "../../../src/compat/openai/index.js";
import { isAllProvidersFailedError } from "../../../src/errors/all-providers-failed-error.js";
import { isStreamInterruptedError } from "../../../src/errors/stream-interrupted-error.js";
import { faults } from "../../../src/testing/index.js";
import {
  collect,
  type DropInMocks,
  sdks,
  startDropInMocks,
  userMessage,
  weatherTool,
  wrappedClient,
} from "./drop-in-fixture.js";

type Chunk = OpenAI.ChatCompletionChunk;

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

const textOf = (chunks: Chunk[]): string => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

/** Rebuilds the tool calls from their deltas, as apps do. */
const toolCallsOf = (chunks: Chunk[]) => {
  const calls: { id?: string; type?: string; name: string; arguments: string }[] = [];
  for (const chunk of chunks) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { name: "", arguments: "" });
      if (delta.id) call.id = delta.id;
      if (delta.type) call.type = delta.type;
      call.name += delta.function?.name ?? "";
      call.arguments += delta.function?.arguments ?? "";
    }
  }
  return calls;
};

const streamParams = (extra: Partial<OpenAI.ChatCompletionCreateParamsStreaming> = {}) => ({
  model: "gpt-4.1",
  messages: userMessage(),
  stream: true as const,
  ...extra,
});

describe.each(sdks)("withFailover streams with openai $major", (sdk) => {
  describe("withFailover streams", () => {
    it("streams OpenAI's answer as genuine chunks while it is healthy", async () => {
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams());
      expect(getFailoverInfo(stream)).toMatchObject({ provider: "openai", failedOver: false });
      const chunks = await collect(stream);

      // OpenAI's own chunks, as the plain client gets them (test/compat/openai/drop-in-fidelity.test.ts).
      expect(chunks[0]).toEqual({
        id: expect.stringMatching(/^chatcmpl-/),
        object: "chat.completion.chunk",
        created: expect.any(Number),
        model: "gpt-4.1",
        system_fingerprint: "fp_mock0001",
        service_tier: "default",
        choices: [
          {
            index: 0,
            delta: { role: "assistant", content: "", refusal: null },
            logprobs: null,
            finish_reason: null,
          },
        ],
      });
      expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
      expect(textOf(chunks)).toBe("Hello from openai");
      expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
      expect(chunks.some((c) => "usage" in c)).toBe(false);
      expect(getFailoverInfo(stream)?.attempts).toHaveLength(1);
    });

    it("falls over to Anthropic with streamed tool-call deltas and a usage chunk", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(
        faults.reply({
          text: "Checking.",
          toolCalls: [
            { id: "toolu_1", name: "get_weather", arguments: { city: "Paris" } },
            { id: "toolu_2", name: "get_weather", arguments: { city: "Oslo" } },
          ],
          chunkSize: 5,
          usage: { inputTokens: 30, outputTokens: 12, cachedInputTokens: 10 },
        }),
      );
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(
        streamParams({ tools: [weatherTool], stream_options: { include_usage: true } }),
      );
      expect(getFailoverInfo(stream)).toMatchObject({
        provider: "anthropic",
        model: "claude-mapped",
        failedOver: true,
      });
      const chunks = await collect(stream);

      expect(textOf(chunks)).toBe("Checking.");
      expect(toolCallsOf(chunks)).toEqual([
        { id: "toolu_1", type: "function", name: "get_weather", arguments: '{"city":"Paris"}' },
        { id: "toolu_2", type: "function", name: "get_weather", arguments: '{"city":"Oslo"}' },
      ]);
      // Arguments arrive in pieces; id, type and name only on the first piece of each call.
      const pieces = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
      expect(pieces.length).toBeGreaterThan(2);
      expect(pieces.filter((p) => p.id !== undefined).map((p) => p.index)).toEqual([0, 1]);
      expect(
        pieces
          .filter((p) => p.id === undefined)
          .every((p) => p.type === undefined && p.function?.name === undefined),
      ).toBe(true);

      const [finish, usage] = chunks.slice(-2);
      expect(finish?.choices[0]).toMatchObject({ delta: {}, finish_reason: "tool_calls" });
      expect(usage).toMatchObject({
        choices: [],
        usage: {
          prompt_tokens: 30,
          completion_tokens: 12,
          total_tokens: 42,
          prompt_tokens_details: { cached_tokens: 10 },
        },
      });
      expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
      expect(chunks.every((c) => c.model === "claude-mapped")).toBe(true);
      expect(getFailoverInfo(stream)?.attempts.map((a) => a.provider)).toEqual(["openai", "anthropic"]);
    });

    it("falls over on a black hole and on an in-band error before the first content", async () => {
      mocks.openai.script(faults.blackHole());
      const first = await collect(await wrappedClient(mocks, sdk).chat.completions.create(streamParams()));
      expect(textOf(first)).toBe("Hello from anthropic");

      mocks.openai.script(faults.inBandError());
      const second = await collect(await wrappedClient(mocks, sdk).chat.completions.create(streamParams()));
      expect(textOf(second)).toBe("Hello from anthropic");
    });

    it("streams structured output from a fallback", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.reply({ json: { city: "Oslo", celsius: 4 } }));
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(
        streamParams({
          response_format: {
            type: "json_schema",
            json_schema: {
              name: "weather",
              strict: true,
              schema: {
                type: "object",
                properties: { city: { type: "string" }, celsius: { type: "number" } },
                required: ["city", "celsius"],
                additionalProperties: false,
              },
            },
          },
        }),
      );
      expect(JSON.parse(textOf(await collect(stream)))).toEqual({ city: "Oslo", celsius: 4 });
    });

    it("rejects create() itself when no provider can answer", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.serverError());
      const error = await wrappedClient(mocks, sdk)
        .chat.completions.create(streamParams())
        .catch((e: unknown) => e);
      expect(isAllProvidersFailedError(error)).toBe(true);
    });

    it("throws StreamInterruptedError from the iterator when the stream breaks after content", async () => {
      mocks.openai.script(faults.cut(2, { text: "abcdefghijklmnopqrstuvwxyz", chunkSize: 4 }));
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams());
      const received: Chunk[] = [];
      const error = await (async () => {
        for await (const chunk of stream) received.push(chunk);
      })().catch((e: unknown) => e);

      expect(isStreamInterruptedError(error)).toBe(true);
      expect(textOf(received)).toBe("abcdefgh");
      expect(mocks.anthropic.callCount).toBe(0);
    });

    it("cancels the call on controller.abort() and ends the loop quietly", async () => {
      mocks.openai.script(faults.reply({ text: "x".repeat(400), chunkSize: 4, eventIntervalMs: 20 }));
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams());
      const received: Chunk[] = [];
      for await (const chunk of stream) {
        received.push(chunk);
        if (received.length === 3) stream.controller.abort();
      }
      expect(received.length).toBeLessThan(10);
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });

    it("a controller aborted before the first read ends the loop quietly, with nothing left open", async () => {
      mocks.openai.script(faults.reply({ text: "x".repeat(400), chunkSize: 4, eventIntervalMs: 20 }));
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams());
      stream.controller.abort();
      const received: Chunk[] = [];
      for await (const chunk of stream) received.push(chunk);
      expect(received.length).toBeLessThan(3);
      expect(stream.controller.signal.aborted).toBe(true);
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });

    it("cancels the call when the loop is left early", async () => {
      mocks.openai.script(faults.reply({ text: "x".repeat(400), chunkSize: 4, eventIntervalMs: 20 }));
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams());
      for await (const _chunk of stream) break;
      expect(stream.controller.signal.aborted).toBe(true);
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });

    /** A long reply, streamed under the app's own signal. */
    const streamUnderOwnSignal = async () => {
      mocks.openai.script(faults.reply({ text: "x".repeat(400), chunkSize: 4, eventIntervalMs: 20 }));
      const own = new AbortController();
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams(), {
        signal: own.signal,
      });
      return { own, stream };
    };

    it("the app's own signal, aborted mid-stream, ends the loop quietly and aborts the controller (as the SDK's)", async () => {
      const { own, stream } = await streamUnderOwnSignal();
      // Read before the abort: it reads aborted once the loop has ended.
      const { controller } = stream;
      const received: Chunk[] = [];
      for await (const chunk of stream) {
        received.push(chunk);
        if (received.length === 2) own.abort();
      }
      expect(received.length).toBeLessThan(10);
      expect(controller.signal.aborted).toBe(true);
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });

    it("a controller first read after the app's signal stopped the stream reads aborted", async () => {
      const { own, stream } = await streamUnderOwnSignal();
      own.abort();
      expect((await collect(stream)).length).toBeLessThan(3);
      expect(stream.controller.signal.aborted).toBe(true);
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });

    it("converts to a ReadableStream the SDK reads back", async () => {
      mocks.openai.script(faults.serverError());
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams());
      const readable = stream.toReadableStream();
      const back = sdk.Stream.fromReadableStream<Chunk>(readable, new AbortController());
      const chunks = await collect(back);
      expect(textOf(chunks)).toBe("Hello from anthropic");
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    });

    it("tees into two streams that each see every chunk", async () => {
      const stream = await wrappedClient(mocks, sdk).chat.completions.create(streamParams());
      const [left, right] = stream.tee();
      const [a, b] = await Promise.all([collect(left), collect(right)]);
      expect(textOf(a)).toBe("Hello from openai");
      expect(b).toEqual(a);
      expect(() => stream[Symbol.asyncIterator]()).toThrow(/consumed/);
    });

    it("gives asResponse() a server-sent-events body", async () => {
      mocks.openai.script(faults.serverError());
      const response = await wrappedClient(mocks, sdk).chat.completions.create(streamParams()).asResponse();
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      expect(response.headers.get("x-ai-failover-provider")).toBe("anthropic");
      const text = await response.text();
      expect(text).toMatch(/^data: \{"id":"chatcmpl-/);
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    });

    it("makes the SDK's chat.completions.stream() helper fail over too", async () => {
      mocks.openai.script(faults.serverError());
      const runner = wrappedClient(mocks, sdk).chat.completions.stream({
        model: "gpt-4.1",
        messages: userMessage(),
      });
      const completion = await runner.finalChatCompletion();
      expect(completion.choices[0]?.message.content).toBe("Hello from anthropic");
      expect(completion.model).toBe("claude-mapped");
    });
  });
});
