import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FailureClass } from "../../../src/errors/failure-class.js";
import { openai } from "../../../src/providers/openai/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import { faults, type MockFault, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, caught, request } from "./helpers.js";

let mock: MockProvider;
let provider: ProviderAdapter;

beforeAll(async () => {
  mock = await startMockProvider({ kind: "openai" });
  provider = openai({ apiKey: API_KEY, baseURL: mock.baseURL, model: "gpt-4o-mini" });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

/** Runs one call (stream or not) to its end; returns the error and the parts seen. */
const fail = async (stream: boolean, signal?: AbortSignal, timeoutMs?: number) => {
  const parts: StreamPart[] = [];
  const error = await caught(async () => {
    if (!stream) return provider.generate(request(), attempt(signal, timeoutMs));
    for await (const part of await provider.stream(request(), attempt(signal, timeoutMs))) parts.push(part);
    throw new Error(`stream ended without an error after ${parts.length} parts`);
  });
  return { error, parts };
};

const expectSafeMessage = (error: { message: string }) => {
  expect(error.message).not.toContain(API_KEY);
  expect(error.message).not.toContain("Hi there");
  expect(error.message).not.toMatch(/<\s*(html|!doctype)/i);
};

interface Case {
  name: string;
  fault: MockFault;
  failureClass: FailureClass;
  status?: number;
  retryAfterMs?: number;
  providerCode?: string;
}

const cases: Case[] = [
  {
    name: "429 with retry-after",
    fault: faults.rateLimited({ retryAfter: "2", resetHeaders: false }),
    failureClass: "rate_limited",
    status: 429,
    retryAfterMs: 2000,
  },
  {
    name: "429 with retry-after-ms",
    fault: faults.rateLimited({ retryAfterMs: "1500", resetHeaders: false }),
    failureClass: "rate_limited",
    retryAfterMs: 1500,
  },
  {
    name: "429 with x-ratelimit-reset-* only",
    fault: faults.rateLimited({ resetSeconds: 6 }),
    failureClass: "rate_limited",
    retryAfterMs: 6000,
    providerCode: "rate_limit_exceeded",
  },
  {
    name: "429 without any reset header",
    fault: faults.rateLimited({ resetHeaders: false }),
    failureClass: "rate_limited",
    retryAfterMs: undefined,
  },
  {
    name: "429 insufficient_quota",
    fault: faults.quota(),
    failureClass: "quota",
    status: 429,
    providerCode: "insufficient_quota",
  },
  { name: "500", fault: faults.serverError(500), failureClass: "server_error", status: 500 },
  { name: "503 overloaded", fault: faults.overloaded(), failureClass: "server_error", status: 503 },
  {
    name: "529",
    fault: faults.status(529, { error: { message: "Overloaded", type: "overloaded_error" } }),
    failureClass: "overloaded",
    status: 529,
  },
  { name: "HTML 502 from a CDN", fault: faults.html(502), failureClass: "server_error", status: 502 },
  { name: "HTML 520 (Cloudflare)", fault: faults.html(520), failureClass: "server_error", status: 520 },
  {
    name: "HTML 524 (Cloudflare timeout)",
    fault: faults.html(524),
    failureClass: "server_error",
    status: 524,
  },
  { name: "401", fault: faults.auth(), failureClass: "auth", status: 401, providerCode: "invalid_api_key" },
  { name: "403", fault: faults.auth(403), failureClass: "auth", status: 403 },
  {
    name: "400 context_length_exceeded",
    fault: faults.contextLength(),
    failureClass: "context_length",
    status: 400,
    providerCode: "context_length_exceeded",
  },
  {
    name: "400 invalid_prompt (usage policy)",
    fault: faults.contentFilter(),
    failureClass: "content_filter",
    status: 400,
  },
  { name: "400 other", fault: faults.badRequest(), failureClass: "bad_request", status: 400 },
  { name: "404 unknown model", fault: faults.notFound(), failureClass: "bad_request", status: 404 },
  {
    name: "422",
    fault: faults.status(422, { error: { message: "Unprocessable", type: "invalid_request_error" } }),
    failureClass: "bad_request",
    status: 422,
  },
  {
    name: "400 with a plain-text body",
    fault: faults.status(400, "bad things", { "content-type": "text/plain" }),
    failureClass: "bad_request",
    status: 400,
  },
  { name: "connection reset", fault: faults.reset(), failureClass: "connection" },
];

describe.each([false, true])("openai errors (stream: %s)", (stream) => {
  it.each(cases)("$name → $failureClass", async (c) => {
    mock.script(c.fault);
    const { error, parts } = await fail(stream);
    expect(parts).toEqual([]);
    expect(error).toMatchObject({
      name: "ProviderError",
      failureClass: c.failureClass,
      provider: "openai",
      model: "gpt-4o-mini",
    });
    if (c.status !== undefined) expect(error.status).toBe(c.status);
    if ("retryAfterMs" in c) expect(error.retryAfterMs).toBe(c.retryAfterMs);
    if (c.providerCode !== undefined) expect(error.providerCode).toBe(c.providerCode);
    expectSafeMessage(error);
  });

  it("HTML pages are never copied into the message", async () => {
    mock.script(faults.html(502));
    const { error } = await fail(stream);
    expect(error.message).toContain("HTML error page");
    expect(error.message).not.toContain("cloudflare");
  });

  it("the request id is kept", async () => {
    mock.script(faults.serverError(500));
    const { error } = await fail(stream);
    expect(error.requestId).toMatch(/^req_/);
  });

  it("server down (ECONNREFUSED) → connection", async () => {
    const down = await startMockProvider({ kind: "openai" });
    const p = openai({ apiKey: API_KEY, baseURL: down.baseURL, model: "gpt-4o-mini" });
    await down.down();
    try {
      const error = await caught(async () =>
        stream ? p.stream(request(), attempt()) : p.generate(request(), attempt()),
      );
      expect(error).toMatchObject({ failureClass: "connection" });
      expect(error.message).toContain("ECONNREFUSED");
    } finally {
      await down.close();
    }
  });

  // Black holes get a mock of their own: a request the client gave up on may still reach its server
  // later and would take the fault scripted for the next test.
  const withBlackHole = async (run: (p: ProviderAdapter) => Promise<void>) => {
    const hole = await startMockProvider({ kind: "openai" });
    hole.setDefault(faults.blackHole());
    try {
      await run(openai({ apiKey: API_KEY, baseURL: hole.baseURL, model: "gpt-4o-mini" }));
    } finally {
      await hole.close();
    }
  };
  const failOn = async (p: ProviderAdapter, signal?: AbortSignal, timeoutMs?: number) =>
    caught(async () => {
      if (!stream) return p.generate(request(), attempt(signal, timeoutMs));
      for await (const _ of await p.stream(request(), attempt(signal, timeoutMs))) {
        // nothing arrives
      }
    });

  it("the caller's abort while waiting for headers → aborted", async () => {
    await withBlackHole(async (p) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      expect(await failOn(p, controller.signal)).toMatchObject({ failureClass: "aborted" });
    });
  });

  it("an already aborted signal → aborted, nothing sent", async () => {
    const { error } = await fail(stream, AbortSignal.abort());
    expect(error).toMatchObject({ failureClass: "aborted" });
    expect(mock.callCount).toBe(0);
  });

  it("the SDK's own timeout → timeout", async () => {
    await withBlackHole(async (p) => {
      expect(await failOn(p, undefined, 30)).toMatchObject({ failureClass: "timeout" });
    });
  });

  it("an error object inside HTTP 200 → classified by its type", async () => {
    mock.script(faults.inBandError({ errorType: "server_error" }));
    const { error } = await fail(stream);
    expect(error).toMatchObject({
      failureClass: "server_error",
      providerCode: "server_error",
      status: undefined,
    });
  });
});

describe("openai errors, non-stream only", () => {
  it("a truncated JSON body → invalid_response", async () => {
    mock.script(faults.malformed());
    const { error } = await fail(false);
    expect(error).toMatchObject({ failureClass: "invalid_response" });
  });

  it("a body that is not a completion → invalid_response", async () => {
    mock.script(faults.status(200, { object: "list", data: [] }));
    expect((await fail(false)).error).toMatchObject({ failureClass: "invalid_response" });
    mock.script(faults.status(200, "<html>hello</html>", { "content-type": "text/html" }));
    const { error } = await fail(false);
    expect(error).toMatchObject({ failureClass: "invalid_response" });
    expectSafeMessage(error);
  });

  it("finish_reason content_filter → content_filter", async () => {
    mock.script(faults.contentFilterStream());
    expect((await fail(false)).error).toMatchObject({
      failureClass: "content_filter",
      contentFilterCategories: undefined,
    });
  });

  it("a cut body → connection", async () => {
    mock.script(faults.cut(0));
    expect((await fail(false)).error).toMatchObject({ failureClass: "connection" });
  });
});

describe("openai errors, stream only (after HTTP 200)", () => {
  it("an HTML page with HTTP 200 instead of an event stream → invalid_response", async () => {
    mock.script(
      faults.status(200, "<!doctype html><html><body>Sign in to the Wi-Fi</body></html>", {
        "content-type": "text/html",
      }),
    );
    const { error } = await fail(true);
    expect(error).toMatchObject({ failureClass: "invalid_response" });
    expectSafeMessage(error);
  });

  it("in-band overloaded_error after content → overloaded, with the text already yielded", async () => {
    mock.script(
      faults.inBandError({
        afterEvents: 2,
        errorType: "overloaded_error",
        reply: { text: "abcdefgh", chunkSize: 2 },
      }),
    );
    const { error, parts } = await fail(true);
    expect(parts).toEqual([
      { type: "text", text: "ab" },
      { type: "text", text: "cd" },
    ]);
    expect(error).toMatchObject({ failureClass: "overloaded", status: undefined });
  });

  it("in-band rate limit error → rate_limited", async () => {
    mock.script(faults.inBandError({ errorType: "rate_limit_error", message: "Rate limit reached" }));
    expect((await fail(true)).error).toMatchObject({ failureClass: "rate_limited" });
  });

  it("a frame that is not JSON → invalid_response", async () => {
    mock.script(faults.malformed(1, { text: "abcd", chunkSize: 2 }));
    const { error, parts } = await fail(true);
    expect(parts).toEqual([{ type: "text", text: "ab" }]);
    expect(error).toMatchObject({ failureClass: "invalid_response" });
  });

  it("finish_reason content_filter → content_filter after the text streamed before it", async () => {
    mock.script(faults.contentFilterStream({ reply: { text: "abcdefgh", chunkSize: 2 } }));
    const { error, parts } = await fail(true);
    expect(parts.map((p) => p.type)).toEqual(["text", "text"]);
    expect(error).toMatchObject({ failureClass: "content_filter", providerCode: "content_filter" });
  });
});
