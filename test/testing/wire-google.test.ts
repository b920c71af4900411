/**
 * The Gemini wire (generateContent / streamGenerateContent?alt=sse), read through the real
 * `@ai-sdk/google` model (and raw fetch where the SDK hides the frames): every fault, both ways.
 */
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import type { LanguageModelV4, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEY, causeCode, readUntil, rejection } from "./helpers.js";

const MODEL = "gemini-2.5-flash";
const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "Hi" }] }];

let mock: MockProvider;
let model: LanguageModelV4;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "google" });
  model = createGoogleGenerativeAI({ apiKey: API_KEY, baseURL: mock.baseURL })(MODEL);
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const generate = (signal?: AbortSignal) => Promise.resolve(model.doGenerate({ prompt, abortSignal: signal }));

/** Reads a doStream result to its end; a stream that errors is reported, not thrown. */
const stream = async (signal?: AbortSignal) => {
  const { stream } = await model.doStream({ prompt, abortSignal: signal });
  const parts: LanguageModelV4StreamPart[] = [];
  let thrown: unknown;
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    thrown = error;
  }
  const text = parts.map((p) => (p.type === "text-delta" ? p.delta : "")).join("");
  const finish = parts.find((p) => p.type === "finish") as Extract<
    LanguageModelV4StreamPart,
    { type: "finish" }
  >;
  const error = parts.find((p) => p.type === "error") as Extract<
    LanguageModelV4StreamPart,
    { type: "error" }
  >;
  return { parts, text, finish, error: error?.error, thrown };
};

const raw = (path: string, body: unknown = { contents: [{ role: "user", parts: [{ text: "Hi" }] }] }) =>
  fetch(`${mock.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": API_KEY },
    body: JSON.stringify(body),
  });

describe("google wire: replies", () => {
  test("generateContent: candidates, STOP, usageMetadata, modelVersion, responseId", async () => {
    mock.script(faults.reply({ usage: { inputTokens: 9, outputTokens: 3, cachedInputTokens: 4 } }));
    const result = await generate();
    expect(result.content).toEqual([{ type: "text", text: "Hello from google" }]);
    expect(result.finishReason).toEqual({ unified: "stop", raw: "STOP" });
    expect(result.usage.inputTokens).toMatchObject({ total: 9, cacheRead: 4, noCache: 5 });
    expect(result.usage.outputTokens.total).toBe(3);
    expect(result.response?.id).toMatch(/^[A-Za-z0-9]{23}$/);
    expect(result.response?.body).toMatchObject({ modelVersion: MODEL });
    expect(mock.lastRequest).toMatchObject({
      path: `/v1beta/models/${MODEL}:generateContent`,
      model: MODEL,
      stream: false,
    });
    expect(mock.lastRequest?.headers["x-goog-api-key"]).toBe("[redacted]");
    expect(mock.lastRequest?.body).toMatchObject({ contents: [{ role: "user", parts: [{ text: "Hi" }] }] });
  });

  test("streamGenerateContent?alt=sse: one frame per piece, the finish on the last", async () => {
    mock.script(faults.reply({ text: "abcdefghij", chunkSize: 4 }));
    const out = await stream();
    expect(out.parts.filter((p) => p.type === "text-delta").map((p) => (p as any).delta)).toEqual([
      "abcd",
      "efgh",
      "ij",
    ]);
    expect(out.finish).toMatchObject({ finishReason: { unified: "stop", raw: "STOP" } });
    expect(out.finish.usage.outputTokens.total).toBeGreaterThan(0);
    expect(mock.lastRequest).toMatchObject({ model: MODEL, stream: true });
    const wire = await readUntil(await raw(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`), (t) =>
      t.includes('"finishReason"'),
    );
    const frames = wire.split("\n\n").filter(Boolean);
    expect(frames.every((f) => f.startsWith("data: {"))).toBe(true);
    expect(JSON.parse(frames[0]!.slice(6))).toMatchObject({
      candidates: [{ content: { role: "model", parts: [{ text: expect.any(String) }] }, index: 0 }],
      usageMetadata: { promptTokenCount: expect.any(Number) },
      modelVersion: MODEL,
    });
    expect(wire).not.toContain("[DONE]");
  });

  test("function calls: whole in one part, no id unless given (the SDK makes one)", async () => {
    mock.script(
      faults.reply({ text: "Checking.", toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] }),
      faults.reply({ toolCalls: [{ id: "fc_1", name: "get_weather", arguments: { city: "Oslo" } }] }),
    );
    const result = await generate();
    const call = result.content.find((c) => c.type === "tool-call")!;
    expect(call).toMatchObject({ toolName: "get_weather", input: '{"city":"Paris"}' });
    expect((call as any).toolCallId).toEqual(expect.any(String));
    expect(result.finishReason).toEqual({ unified: "tool-calls", raw: "STOP" });
    const out = await stream();
    expect(out.parts.find((p) => p.type === "tool-call")).toMatchObject({
      toolCallId: "fc_1",
      input: '{"city":"Oslo"}',
    });
    expect(out.finish.finishReason.unified).toBe("tool-calls");
  });

  test("a wrong path or a stream without alt=sse is a 404 in Google's shape", async () => {
    const res = await raw(`/v1beta/models/${MODEL}:streamGenerateContent`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
    expect((await raw("/v1/chat/completions")).status).toBe(404);
  });

  test("apiKey: a request without the key gets Gemini's API_KEY_INVALID (a 400)", async () => {
    const locked = await startMockProvider({ kind: "google", apiKey: "right-key" });
    try {
      const wrong = createGoogleGenerativeAI({ apiKey: "wrong-key", baseURL: locked.baseURL })(MODEL);
      const error = await rejection(Promise.resolve(wrong.doGenerate({ prompt })));
      expect(error).toMatchObject({ statusCode: 400 });
      expect(error.data.error).toMatchObject({
        status: "INVALID_ARGUMENT",
        details: [{ reason: "API_KEY_INVALID" }],
      });
      const right = createGoogleGenerativeAI({ apiKey: "right-key", baseURL: locked.baseURL })(MODEL);
      expect((await right.doGenerate({ prompt })).content).toHaveLength(1);
    } finally {
      await locked.close();
    }
  });
});

