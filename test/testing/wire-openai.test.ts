/** OpenAI and Azure wire details, read through the real openai SDK (and raw fetch where the SDK hides them). */
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEY, readUntil, rejection } from "./helpers.js";

const messages = [{ role: "user" as const, content: "Hi" }];

function openaiClient(mock: MockProvider): OpenAI {
  if (mock.kind === "azure") {
    return new AzureOpenAI({
      apiKey: API_KEY,
      endpoint: mock.baseURL,
      deployment: "my-deployment",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
  }
  return new OpenAI({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 0 });
}

describe("openai wire", () => {
  let mock: MockProvider;
  let client: OpenAI;
  beforeAll(async () => {
    mock = await startMockProvider({ kind: "openai" });
    client = openaiClient(mock);
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  test("non-stream body: ids, echoed model, usage, fingerprint, request id header", async () => {
    mock.script(faults.reply({ usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4 } }));
    const { data, response } = await client.chat.completions
      .create({ model: "gpt-4.1", messages })
      .withResponse();
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe("gpt-4.1");
    expect(typeof data.created).toBe("number");
    expect(data.system_fingerprint).toMatch(/^fp_/);
    expect(data.choices[0]!.message).toMatchObject({
      role: "assistant",
      content: "Hello from openai",
      refusal: null,
    });
    expect(data.usage).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  test("the `model` option overrides the echoed model", async () => {
    const pinned = await startMockProvider({ kind: "openai", model: "gpt-4o-2024-08-06" });
    try {
      const res = await openaiClient(pinned).chat.completions.create({ model: "gpt-4o", messages });
      expect(res.model).toBe("gpt-4o-2024-08-06");
    } finally {
      await pinned.close();
    }
  });

  test("stream: role chunk first, text in chunkSize deltas, usage only with include_usage", async () => {
    mock.script(
      faults.reply({ text: "abcdefghij", chunkSize: 3 }),
      faults.reply({ text: "abcdefghij", chunkSize: 3 }),
    );
    const plain = [];
    for await (const chunk of await client.chat.completions.create({
      model: "gpt-4o",
      messages,
      stream: true,
    })) {
      plain.push(chunk);
    }
    expect(plain[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "", refusal: null });
    expect(plain.slice(1, -1).map((c) => c.choices[0]!.delta.content)).toEqual(["abc", "def", "ghi", "j"]);
    expect(plain.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    expect(plain.every((c) => !("usage" in c))).toBe(true);

    const withUsage = [];
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) withUsage.push(chunk);
    const last = withUsage.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.total_tokens).toBeGreaterThan(0);
    expect(withUsage.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  test("tool calls stream as id+name first, then argument pieces; the SDK's stream helper assembles them", async () => {
    const args = { city: "Paris", days: 3 };
    mock.script(faults.reply({ toolCalls: [{ id: "call_abc", name: "get_weather", arguments: args }] }));
    const runner = client.chat.completions.stream({
      model: "gpt-4o",
      messages,
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
    });
    const deltas: OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    runner.on("chunk", (chunk) => deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? [])));
    const final = await runner.finalChatCompletion();
    expect(deltas[0]).toMatchObject({
      index: 0,
      id: "call_abc",
      type: "function",
      function: { name: "get_weather" },
    });
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.slice(1).every((d) => d.id === undefined)).toBe(true);
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual(args);
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
    expect(final.choices[0]!.message.content).toBeNull();
  });

  test("string tool arguments are sent verbatim (invalid JSON too)", async () => {
    mock.script(faults.reply({ toolCalls: [{ name: "f", arguments: '{"broken": ' }] }));
    const res = await client.chat.completions.create({ model: "gpt-4o", messages });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.arguments).toBe('{"broken": ');
  });

  test("`extra` fields land in the body and the first chunk (Perplexity-style citations)", async () => {
    const extra = {
      citations: ["https://example.com"],
      search_results: [{ title: "t", url: "https://example.com" }],
    };
    mock.script(faults.reply({ extra }), faults.reply({ extra }));
    const res = await client.chat.completions.create({ model: "sonar", messages });
    expect(res).toMatchObject(extra);
    const chunks = [];
    for await (const c of await client.chat.completions.create({ model: "sonar", messages, stream: true }))
      chunks.push(c);
    expect(chunks[0]).toMatchObject(extra);
  });

  test("rate limit headers: x-ratelimit-* durations, retry-after, retry-after-ms", async () => {
    mock.script(
      faults.rateLimited({ resetSeconds: 360 }),
      faults.rateLimited({ retryAfter: "7", retryAfterMs: "7000", resetHeaders: false }),
    );
    const first = await rejection(client.chat.completions.create({ model: "gpt-4o", messages }));
    expect(first).toBeInstanceOf(OpenAI.RateLimitError);
    expect(first.code).toBe("rate_limit_exceeded");
    expect(first.headers.get("x-ratelimit-reset-requests")).toBe("6m0s");
    expect(first.headers.get("x-ratelimit-reset-tokens")).toBe("6m0s");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(first.headers.get("retry-after")).toBeNull();
    const second = await rejection(client.chat.completions.create({ model: "gpt-4o", messages }));
    expect(second.headers.get("retry-after")).toBe("7");
    expect(second.headers.get("retry-after-ms")).toBe("7000");
    expect(second.headers.get("x-ratelimit-reset-requests")).toBeNull();
  });

  test("error bodies: quota, context length; message and code overrides", async () => {
    mock.script(
      faults.quota(),
      faults.contextLength(),
      faults.badRequest({ message: "nope", code: "invalid_value" }),
    );
    const quota = await rejection(client.chat.completions.create({ model: "gpt-4o", messages }));
    expect(quota).toMatchObject({ status: 429, code: "insufficient_quota", type: "insufficient_quota" });
    const ctx = await rejection(client.chat.completions.create({ model: "gpt-4o", messages }));
    expect(ctx).toBeInstanceOf(OpenAI.BadRequestError);
    expect(ctx).toMatchObject({ code: "context_length_exceeded", param: "messages" });
    const bad = await rejection(client.chat.completions.create({ model: "gpt-4o", messages }));
    expect(bad).toMatchObject({ status: 400, code: "invalid_value", message: "400 nope" });
  });

  test("stall with keep-alives sends SSE comments on the wire", async () => {
    mock.script(faults.stall(1, { pingIntervalMs: 5 }));
    const controller = new AbortController();
    const res = await fetch(`${mock.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ model: "gpt-4o", messages, stream: true }),
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const text = await readUntil(res, (t) => t.split(": keep-alive\n\n").length > 2);
    controller.abort();
    expect(text.startsWith("data: {")).toBe(true);
    expect(text).not.toContain("[DONE]");
  });

  test("/chat/completions without /v1 is accepted (OpenAI-compatible providers)", async () => {
    const compat = new OpenAI({ apiKey: API_KEY, baseURL: mock.url, maxRetries: 0 });
    const res = await compat.chat.completions.create({ model: "sonar", messages });
    expect(res.choices[0]!.message.content).toBe("Hello from openai");
    expect(mock.lastRequest?.path).toBe("/chat/completions");
  });
});

describe("azure wire", () => {
  let mock: MockProvider;
  let client: OpenAI;
  beforeAll(async () => {
    mock = await startMockProvider({ kind: "azure" });
    client = openaiClient(mock);
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  test("deployment path with api-version, api-key header redacted", async () => {
    const res = await client.chat.completions.create({ model: "gpt-4o", messages });
    expect(res.choices[0]!.message.content).toBe("Hello from azure");
    const req = mock.lastRequest!;
    expect(req.path).toBe("/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21");
    expect(req.headers["api-key"]).toBe("[redacted]");
    expect(req.model).toBe("gpt-4o");
  });

  test("non-stream body carries prompt_filter_results and content_filter_results", async () => {
    const res = (await client.chat.completions.create({ model: "gpt-4o", messages })) as any;
    expect(res.prompt_filter_results[0]).toMatchObject({
      prompt_index: 0,
      content_filter_results: { hate: { filtered: false, severity: "safe" } },
    });
    expect(res.choices[0].content_filter_results.violence).toEqual({ filtered: false, severity: "safe" });
  });

  test("stream starts with the prompt annotation chunk (choices: [], empty id)", async () => {
    const chunks: any[] = [];
    for await (const c of await client.chat.completions.create({ model: "gpt-4o", messages, stream: true })) {
      chunks.push(c);
    }
    expect(chunks[0]).toMatchObject({ id: "", choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    expect(chunks[1].choices[0]).toMatchObject({ delta: { role: "assistant" }, content_filter_results: {} });
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Hello from azure");
  });

  test("content-filter-stream: finish_reason content_filter with the filtered category", async () => {
    mock.script(faults.contentFilterStream({ category: "self_harm" }));
    const chunks: any[] = [];
    for await (const c of await client.chat.completions.create({ model: "gpt-4o", messages, stream: true })) {
      chunks.push(c);
    }
    const last = chunks.at(-1).choices[0];
    expect(last.finish_reason).toBe("content_filter");
    expect(last.content_filter_results.self_harm).toEqual({ filtered: true, severity: "high" });
  });

  test("prompt content filter: 400 with innererror.content_filter_result", async () => {
    mock.script(faults.contentFilter());
    const err = await rejection(client.chat.completions.create({ model: "gpt-4o", messages }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe("content_filter");
    expect(err.param).toBe("prompt");
    expect(err.error.innererror).toMatchObject({
      code: "ResponsibleAIPolicyViolation",
      content_filter_result: { hate: { filtered: true, severity: "high" } },
    });
  });

  test("rate limit: retry-after and retry-after-ms, the wait stated in the message", async () => {
    mock.script(faults.rateLimited({ resetSeconds: 86400 }));
    const err = await rejection(client.chat.completions.create({ model: "gpt-4o", messages }));
    expect(err.headers.get("retry-after")).toBe("86400");
    expect(err.headers.get("retry-after-ms")).toBe("86400000");
    expect(err.message).toContain("Please retry after 86400 seconds");
    expect(err.code).toBe("429");
  });

  test("/openai/v1/chat/completions is accepted; a deployment path without api-version is a 404", async () => {
    const v1 = new OpenAI({ apiKey: API_KEY, baseURL: `${mock.url}/openai/v1`, maxRetries: 0 });
    expect(
      (await v1.chat.completions.create({ model: "gpt-4o", messages })).choices[0]!.message.content,
    ).toBe("Hello from azure");
    const noVersion = new OpenAI({
      apiKey: API_KEY,
      baseURL: `${mock.url}/openai/deployments/dep`,
      maxRetries: 0,
    });
    const err = await rejection(noVersion.chat.completions.create({ model: "gpt-4o", messages }));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(mock.lastRequest?.fault).toBe("not-found");
  });
});
