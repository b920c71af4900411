/** Anthropic wire details, read through the real @anthropic-ai/sdk (and raw fetch where the SDK hides them). */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEY, readUntil, rejection } from "./helpers.js";

const params = {
  model: "claude-sonnet-5-5",
  max_tokens: 256,
  messages: [{ role: "user" as const, content: "Hi" }],
};

function anthropicClient(mock: MockProvider): Anthropic {
  return new Anthropic({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 0, timeout: 5000 });
}

describe("anthropic wire", () => {
  let mock: MockProvider;
  let client: Anthropic;
  beforeAll(async () => {
    mock = await startMockProvider({ kind: "anthropic" });
    client = anthropicClient(mock);
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  test("non-stream message: id, echoed model, usage with cache reads, request-id header", async () => {
    mock.script(faults.reply({ usage: { inputTokens: 100, outputTokens: 9, cachedInputTokens: 60 } }));
    const { data, response } = await client.messages.create(params).withResponse();
    expect(data).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-5-5",
      content: [{ type: "text", text: "Hello from anthropic" }],
      stop_reason: "end_turn",
      stop_sequence: null,
    });
    expect(data.id).toMatch(/^msg_01/);
    expect(data.usage).toMatchObject({ input_tokens: 40, cache_read_input_tokens: 60, output_tokens: 9 });
    expect(response.headers.get("request-id")).toMatch(/^req_/);
  });

  test("stream event order, as the SDK yields it (ping skipped)", async () => {
    mock.script(faults.reply({ text: "abcdefghij", chunkSize: 4 }));
    const types: string[] = [];
    const deltas: string[] = [];
    for await (const event of await client.messages.create({ ...params, stream: true })) {
      types.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "text_delta")
        deltas.push(event.delta.text);
    }
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(deltas).toEqual(["abcd", "efgh", "ij"]);
  });

  test("raw stream: every frame has an event line, a ping after the first block start", async () => {
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": API_KEY },
      body: JSON.stringify({ ...params, stream: true }),
    });
    const text = await res.text();
    const frames = text.split("\n\n").filter(Boolean);
    expect(frames.every((f) => f.startsWith("event: "))).toBe(true);
    expect(frames.map((f) => f.slice(7, f.indexOf("\n")))).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(mock.lastRequest?.headers["x-api-key"]).toBe("[redacted]");
  });

  test("tool_use streams as input_json_delta pieces; MessageStream.finalMessage parses the input", async () => {
    const input = { city: "Paris", units: "metric" };
    mock.script(
      faults.reply({
        text: "Checking.",
        toolCalls: [{ id: "toolu_1", name: "get_weather", arguments: input }],
      }),
    );
    const stream = client.messages.stream(params);
    const pieces: string[] = [];
    stream.on("inputJson", (partial) => pieces.push(partial));
    const message = await stream.finalMessage();
    expect(pieces.length).toBeGreaterThan(2);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "text", text: "Checking.", citations: null },
      { type: "tool_use", id: "toolu_1", name: "get_weather", input, caller: { type: "direct" } },
    ]);
  });

  test("rate limit: retry-after and anthropic-ratelimit-*-reset as RFC 3339", async () => {
    mock.script(faults.rateLimited({ resetSeconds: 30 }));
    const err = await rejection(client.messages.create(params));
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.type).toBe("rate_limit_error");
    expect(err.headers.get("retry-after")).toBe("30");
    const reset = err.headers.get("anthropic-ratelimit-requests-reset");
    expect(reset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(reset) - Date.now()).toBeGreaterThan(20_000);
    expect(err.headers.get("anthropic-ratelimit-tokens-remaining")).toBe("0");
    expect(err.requestID).toMatch(/^req_/);
  });

  test("quota: 429 with details.error_code, mapped by the SDK to its spend-limit classes", async () => {
    mock.script(faults.quota(), faults.quota({ code: "contract_spend_limit_reached" }));
    const enforced = await rejection(client.messages.create(params));
    expect(enforced).toBeInstanceOf(Anthropic.EnforcedSpendLimitReachedError);
    expect(enforced).toBeInstanceOf(Anthropic.RateLimitError);
    expect(enforced.errorCode).toBe("enforced_spend_limit_reached");
    const contract = await rejection(client.messages.create(params));
    expect(contract).toBeInstanceOf(Anthropic.ContractSpendLimitReachedError);
  });

  test("overloaded: 529 OverloadedError; context length message", async () => {
    mock.script(faults.overloaded(), faults.contextLength({ promptTokens: 250000, maxTokens: 200000 }));
    const overloaded = await rejection(client.messages.create(params));
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect(overloaded.type).toBe("overloaded_error");
    const ctx = await rejection(client.messages.create(params));
    expect(ctx).toBeInstanceOf(Anthropic.BadRequestError);
    expect(ctx.apiMessage).toBe("prompt is too long: 250000 tokens > 200000 maximum");
  });

  test("in-band error after content: event: error with the chosen type", async () => {
    mock.script(faults.inBandError({ afterEvents: 2, errorType: "api_error", message: "boom" }));
    const texts: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const e of await client.messages.create({ ...params, stream: true })) {
          if (e.type === "content_block_delta" && e.delta.type === "text_delta") texts.push(e.delta.text);
        }
      })(),
    );
    expect(texts).toHaveLength(2);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err).toMatchObject({ status: undefined, type: "api_error", apiMessage: "boom" });
  });

  test("content-filter-stream: stop_reason refusal with stop_details", async () => {
    mock.script(faults.contentFilterStream());
    const message = await client.messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe("refusal");
    expect(message.stop_details).toEqual({ type: "refusal", category: null, explanation: null });
  });

  test("stall with keep-alives sends event: ping on the wire", async () => {
    mock.script(faults.stall(1, { pingIntervalMs: 5 }));
    const controller = new AbortController();
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...params, stream: true }),
      signal: controller.signal,
    });
    const text = await readUntil(res, (t) => t.split("event: ping").length > 3);
    controller.abort();
    expect(text).toContain("event: content_block_delta");
    expect(text).not.toContain("message_stop");
  });

  test("no-terminal: the raw stream ends quietly, the MessageStream helper rejects", async () => {
    mock.script(faults.noTerminal(), faults.noTerminal());
    const types: string[] = [];
    for await (const e of await client.messages.create({ ...params, stream: true })) types.push(e.type);
    expect(types).not.toContain("message_stop");
    const err = await rejection(client.messages.stream(params).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.AnthropicError);
    expect(err.message).toBe("stream ended without producing a Message with role=assistant");
  });
});
