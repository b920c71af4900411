import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FailureClass } from "../../../src/errors/failure-class.js";
import type { ProviderError } from "../../../src/errors/provider-error.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import { type MockFault, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, adapterFor, attempt, collect, hello } from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "mistral" });
});
afterAll(() => mock.up().then(() => mock.close()));
beforeEach(() => mock.reset());

type Mode = "generate" | "stream";

/** Runs one call in `mode` and returns what it threw (a stream is consumed to its end). */
const failure = async (mode: Mode, adapter: ProviderAdapter = adapterFor(mock)): Promise<ProviderError> => {
  try {
    if (mode === "generate") await adapter.generate(hello(), attempt());
    else await collect(await adapter.stream(hello(), attempt()));
  } catch (error) {
    return error as ProviderError;
  }
  throw new Error("expected the call to fail");
};

const expectClean = (error: ProviderError) => {
  expect(error.name).toBe("ProviderError");
  expect(error.message).not.toMatch(/<html|<!doctype|Say hello/i);
  expect(error.message).not.toContain(API_KEY);
};

const f = () => mock.faults;
const cases: [string, () => MockFault, FailureClass, Partial<ProviderError>?][] = [
  [
    "429 rate limit without retry-after",
    () => f().rateLimited(),
    "rate_limited",
    { status: 429, retryAfterMs: undefined },
  ],
  [
    "429 rate limit with retry-after",
    () => f().rateLimited({ retryAfter: "7" }),
    "rate_limited",
    { retryAfterMs: 7000 },
  ],
  [
    "429 with the gateway's ratelimitbysize-reset only",
    () => f().rateLimited({ headers: { "ratelimitbysize-reset": "12", "ratelimitbysize-remaining": "0" } }),
    "rate_limited",
    { retryAfterMs: 12_000 },
  ],
  ["429 monthly spend limit", () => f().quota(), "quota", { status: 429, providerCode: "quota_exceeded" }],
  [
    "429 service tier capacity exceeded",
    () =>
      f().status(429, {
        object: "error",
        message: "Service tier capacity exceeded for this model.",
        type: "service_tier_capacity_exceeded",
        param: null,
        code: "3505",
      }),
    "overloaded",
    { status: 429, providerCode: "service_tier_capacity_exceeded" },
  ],
  ["503 service overloaded", () => f().overloaded(), "overloaded", { status: 503 }],
  ["503", () => f().serverError(), "server_error", { status: 503 }],
  ["500", () => f().serverError(500), "server_error", { status: 500 }],
  [
    "Cloudflare HTML 502",
    () => f().html(502),
    "server_error",
    { status: 502, message: expect.stringContaining("HTML error page") },
  ],
  ["HTML 524", () => f().html(524), "server_error", { status: 524 }],
  ["401 bare {message}", () => f().auth(), "auth", { status: 401 }],
  ["403", () => f().auth(403), "auth", { status: 403 }],
  [
    "400 context length",
    () => f().contextLength(),
    "context_length",
    { status: 400, providerCode: "invalid_request_error" },
  ],
  ["400 moderation", () => f().contentFilter(), "content_filter", { status: 400 }],
  ["400 content_filter code", () => f().badRequest({ code: "content_filter" }), "content_filter"],
  ["529", () => f().status(529, { message: "Overloaded" }), "overloaded", { status: 529 }],
  ["400 bad request", () => f().badRequest(), "bad_request", { status: 400 }],
  ["404 unknown model", () => f().notFound(), "bad_request", { status: 404, providerCode: "invalid_model" }],
  [
    "422 pydantic detail (its input echoing the prompt is never copied)",
    () =>
      f().status(422, {
        detail: [
          { loc: ["body", "messages", 0], msg: "Field required", type: "missing", input: "Say hello" },
        ],
      }),
    "bad_request",
    { status: 422, message: expect.stringContaining("body.messages.0: Field required") },
  ],
  [
    "422 with detail as a string",
    () => f().status(422, { detail: "Invalid body" }),
    "bad_request",
    { status: 422 },
  ],
  ["400 {detail: string}", () => f().status(400, { detail: "bad tool schema" }), "bad_request"],
  ["plain-text 503", () => f().status(503, "upstream connect error"), "server_error", { status: 503 }],
  ["TCP reset", () => f().reset(), "connection"],
  [
    "HTTP 200 with an error object body (non-stream) / a finish_reason error (stream)",
    () => f().inBandError(),
    "server_error",
  ],
  [
    "HTTP 200 that is not JSON",
    () => f().status(200, "<html>oops</html>", { "content-type": "text/html" }),
    "invalid_response",
  ],
];

