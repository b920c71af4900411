/** `withFailover(new OpenAI())` Responses streams (`stream: true`, `responses.stream()`), through openai 6 and 7. */
import type OpenAI from "openai";
import { ResponseStream } from "openai/lib/responses/ResponseStream";
import { ResponseStream as ResponseStream6 } from "openai6/lib/responses/ResponseStream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverInfo, withFailover } from "../../../../src/compat/openai/index.js";
import { isAllProvidersFailedError } from "../../../../src/errors/all-providers-failed-error.js";
import { isStreamInterruptedError } from "../../../../src/errors/stream-interrupted-error.js";
import { azureOpenAI } from "../../../../src/providers/azure/index.js";
import type { Attempt } from "../../../../src/spec/attempt.js";
import {
  faults,
  type MockFault,
  type MockProvider,
  startMockProvider,
} from "../../../../src/testing/index.js";
import { rejection } from "../../../helpers/rejections.js";
import {
  collect,
  type DropInMocks,
  openAIClient,
  sdks,
  startDropInMocks,
  wrappedClient,
} from "../drop-in-fixture.js";

type Event = OpenAI.Responses.ResponseStreamEvent;

let mocks: DropInMocks;
let azure: MockProvider;
beforeAll(async () => {
  mocks = await startDropInMocks();
  azure = await startMockProvider({ kind: "azure" });
});
afterAll(async () => {
  await mocks.close();
  await azure.close();
});
beforeEach(() => {
  mocks.reset();
  azure.reset();
});

const params = { model: "gpt-4.1", input: "Weather?", stream: true as const };