describe("google wire: errors as google.rpc.Status", () => {
  test.each([
    ["rateLimited", faults.rateLimited({ resetSeconds: 7 }), 429, "RESOURCE_EXHAUSTED"],
    ["quota", faults.quota(), 429, "RESOURCE_EXHAUSTED"],
    ["serverError 500", faults.serverError(500), 500, "INTERNAL"],
    ["serverError 503", faults.serverError(), 503, "UNAVAILABLE"],
    ["serverError 504", faults.serverError(504), 504, "DEADLINE_EXCEEDED"],
    ["overloaded", faults.overloaded(), 503, "UNAVAILABLE"],
    ["auth 403", faults.auth(403), 403, "PERMISSION_DENIED"],
    ["auth 401", faults.auth(401), 401, "UNAUTHENTICATED"],
    [
      "contextLength",
      faults.contextLength({ promptTokens: 1_100_000, maxTokens: 1_048_576 }),
      400,
      "INVALID_ARGUMENT",
    ],
    ["badRequest", faults.badRequest(), 400, "INVALID_ARGUMENT"],
    ["notFound", faults.notFound(), 404, "NOT_FOUND"],
  ] as const)("%s, both ways", async (_name, fault, status, rpc) => {
    mock.script(fault, fault);
    for (const error of [await rejection(generate()), await rejection(stream())]) {
      expect(error.name).toBe("AI_APICallError");
      expect(error.statusCode).toBe(status);
      expect(error.data.error).toMatchObject({ code: status, status: rpc, message: expect.any(String) });
    }
  });

  test("a rate limit states its wait in RetryInfo; a spent quota does not", async () => {
    mock.script(faults.rateLimited({ resetSeconds: 7 }), faults.quota());
    const limited = await rejection(generate());
    expect(limited.data.error.details).toContainEqual({
      "@type": "type.googleapis.com/google.rpc.RetryInfo",
      retryDelay: "7s",
    });
    expect(limited.data.error.message).toMatch(/Please retry in 7s/);
    const spent = await rejection(generate());
    expect(JSON.stringify(spent.data.error.details)).not.toContain("RetryInfo");
  });

  test("a wrong key is a 400 with API_KEY_INVALID; the context-length message names both counts", async () => {
    mock.script(faults.auth(), faults.contextLength({ promptTokens: 1_100_000, maxTokens: 1_048_576 }));
    const auth = await rejection(generate());
    expect(auth.statusCode).toBe(400);
    expect(auth.data.error.details[0]).toMatchObject({ reason: "API_KEY_INVALID" });
    const context = await rejection(generate());
    expect(context.message).toBe(
      "The input token count (1100000) exceeds the maximum number of tokens allowed (1048576).",
    );
  });

  test("retryAfter / retryAfterMs still add headers", async () => {
    mock.script(faults.rateLimited({ retryAfter: "3", resetHeaders: false }));
    const error = await rejection(generate());
    expect(error.responseHeaders["retry-after"]).toBe("3");
    expect(error.data.error.message).toBe("Resource has been exhausted (e.g. check quota).");
    expect(JSON.stringify(error.data.error)).not.toContain("RetryInfo");
  });

  test("a blocked prompt: HTTP 200, no candidates, promptFeedback (a stream sends it as its one frame)", async () => {
    mock.script(faults.contentFilter(), faults.contentFilter());
    const result = await generate();
    expect(result.content).toEqual([]);
    expect(result.finishReason).toEqual({ unified: "content-filter", raw: "SAFETY" });
    const out = await stream();
    expect(out.text).toBe("");
    expect(out.finish.finishReason).toEqual({ unified: "content-filter", raw: "SAFETY" });
  });

  test("an HTML page from the front end", async () => {
    mock.script(faults.html(502));
    const error = await rejection(generate());
    expect(error.statusCode).toBe(502);
    expect(error.responseBody).toMatch(/<html>/);
  });
});

