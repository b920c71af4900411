import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import type { MockFault, MockProvider } from "../../../src/testing/index.js";
import {
  API_KEY,
  attempt,
  caught,
  collectUntilError,
  providerFor,
  request,
  startAnthropicMock,
} from "./helpers.js";

let mock: MockProvider;
let provider: ProviderAdapter;
beforeAll(async () => {
  mock = await startAnthropicMock();
  provider = providerFor(mock);
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const SECRET_PROMPT = "my-secret-prompt-text";
const secretRequest = () => request({ messages: [{ role: "user", content: SECRET_PROMPT }] });

const expectClean = (error: any) => {
  expect(error.name).toBe("ProviderError");
  expect(error.provider).toBe("anthropic");
  expect(error.message).not.toContain(API_KEY);
  expect(error.message).not.toContain(SECRET_PROMPT);
  expect(error.message).not.toMatch(/<\s*html/i);
};

/** The error of a non-streaming call, and of a streaming one (thrown by `stream()` or while iterating). */
const failBoth = async (fault: () => MockFault) => {
  mock.script(fault());
  const generateError = await caught(() => provider.generate(secretRequest(), attempt()));
  mock.script(fault());
  let streamError: any;
  try {
    streamError = (await collectUntilError(await provider.stream(secretRequest(), attempt()))).error;
  } catch (error) {
    streamError = error;
  }
  expectClean(generateError);
  expectClean(streamError);
  return [generateError, streamError] as const;
};

const inSeconds = (seconds: number) =>
  new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("anthropic HTTP errors (stream and non-stream)", () => {
  it.each<[string, () => MockFault, Record<string, unknown>]>([
    ["429 rate_limit_error", () => mock.faults.rateLimited(), { failureClass: "rate_limited", status: 429 }],
    ["429 spend limit (enforced)", () => mock.faults.quota(), { failureClass: "quota", status: 429 }],
    [
      "429 contract spend limit",
      () => mock.faults.quota({ code: "contract_spend_limit_reached" }),
      { failureClass: "quota", providerCode: "contract_spend_limit_reached" },
    ],
    ["500 api_error", () => mock.faults.serverError(500), { failureClass: "server_error", status: 500 }],
    ["503", () => mock.faults.serverError(), { failureClass: "server_error", status: 503 }],
    ["529 overloaded_error", () => mock.faults.overloaded(), { failureClass: "overloaded", status: 529 }],
    ["401 authentication_error", () => mock.faults.auth(), { failureClass: "auth", status: 401 }],
    ["403 permission_error", () => mock.faults.auth(403), { failureClass: "auth", status: 403 }],
    [
      "400 prompt is too long",
      () => mock.faults.contextLength(),
      { failureClass: "context_length", status: 400, providerCode: "invalid_request_error" },
    ],
    [
      "413 request_too_large",
      () =>
        mock.faults.status(413, {
          type: "error",
          error: {
            type: "request_too_large",
            message: "Request exceeds the maximum allowed number of bytes.",
          },
        }),
      { failureClass: "context_length", status: 413 },
    ],
    [
      "400 content filtering policy",
      () => mock.faults.contentFilter(),
      { failureClass: "content_filter", status: 400 },
    ],
    [
      "400 invalid_request_error",
      () => mock.faults.badRequest(),
      { failureClass: "bad_request", status: 400 },
    ],
    ["404 not_found_error", () => mock.faults.notFound(), { failureClass: "bad_request", status: 404 }],
    [
      "HTML 502 page",
      () => mock.faults.html(502),
      { failureClass: "server_error", status: 502, message: expect.stringContaining("HTML error page") },
    ],
    ["Cloudflare 524 page", () => mock.faults.html(524), { failureClass: "server_error", status: 524 }],
    ["connection reset", () => mock.faults.reset(), { failureClass: "connection" }],
  ])("%s", async (_name, fault, expected) => {
    const [generateError, streamError] = await failBoth(fault);
    expect(generateError).toMatchObject(expected);
    expect(streamError).toMatchObject(expected);
  });

  it("carries the request id of an HTTP error", async () => {
    mock.script(mock.faults.serverError(500));
    const error = await caught(() => provider.generate(request(), attempt()));
    expect(error.requestId).toMatch(/^req_/);
  });

  it("reads retry-after on a 429", async () => {
    const [generateError, streamError] = await failBoth(() =>
      mock.faults.rateLimited({ resetHeaders: false, retryAfter: "7" }),
    );
    expect(generateError.retryAfterMs).toBe(7000);
    expect(streamError.retryAfterMs).toBe(7000);
  });

  it("reads anthropic-ratelimit-*-reset when there is no retry-after", async () => {
    mock.script(
      mock.faults.rateLimited({
        resetHeaders: false,
        headers: {
          "anthropic-ratelimit-requests-remaining": "0",
          "anthropic-ratelimit-requests-reset": inSeconds(30),
        },
      }),
    );
    const error = await caught(() => provider.generate(request(), attempt()));
    expect(error.failureClass).toBe("rate_limited");
    expect(error.retryAfterMs).toBeGreaterThan(20_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it("has no retryAfterMs on a 429 without any reset header", async () => {
    const [generateError] = await failBoth(() => mock.faults.rateLimited({ resetHeaders: false }));
    expect(generateError).toMatchObject({ failureClass: "rate_limited", retryAfterMs: undefined });
  });

  it("refused connections (provider down) are connection failures", async () => {
    const down = await startAnthropicMock();
    const downProvider = providerFor(down);
    await down.down();
    try {
      const generateError = await caught(() => downProvider.generate(request(), attempt()));
      const streamError = await caught(() => downProvider.stream(request(), attempt()));
      expect(generateError).toMatchObject({
        failureClass: "connection",
        message: expect.stringContaining("ECONNREFUSED"),
      });
      expect(streamError).toMatchObject({ failureClass: "connection" });
    } finally {
      await down.close();
    }
  });
});

describe("anthropic malformed and unexpected bodies", () => {
  it("a truncated JSON body is invalid_response", async () => {
    mock.script(mock.faults.malformed());
    expect(await caught(() => provider.generate(request(), attempt()))).toMatchObject({
      failureClass: "invalid_response",
    });
  });

  it("a 200 that is not JSON is invalid_response", async () => {
    mock.script(mock.faults.status(200, "all good"));
    expect(await caught(() => provider.generate(request(), attempt()))).toMatchObject({
      failureClass: "invalid_response",
      message: expect.stringContaining("not JSON"),
    });
  });

  it("a 200 JSON body that is not a Message is invalid_response", async () => {
    mock.script(mock.faults.status(200, { hello: "world" }));
    expect(await caught(() => provider.generate(request(), attempt()))).toMatchObject({
      failureClass: "invalid_response",
      message: expect.stringContaining("content"),
    });
  });

  it("a 200 carrying an Anthropic error object is classified by its type", async () => {
    mock.script(mock.faults.inBandError());
    expect(await caught(() => provider.generate(request(), attempt()))).toMatchObject({
      failureClass: "overloaded",
      providerCode: "overloaded_error",
    });
  });

  it("a truncated non-stream body (connection cut) is a connection failure", async () => {
    mock.script(mock.faults.cut(0));
    expect(await caught(() => provider.generate(request(), attempt()))).toMatchObject({
      failureClass: "connection",
    });
  });
});

describe("anthropic refusals are answers, not failures", () => {
  it("stop_reason refusal → a result with its explanation as `refusal` and finish content-filter (non-stream)", async () => {
    mock.script(
      mock.faults.status(200, {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-5-5",
        content: [{ type: "text", text: "I can" }],
        stop_reason: "refusal",
        stop_details: {
          type: "refusal",
          category: "cyber",
          explanation: "This looks like malware development.",
        },
        usage: { input_tokens: 5, output_tokens: 2 },
      }),
    );
    const response = await provider.generate(request(), attempt());
    expect(response).toMatchObject({
      text: "I can",
      refusal: "This looks like malware development.",
      finishReason: { unified: "content-filter", raw: "refusal" },
    });
  });

  it("a refusal without an explanation still says so, naming its category", async () => {
    mock.script(
      mock.faults.status(200, {
        type: "message",
        role: "assistant",
        content: [],
        stop_reason: "refusal",
        stop_details: { type: "refusal", category: "bio", explanation: null },
      }),
    );
    const response = await provider.generate(request(), attempt());
    expect(response.refusal).toBe("The model declined to answer (policy category: bio).");
  });

  it("refusal mid-stream → the text streamed so far, one refusal part, then a content-filter finish", async () => {
    mock.script(mock.faults.contentFilterStream({ reply: { text: "Here is how you", chunkSize: 4 } }));
    const { parts, error } = await collectUntilError(await provider.stream(request(), attempt()));
    expect(error).toBeUndefined();
    const types = parts.map((p) => p.type);
    expect(types.slice(0, -2).every((t) => t === "text")).toBe(true);
    expect(types.slice(-2)).toEqual(["refusal", "finish"]);
    expect(parts.at(-2)).toEqual({ type: "refusal", text: "The model declined to answer." });
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: "content-filter", raw: "refusal" } });
  });
});

describe("anthropic stop reasons that are failures", () => {
  it("model_context_window_exceeded → context_length (stream and non-stream)", async () => {
    const [generateError, streamError] = await failBoth(() =>
      mock.faults.reply({ text: "long answer", finishReason: "model_context_window_exceeded" }),
    );
    expect(generateError).toMatchObject({
      failureClass: "context_length",
      providerCode: "model_context_window_exceeded",
    });
    expect(streamError).toMatchObject({ failureClass: "context_length" });
  });
});

describe("anthropic in-band stream errors", () => {
  it("event: error overloaded_error after content → overloaded, after the text", async () => {
    mock.script(mock.faults.inBandError({ afterEvents: 2, reply: { text: "Hello there", chunkSize: 3 } }));
    const { parts, error } = await collectUntilError(await provider.stream(request(), attempt()));
    expect(parts.map((p) => p.type)).toEqual(["text", "text"]);
    expect(error).toMatchObject({
      failureClass: "overloaded",
      status: undefined,
      providerCode: "overloaded_error",
    });
  });

  it("event: error before any content → overloaded", async () => {
    mock.script(mock.faults.inBandError());
    const { parts, error } = await collectUntilError(await provider.stream(request(), attempt()));
    expect(parts).toEqual([]);
    expect(error).toMatchObject({ failureClass: "overloaded" });
  });

  it("event: error api_error → server_error", async () => {
    mock.script(mock.faults.inBandError({ errorType: "api_error" }));
    const { error } = await collectUntilError(await provider.stream(request(), attempt()));
    expect(error).toMatchObject({ failureClass: "server_error", providerCode: "api_error" });
  });

  it("a malformed SSE frame → invalid_response", async () => {
    mock.script(mock.faults.malformed(1));
    const { parts, error } = await collectUntilError(await provider.stream(request(), attempt()));
    expect(parts.map((p) => p.type)).toEqual(["text"]);
    expect(error).toMatchObject({ failureClass: "invalid_response" });
  });

  it("a cut connection → connection, never a finish", async () => {
    mock.script(mock.faults.cut(2, { text: "Hello there, friend", chunkSize: 4 }));
    const { parts, error } = await collectUntilError(await provider.stream(request(), attempt()));
    expect(parts.some((p) => p.type === "finish")).toBe(false);
    expect(error).toMatchObject({ failureClass: "connection" });
  });
});

describe("anthropic aborts and timeouts", () => {
  it("an already-aborted signal → aborted, nothing sent", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await caught(() => provider.generate(request(), attempt(controller.signal)));
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "aborted" });
    expect(mock.callCount).toBe(0);
  });

  it("aborting a hung call → aborted (generate and stream)", async () => {
    mock.script(mock.faults.blackHole(), mock.faults.blackHole());
    // Aborted once the mock holds the request: a request aborted before it arrived could still
    // arrive later, under load, and take the next test's scripted fault.
    const abortAtCall = (count: number): AbortSignal => {
      const controller = new AbortController();
      void expect
        .poll(() => mock.callCount, { timeout: 5000 })
        .toBe(count)
        .then(() => controller.abort());
      return controller.signal;
    };
    expect(await caught(() => provider.generate(request(), attempt(abortAtCall(1))))).toMatchObject({
      failureClass: "aborted",
    });
    expect(await caught(() => provider.stream(request(), attempt(abortAtCall(2))))).toMatchObject({
      failureClass: "aborted",
    });
  });

  it("aborting mid-stream → aborted, not a quiet end", async () => {
    mock.script(mock.faults.stall(2, { pingIntervalMs: 5, reply: { text: "Hello there", chunkSize: 3 } }));
    const controller = new AbortController();
    const iterable = await provider.stream(request(), attempt(controller.signal));
    const parts: StreamPart[] = [];
    let error: any;
    try {
      for await (const part of iterable) {
        parts.push(part);
        if (parts.length === 2) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(parts.map((p) => p.type)).toEqual(["text", "text"]);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "aborted" });
  });

  it("the SDK timeout (context.timeoutMs) on a black hole → timeout, and the SDK does not retry", async () => {
    mock.script(mock.faults.blackHole(), mock.faults.blackHole());
    expect(await caught(() => provider.generate(request(), attempt(undefined, 50)))).toMatchObject({
      failureClass: "timeout",
    });
    expect(await caught(() => provider.stream(request(), attempt(undefined, 50)))).toMatchObject({
      failureClass: "timeout",
    });
    // At most one request per call (the engine is the only retry layer). Not exactly one: on a
    // loaded machine the 50 ms timer can fire before a request has reached the mock.
    expect(mock.callCount).toBeLessThanOrEqual(2);
  });
});