/** Reads a stream to its end or its error. */
const drain = async (stream: AsyncIterable<Event>): Promise<{ events: Event[]; error?: any }> => {
  const events: Event[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
};

const textOf = (events: Event[]): string =>
  events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");

const expectNumbered = (events: Event[]): void => {
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
};

const textEventTypes = (deltas: number) => [
  "response.created",
  "response.in_progress",
  "response.output_item.added",
  "response.content_part.added",
  ...Array.from({ length: deltas }, () => "response.output_text.delta"),
  "response.output_text.done",
  "response.content_part.done",
  "response.output_item.done",
  "response.completed",
];

describe.each(sdks)("withFailover Responses streams with openai $major", (sdk) => {
  const ResponseStreamClass = (sdk.major === 7 ? ResponseStream : ResponseStream6) as typeof ResponseStream;

  describe("OpenAI healthy", () => {
    it("passes OpenAI's own events on, untouched and in order", async () => {
      mocks.openai.script(faults.reply({ text: "Paris is sunny.", chunkSize: 6 }));
      const stream = await wrappedClient(mocks, sdk).responses.create({ ...params, metadata: { a: "1" } });
      expect(getFailoverInfo(stream)).toMatchObject({ provider: "openai", failedOver: false });
      const events = await collect(stream);

      expect(events.map((e) => e.type)).toEqual(textEventTypes(3));
      expectNumbered(events);
      expect(textOf(events)).toBe("Paris is sunny.");
      // OpenAI's own response object (fields the drop-in never writes) and ids.
      expect(events[0]).toMatchObject({
        response: {
          id: expect.stringMatching(/^resp_[0-9a-f]{50}$/),
          service_tier: "auto",
          prompt_cache_key: null,
        },
      });
      expect(events[2]).toMatchObject({ item: { id: expect.stringMatching(/^msg_[0-9a-f]{50}$/) } });
      expect(mocks.openai.lastRequest?.body).toEqual({ ...params, metadata: { a: "1" } });
      expect(getFailoverInfo(stream)?.attempts).toHaveLength(1);
    });

    it('passes the events on at the end with transport: "json" (the app\'s params still sent as they are)', async () => {
      const stream = await wrappedClient(mocks, sdk, { transport: "json" }).responses.create(params);
      const events = await collect(stream);
      expect(events.map((e) => e.type)).toEqual(textEventTypes(3));
      expect(mocks.openai.lastRequest?.body).toEqual(params);
    });

    it("serves an Azure OpenAI primary the same way", async () => {
      const client = new sdk.AzureOpenAI({
        apiKey: "azure-key-0001",
        endpoint: azure.baseURL,
        apiVersion: "2025-04-01-preview",
        maxRetries: 0,
      });
      const wrapped = withFailover(client, { fallbacks: [], retry: { maxRetries: 0 } });
      const events = await collect(await wrapped.responses.create({ ...params, model: "my-deployment" }));
      expect(textOf(events)).toBe("Hello from azure");
      expect(azure.lastRequest?.path).toBe("/openai/responses?api-version=2025-04-01-preview");
    });
  });

  describe("OpenAI failing before its first content", () => {
    it.each<[string, MockFault]>([
      ["a 503", faults.serverError()],
      ["a black hole", faults.blackHole()],
      ["an in-band error event", faults.inBandError({ afterEvents: 0 })],
      ["a stream that ends early", faults.cut(0)],
      ["a malformed event", faults.malformed(0)],
    ])(
      "falls over on %s and streams Anthropic's answer as genuine Responses events",
      async (_name, fault) => {
        mocks.openai.script(fault);
        mocks.anthropic.script(
          faults.reply({ text: "Sunny in Paris.", chunkSize: 5, usage: { inputTokens: 9, outputTokens: 4 } }),
        );
        const stream = await wrappedClient(mocks, sdk).responses.create(params);
        expect(getFailoverInfo(stream)).toMatchObject({ provider: "anthropic", failedOver: true });
        const events = await collect(stream);

        expect(events.map((e) => e.type)).toEqual(textEventTypes(3));
        expectNumbered(events);
        expect(textOf(events)).toBe("Sunny in Paris.");
        const id = (events[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;
        expect(id).toMatch(/^resp_failover_/);
        const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
        expect(completed.response).toMatchObject({
          id,
          status: "completed",
          model: "claude-mapped",
          usage: { input_tokens: 9, output_tokens: 4, total_tokens: 13 },
          output: [
            {
              type: "message",
              status: "completed",
              content: [{ type: "output_text", text: "Sunny in Paris." }],
            },
          ],
        });
        expect(getFailoverInfo(stream)?.attempts.map((a: Attempt) => a.provider)).toEqual([
          "openai",
          "anthropic",
        ]);
      },
    );

    it("streams Anthropic's tool calls as function_call items the SDK's responses.stream() assembles", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(
        faults.reply({
          text: "Let me check.",
          toolCalls: [
            { id: "toolu_1", name: "get_weather", arguments: { city: "Paris" } },
            { id: "toolu_2", name: "get_weather", arguments: { city: "Oslo" } },
          ],
          chunkSize: 6,
        }),
      );
      const runner = wrappedClient(mocks, sdk).responses.stream({
        model: "gpt-4.1",
        input: "Weather?",
        tools: [{ type: "function", name: "get_weather", parameters: { type: "object" }, strict: false }],
      });
      const argumentDeltas: string[] = [];
      const types: string[] = [];
      runner.on("event", (event) => types.push(event.type));
      runner.on("response.function_call_arguments.delta", (event) => argumentDeltas.push(event.delta));
      const final = await runner.finalResponse();

      expect(final.output_text).toBe("Let me check.");
      expect(final.output.map((item) => item.type)).toEqual(["message", "function_call", "function_call"]);
      expect(final.output[1]).toMatchObject({
        call_id: "toolu_1",
        name: "get_weather",
        arguments: '{"city":"Paris"}',
        status: "completed",
      });
      expect(final.output[2]).toMatchObject({ call_id: "toolu_2", arguments: '{"city":"Oslo"}' });
      expect(argumentDeltas.join("")).toBe('{"city":"Paris"}{"city":"Oslo"}');
      expect(types.filter((t) => t === "response.function_call_arguments.done")).toHaveLength(2);
      expect(types.at(-1)).toBe("response.completed");
      expect(getFailoverInfo(runner)).toMatchObject({ provider: "anthropic", failedOver: true });
      expect(getFailoverInfo(final)?.provider).toBe("anthropic");
    });

    it("rejects create() itself when no provider answers, as the SDK does", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.overloaded());
      const error = await rejection(wrappedClient(mocks, sdk).responses.create(params));
      expect(isAllProvidersFailedError(error)).toBe(true);
    });

    it("answers through an OpenAI-family fallback over Chat Completions, written as Responses events", async () => {
      mocks.openai.script(faults.serverError());
      const fallback = azureOpenAI({
        client: new sdk.AzureOpenAI({
          apiKey: "azure-key-0001",
          endpoint: azure.baseURL,
          apiVersion: "2024-10-21",
        }) as never,
        model: "gpt-4o-backup",
        domain: "azure-eu",
      });
      const wrapped = withFailover(openAIClient(mocks, sdk), {
        fallbacks: [fallback],
        retry: { maxRetries: 0 },
      });
      const events = await collect(await wrapped.responses.create(params));
      expect(textOf(events)).toBe("Hello from azure");
      expect(events.map((e) => e.type)).toEqual(textEventTypes(2));
      expect(azure.lastRequest?.path).toBe(
        "/openai/deployments/gpt-4o-backup/chat/completions?api-version=2024-10-21",
      );
    });
  });

  describe("failures after the first content: the commit rule", () => {
    it("throws StreamInterruptedError with OpenAI's partial text after its events, never Anthropic's text", async () => {
      mocks.openai.script(faults.inBandError({ afterEvents: 2, reply: { text: "abcdefgh", chunkSize: 2 } }));
      const stream = await wrappedClient(mocks, sdk).responses.create(params);
      const { events, error } = await drain(stream);
      expect(isStreamInterruptedError(error)).toBe(true);
      expect(error).toMatchObject({ provider: "openai", failureClass: "server_error", partialText: "abcd" });
      expect(textOf(events)).toBe("abcd");
      expect(events.at(-1)?.type).toBe("response.output_text.delta");
      expect(mocks.anthropic.callCount).toBe(0);
    });

    it("throws StreamInterruptedError when a fallback's stream breaks after its first content", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.cut(2, { text: "abcdefgh", chunkSize: 2 }));
      const { events, error } = await drain(await wrappedClient(mocks, sdk).responses.create(params));
      expect(error).toMatchObject({
        name: "StreamInterruptedError",
        provider: "anthropic",
        partialText: "abcd",
      });
      expect(textOf(events)).toBe("abcd");
      expect(events.map((e) => e.type)).not.toContain("response.completed");
    });

    it("makes the SDK's finalResponse() reject with it (wrapped by the SDK as an OpenAIError's cause)", async () => {
      mocks.openai.script(faults.cut(1, { text: "abcdefgh", chunkSize: 2 }));
      const runner = wrappedClient(mocks, sdk).responses.stream({ model: "gpt-4.1", input: "Hi" });
      const error = await rejection(runner.finalResponse());
      expect(error).toBeInstanceOf(sdk.OpenAI.OpenAIError);
      expect(isStreamInterruptedError(error.cause)).toBe(true);
      expect(error.cause).toMatchObject({ partialText: "ab" });
    });

    it('throws the SDK\'s own APIError (status undefined) with errors: "openai"', async () => {
      mocks.openai.script(faults.cut(1, { text: "abcdefgh", chunkSize: 2 }));
      const { error } = await drain(
        await wrappedClient(mocks, sdk, { errors: "openai" }).responses.create(params),
      );
      expect(error).toBeInstanceOf(sdk.OpenAI.APIError);
      expect(error.status).toBeUndefined();
      expect(isStreamInterruptedError(error.cause)).toBe(true);
    });

    it('continues the same response on Anthropic with onStreamInterrupted: "continue"', async () => {
      // OpenAI sends "The capi" and "tal is P", then the connection drops; Anthropic continues.
      mocks.openai.script(faults.cut(2, { text: "The capital is Paris.", chunkSize: 8 }));
      mocks.anthropic.script(faults.reply({ text: "aris.", usage: { inputTokens: 30, outputTokens: 2 } }));
      const runner = wrappedClient(mocks, sdk, { onStreamInterrupted: "continue" }).responses.stream({
        model: "gpt-4.1",
        input: "Capital of France?",
      });
      const events: Event[] = [];
      runner.on("event", (event) => events.push(event));
      const final = await runner.finalResponse();

      expect(final.output_text).toBe("The capital is Paris.");
      expect(final.output).toHaveLength(1);
      expect(final.id).toMatch(/^resp_[0-9a-f]{50}$/);
      expectNumbered(events);
      expect(new Set(events.flatMap((e) => ("item_id" in e ? [e.item_id] : []))).size).toBe(1);
      expect(getFailoverInfo(final)?.attempts.map((a: Attempt) => [a.provider, a.outcome])).toEqual([
        ["openai", "connection"],
        ["anthropic", "ok"],
      ]);
    });
  });

  describe("stateful requests", () => {
    it("streams them from OpenAI alone, with the reason on the stream", async () => {
      const openai = wrappedClient(mocks, sdk);
      const stream = await openai.responses.create({ ...params, previous_response_id: "resp_0abc" });
      expect(getFailoverInfo(stream)?.primaryOnly).toEqual([
        "previous_response_id: the conversation is stored at OpenAI",
      ]);
      expect(textOf(await collect(stream))).toBe("Hello from openai");

      mocks.openai.script(faults.serverError());
      const error = await rejection(
        openai.responses.create({ ...params, previous_response_id: "resp_0abc" }),
      );
      expect(isAllProvidersFailedError(error)).toBe(true);
      expect(mocks.anthropic.callCount).toBe(0);
    });
  });

  describe("stream object", () => {
    it("round-trips through toReadableStream() into the SDK's ResponseStream", async () => {
      mocks.openai.script(faults.serverError());
      const stream = await wrappedClient(mocks, sdk).responses.create(params);
      const final = await ResponseStreamClass.fromReadableStream(stream.toReadableStream()).finalResponse();
      expect(final.output_text).toBe("Hello from anthropic");
    });

    it("gives asResponse() a server-sent event body in the Responses framing", async () => {
      mocks.openai.script(faults.serverError());
      const response = await wrappedClient(mocks, sdk).responses.create(params).asResponse();
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      expect(response.headers.get("x-ai-failover-provider")).toBe("anthropic");
      const frames = (await response.text()).trim().split("\n\n");
      expect(frames[0]).toMatch(/^event: response\.created\ndata: \{"type":"response\.created"/);
      expect(frames.at(-1)).toMatch(/^event: response\.completed\n/);
      expect(frames.join("")).not.toContain("[DONE]");
    });

    it("ends quietly and cancels the request on controller.abort()", async () => {
      mocks.openai.script(faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 2 } }));
      const stream = await wrappedClient(mocks, sdk).responses.create(params);
      const seen: Event[] = [];
      for await (const event of stream) {
        seen.push(event);
        if (event.type === "response.output_text.delta") stream.controller.abort();
      }
      expect(textOf(seen)).toBe("ab");
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });

    it("cancels the request when the loop is left early; the controller, read afterwards, is aborted", async () => {
      mocks.openai.script(faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 2 } }));
      const stream = await wrappedClient(mocks, sdk).responses.create(params);
      for await (const event of stream) if (event.type === "response.output_text.delta") break;
      expect(stream.controller.signal.aborted).toBe(true);
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });

    it("the app's own signal aborting mid-stream ends the loop quietly (as the SDK's) and cancels the request", async () => {
      mocks.openai.script(faults.stall(1, { reply: { text: "abcdefgh", chunkSize: 2 } }));
      const own = new AbortController();
      const stream = await wrappedClient(mocks, sdk).responses.create(params, { signal: own.signal });
      const seen: Event[] = [];
      for await (const event of stream) {
        seen.push(event);
        if (event.type === "response.output_text.delta") own.abort();
      }
      expect(textOf(seen)).toBe("ab");
      // As the SDK's: the stream's controller reads aborted once the app's signal is.
      expect(stream.controller.signal.aborted).toBe(true);
      await expect.poll(() => mocks.openai.inFlight).toBe(0);
    });
  });
});