describe("google wire: broken streams and connections", () => {
  test("output stopped by safety: some text, then finishReason SAFETY with the blocked rating", async () => {
    mock.script(
      faults.contentFilterStream({ category: "hate" }),
      faults.contentFilterStream({ category: "hate" }),
    );
    const out = await stream();
    expect(out.text.length).toBeGreaterThan(0);
    expect(out.finish.finishReason).toEqual({ unified: "content-filter", raw: "SAFETY" });
    const result = await generate();
    expect(result.finishReason.raw).toBe("SAFETY");
    expect((result.providerMetadata!.google as any).safetyRatings).toContainEqual({
      category: "HARM_CATEGORY_HATE_SPEECH",
      probability: "HIGH",
      blocked: true,
    });
  });

  test("in-band error after 2 frames: the SDK's error part; non-stream: the error object as a 200 body", async () => {
    mock.script(faults.inBandError({ afterEvents: 2 }), faults.inBandError({ errorType: "UNAVAILABLE" }));
    const out = await stream();
    expect(out.text).toBe("Hello from google".slice(0, 16));
    expect(out.error).toMatchObject({ statusCode: 500, type: "INTERNAL", isRetryable: true });
    expect(out.finish.finishReason.unified).toBe("error");
    const body = await (await raw(`/v1beta/models/${MODEL}:generateContent`)).json();
    expect(body).toEqual({
      error: {
        code: 503,
        status: "UNAVAILABLE",
        message: "The model is overloaded. Please try again later.",
      },
    });
  });

  test("no terminal frame: the SDK reports the stream as interrupted", async () => {
    mock.script(faults.noTerminal());
    const out = await stream();
    expect(out.text).toBe("Hello from google");
    expect(out.finish.finishReason).toEqual({ unified: "interrupted", raw: undefined });
  });

  test("a malformed frame is an error part; a truncated JSON body a parse failure", async () => {
    mock.script(faults.malformed(1), faults.malformed());
    const out = await stream();
    expect(out.text).toBe("Hello fr");
    expect((out.error as Error).name).toMatch(/AI_JSONParseError|AI_TypeValidationError/);
    const error = await rejection(generate());
    expect(error.message).toMatch(/Failed to process successful response|JSON/);
  });

  test("reset, and a cut mid-stream, surface as connection failures", async () => {
    mock.script(faults.reset(), faults.cut(2));
    expect(causeCode(await rejection(generate()))).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    const out = await stream();
    expect(out.text).toBe("Hello from google".slice(0, 16));
    expect(out.thrown ?? out.error).toBeDefined();
  });

  test("black hole, slow headers, stall: only the caller's abort ends them", async () => {
    for (const fault of [
      faults.blackHole(),
      faults.slowHeaders(60_000),
      faults.stall(1, { pingIntervalMs: 20 }),
    ]) {
      mock.script(fault);
      const controller = new AbortController();
      const pending = stream(controller.signal).catch((error: unknown) => ({ thrown: error }));
      await new Promise((r) => setTimeout(r, 60));
      controller.abort();
      const out: any = await pending;
      expect((out.thrown as Error)?.name ?? (out.error as Error)?.name).toBe("AbortError");
    }
    for (let i = 0; i < 200 && mock.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(mock.inFlight).toBe(0);
  });

  test("slow first token: headers at once, content after the delay", async () => {
    mock.script(faults.slowFirstToken(50));
    const out = await stream();
    expect(out.text).toBe("Hello from google");
  });
});