describe.each<Mode>(["generate", "stream"])("mistral errors (%s)", (mode) => {
  it.each(cases)("%s → %s", async (_label, fault, failureClass, fields) => {
    mock.script(fault());
    const error = await failure(mode);
    expectClean(error);
    expect(error).toMatchObject({
      failureClass,
      provider: "mistral",
      model: "mistral-small-latest",
      ...fields,
    });
  });

  it("malformed JSON → invalid_response", async () => {
    mock.script(f().malformed(0));
    const error = await failure(mode);
    expectClean(error);
    expect(error.failureClass).toBe("invalid_response");
  });

  it("a reply the SDK's schema rejects → invalid_response", async () => {
    mock.script(
      f().status(200, mode === "generate" ? { id: 1, choices: "no" } : 'data: {"id":1}\n\n', {
        "content-type": mode === "generate" ? "application/json" : "text/event-stream",
      }),
    );
    const error = await failure(mode);
    expect(error.failureClass).toBe("invalid_response");
  });

  it("content filter finish reason → content_filter", async () => {
    mock.script(f().contentFilterStream());
    expect((await failure(mode)).failureClass).toBe("content_filter");
  });

  it("keeps the request id from mistral-correlation-id", async () => {
    mock.script(f().badRequest({ headers: { "mistral-correlation-id": "corr-123" } }));
    expect((await failure(mode)).requestId).toBe("corr-123");
  });

  it("black hole → aborted when the caller aborts (never hangs)", async () => {
    mock.script(f().blackHole());
    const controller = new AbortController();
    const adapter = adapterFor(mock);
    const call =
      mode === "generate"
        ? adapter.generate(hello(), attempt({ signal: controller.signal }))
        : adapter.stream(hello(), attempt({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ name: "ProviderError", failureClass: "aborted" });
  });

  it("an already aborted signal → aborted, nothing sent", async () => {
    const controller = new AbortController();
    controller.abort();
    const adapter = adapterFor(mock);
    const call =
      mode === "generate"
        ? adapter.generate(hello(), attempt({ signal: controller.signal }))
        : adapter.stream(hello(), attempt({ signal: controller.signal }));
    await expect(call).rejects.toMatchObject({ failureClass: "aborted" });
    expect(mock.callCount).toBe(0);
  });

  it("black hole → timeout when the SDK's per-request timeout fires", async () => {
    mock.script(f().blackHole());
    const adapter = adapterFor(mock);
    const call =
      mode === "generate"
        ? adapter.generate(hello(), attempt({ timeoutMs: 50 }))
        : adapter.stream(hello(), attempt({ timeoutMs: 50 }));
    await expect(call).rejects.toMatchObject({ name: "ProviderError", failureClass: "timeout" });
  });

  it("a closed port → connection (ECONNREFUSED)", async () => {
    await mock.down();
    try {
      const error = await failure(mode);
      // ECONNREFUSED, or UND_ERR_SOCKET when undici first tries a pooled socket the mock dropped.
      expect(error).toMatchObject({
        failureClass: "connection",
        message: expect.stringMatching(/ECONNREFUSED|UND_ERR_SOCKET/),
      });
    } finally {
      await mock.up();
    }
  });

  it("an unresolvable host → connection", async () => {
    const { mistral } = await import("../../../src/providers/mistral/index.js");
    const adapter = mistral({ apiKey: API_KEY, serverURL: "http://does-not-exist.invalid", model: "m" });
    const error = await failure(mode, adapter);
    expect(error.failureClass).toBe("connection");
  });
});
