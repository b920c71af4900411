/** The Responses API wire format of the OpenAI and Azure mocks, read through both majors of the openai SDK. */
import OpenAI, { AzureOpenAI } from "openai";
import OpenAI6, { AzureOpenAI as AzureOpenAI6 } from "openai6";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEY, rejection } from "./helpers.js";

const sdks = [
  { major: 7, OpenAI, AzureOpenAI },
  {
    major: 6,
    OpenAI: OpenAI6 as unknown as typeof OpenAI,
    AzureOpenAI: AzureOpenAI6 as unknown as typeof AzureOpenAI,
  },
];

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

type Event = OpenAI.Responses.ResponseStreamEvent;

const collect = async (stream: AsyncIterable<Event>): Promise<Event[]> => {
  const events: Event[] = [];
  for await (const event of stream) events.push(event);
  return events;
};

describe.each(sdks)("responses wire with openai $major", (sdk) => {
  let mock: MockProvider;
  let client: OpenAI;
  beforeAll(async () => {
    mock = await startMockProvider({ kind: "openai" });
    client = new sdk.OpenAI({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  test("a JSON reply is a completed response with a message item, usage and the SDK's output_text", async () => {
    mock.script(faults.reply({ usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4 } }));
    const { data, response } = await client.responses
      .create({ model: "gpt-4.1", input: "Hi" })
      .withResponse();
    expect(data).toMatchObject({
      id: expect.stringMatching(/^resp_[0-9a-f]{50}$/),
      object: "response",
      status: "completed",
      model: "gpt-4.1",
      error: null,
      incomplete_details: null,
      output_text: "Hello from openai",
      usage: {
        input_tokens: 12,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 3,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 15,
      },
    });
    expect(data.output).toEqual([
      {
        id: expect.stringMatching(/^msg_[0-9a-f]{50}$/),
        type: "message",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", annotations: [], logprobs: [], text: "Hello from openai" }],
      },
    ]);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(mock.lastRequest).toMatchObject({ path: "/v1/responses", model: "gpt-4.1", stream: false });
  });

  test("a stream is the genuine event sequence, numbered from 0, ending with response.completed", async () => {
    mock.script(faults.reply({ text: "Paris is sunny.", chunkSize: 6 }));
    const events = await collect(
      await client.responses.create({ model: "gpt-4.1", input: "Weather?", stream: true }),
    );
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.output[0]).toMatchObject({ content: [{ text: "Paris is sunny." }] });
    expect(new Set(events.flatMap((e) => ("item_id" in e ? [e.item_id] : []))).size).toBe(1);
  });

  test("the SDK's responses.stream() helper assembles text and tool calls into finalResponse()", async () => {
    mock.script(
      faults.reply({
        text: "Checking.",
        toolCalls: [
          { id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
          { id: "call_2", name: "get_weather", arguments: { city: "Oslo" } },
        ],
        chunkSize: 5,
      }),
    );
    const stream = client.responses.stream({ model: "gpt-4.1", input: "Weather?", tools: [weather] });
    const deltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("Checking.");
    expect(final.output.map((item) => item.type)).toEqual(["message", "function_call", "function_call"]);
    expect(final.output[1]).toMatchObject({
      type: "function_call",
      id: expect.stringMatching(/^fc_/),
      call_id: "call_1",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
      status: "completed",
    });
    expect(final.output[2]).toMatchObject({ call_id: "call_2", arguments: '{"city":"Oslo"}' });
    expect(deltas.join("")).toBe('{"city":"Paris"}{"city":"Oslo"}');
  });

  test("a length-limited reply ends with response.incomplete (max_output_tokens)", async () => {
    mock.script(faults.reply({ text: "Long", finishReason: "length" }));
    const events = await collect(
      await client.responses.create({ model: "gpt-4.1", input: "Hi", stream: true }),
    );
    expect(events.at(-1)).toMatchObject({
      type: "response.incomplete",
      response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
    });
  });

  test("a content filter cuts the text and ends with response.incomplete (content_filter)", async () => {
    mock.script(faults.contentFilterStream({ reply: { text: "abcdefghij", chunkSize: 2 } }));
    const events = await collect(
      await client.responses.create({ model: "gpt-4.1", input: "Hi", stream: true }),
    );
    const text = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");
    expect(text).toBe("abcdef");
    expect(events.at(-1)).toMatchObject({
      type: "response.incomplete",
      response: { incomplete_details: { reason: "content_filter" } },
    });
  });

  test("an in-band error after content is an `event: error` the SDK throws as a status-less APIError", async () => {
    mock.script(
      faults.inBandError({
        afterEvents: 1,
        errorType: "server_error",
        reply: { text: "abcdefgh", chunkSize: 4 },
      }),
    );
    const events: Event[] = [];
    const error = await rejection(
      (async () => {
        const stream = await client.responses.create({ model: "gpt-4.1", input: "Hi", stream: true });
        for await (const event of stream) events.push(event);
      })(),
    );
    expect(error).toBeInstanceOf(sdk.OpenAI.APIError);
    expect(error.status).toBeUndefined();
    expect(error.error).toMatchObject({ type: "server_error", code: "server_error" });
    expect(events.map((e) => e.type).at(-1)).toBe("response.output_text.delta");
  });

  test("the in-band error frames continue the sequence and end with response.failed", async () => {
    mock.script(faults.inBandError({ afterEvents: 2, reply: { text: "abcdefgh", chunkSize: 2 } }));
    const res = await fetch(`${mock.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4.1", input: "Hi", stream: true }),
    });
    const frames = (await res.text()).trim().split("\n\n");
    const data = frames.map((f) => JSON.parse(f.split("\n")[1]!.slice(6)));
    expect(frames.map((f) => f.split("\n")[0])).toEqual([
      "event: response.created",
      "event: response.in_progress",
      "event: response.output_item.added",
      "event: response.content_part.added",
      "event: response.output_text.delta",
      "event: response.output_text.delta",
      "event: error",
      "event: response.failed",
    ]);
    expect(data.map((d) => d.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(data.at(-1).response).toMatchObject({ status: "failed", error: { code: "server_error" } });
  });

  test("provider errors on /v1/responses keep OpenAI's error shape", async () => {
    mock.script(faults.rateLimited({ retryAfter: "3" }));
    const error = await rejection(client.responses.create({ model: "gpt-4.1", input: "Hi" }));
    expect(error).toBeInstanceOf(sdk.OpenAI.RateLimitError);
    expect(error.headers.get("retry-after")).toBe("3");
  });

  test("Azure OpenAI serves Responses at /openai/responses with its api-version", async () => {
    const azureMock = await startMockProvider({ kind: "azure" });
    try {
      const azure = new sdk.AzureOpenAI({
        apiKey: API_KEY,
        endpoint: azureMock.baseURL,
        apiVersion: "2025-04-01-preview",
        maxRetries: 0,
      });
      const response = await azure.responses.create({ model: "my-deployment", input: "Hi" });
      expect(response.output_text).toBe("Hello from azure");
      expect(azureMock.lastRequest?.path).toBe("/openai/responses?api-version=2025-04-01-preview");
      expect(azureMock.lastRequest?.headers["api-key"]).toBe("[redacted]");
    } finally {
      await azureMock.close();
    }
  });
});
