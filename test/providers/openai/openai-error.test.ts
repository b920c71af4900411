import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/errors/provider-error.js";
import { getContentFilterCategories } from "../../../src/providers/openai/get-content-filter-categories.js";
import { mapOpenAIFinishReason } from "../../../src/providers/openai/map-openai-finish-reason.js";
import { convertOpenAIError } from "../../../src/providers/openai/openai-error.js";

const context = { provider: "p", model: "m" };
const convert = (error: unknown, signal?: AbortSignal) => convertOpenAIError(error, { ...context, signal });
const httpError = (status: number, body: unknown, headers: Record<string, string> = {}, text?: string) =>
  APIError.generate(status, body as object | undefined, text, new Headers(headers));

describe("convertOpenAIError", () => {
  it("passes ProviderErrors through", () => {
    const error = new ProviderError({ failureClass: "quota", provider: "x", model: "y", message: "z" });
    expect(convert(error)).toBe(error);
  });

  it("classes the SDK's transport errors", () => {
    expect(convert(new APIUserAbortError())).toMatchObject({ failureClass: "aborted" });
    expect(convert(new APIConnectionTimeoutError())).toMatchObject({ failureClass: "timeout" });
    expect(convert(new APIConnectionError({ message: "Connection error." }))).toMatchObject({
      failureClass: "connection",
      message: "p (m) connection: connection failed",
    });
    const refused = new APIConnectionError({
      cause: Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
      }),
    });
    expect(convert(refused)).toMatchObject({
      failureClass: "connection",
      message: expect.stringContaining("ECONNREFUSED"),
    });
    expect(convert(new DOMException("aborted", "AbortError"))).toMatchObject({ failureClass: "aborted" });
    expect(convert(new SyntaxError("Unexpected token"))).toMatchObject({ failureClass: "invalid_response" });
  });

  it("any failure once the attempt's signal is aborted is an abort (the engine knows why)", () => {
    expect(convert(httpError(500, { error: { message: "boom" } }), AbortSignal.abort())).toMatchObject({
      failureClass: "aborted",
    });
  });

  it("reads OpenAI's error body, headers and request id", () => {
    const error = convert(
      httpError(
        429,
        { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        {
          "x-ratelimit-reset-requests": "6m0s",
          "x-ratelimit-remaining-requests": "0",
          "x-request-id": "req_1",
        },
      ),
    );
    expect(error).toMatchObject({
      failureClass: "rate_limited",
      status: 429,
      providerCode: "rate_limit_exceeded",
      retryAfterMs: 360_000,
      requestId: "req_1",
    });
  });

  it("reads Azure's content filter body and its categories", () => {
    const error = convert(
      httpError(
        400,
        {
          error: {
            code: "content_filter",
            message:
              "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
            innererror: {
              code: "ResponsibleAIPolicyViolation",
              content_filter_result: {
                hate: { filtered: true, severity: "high" },
                jailbreak: { filtered: true, detected: true },
                violence: { filtered: false, severity: "safe" },
              },
            },
          },
        },
        { "apim-request-id": "apim-1" },
      ),
    );
    expect(error).toMatchObject({
      failureClass: "content_filter",
      contentFilterCategories: ["hate", "jailbreak"],
      requestId: "apim-1",
    });
  });

  it("Azure's ordinary 429 (which links to 'quotaincrease') is a rate limit, not a quota", () => {
    const error = convert(
      httpError(
        429,
        {
          error: {
            code: "429",
            message:
              "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 2 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.",
          },
        },
        { "retry-after": "2" },
      ),
    );
    expect(error).toMatchObject({ failureClass: "rate_limited", retryAfterMs: 2000 });
    expect(error.message).toContain("https://aka.ms/oai/quotaincrease");
  });

  it("tolerates bodies compatible servers send: a string error, no error field, plain text", () => {
    expect(convert(httpError(404, { error: "model 'llama9' not found" }))).toMatchObject({
      failureClass: "bad_request",
      message: "p (m) bad_request: model 'llama9' not found",
    });
    expect(convert(httpError(400, { detail: "bad" }))).toMatchObject({ failureClass: "bad_request" });
    expect(convert(httpError(503, undefined, {}, "upstream connect error"))).toMatchObject({
      failureClass: "server_error",
      message: "p (m) server_error: upstream connect error",
    });
    expect(convert(httpError(413, undefined, {}, "Request Entity Too Large"))).toMatchObject({
      failureClass: "context_length",
    });
  });

  it("never copies HTML or keys into the message", () => {
    const html =
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>";
    expect(convert(httpError(502, undefined, {}, html)).message).toBe("p (m) server_error: HTML error page");
    const leaked = convert(
      httpError(401, { error: { message: "Incorrect API key provided: sk-proj-abcdefghijklmnop1234." } }),
    );
    expect(leaked.message).not.toContain("abcdefghijklmnop");
  });

  it("an in-band stream error (no status) is classed by its type", () => {
    expect(
      convert(new APIError(undefined, { type: "server_error", message: "x" }, undefined, undefined)),
    ).toMatchObject({
      failureClass: "server_error",
      status: undefined,
    });
    expect(
      convert(new APIError(undefined, { type: "overloaded_error", message: "x" }, undefined, undefined)),
    ).toMatchObject({
      failureClass: "overloaded",
    });
  });

  it("anything else is an invalid response", () => {
    expect(convert(new TypeError("x is not a function"))).toMatchObject({ failureClass: "invalid_response" });
    expect(convert("weird")).toMatchObject({ failureClass: "invalid_response" });
  });
});

describe("mapOpenAIFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["tool_calls", "tool-calls"],
    ["function_call", "tool-calls"],
    ["content_filter", "content-filter"],
    ["eos", "other"],
    [null, "other"],
  ] as const)("%s → %s", (raw, unified) => {
    expect(mapOpenAIFinishReason(raw)).toEqual({ unified, raw: raw ?? undefined });
  });
});

describe("getContentFilterCategories", () => {
  it("reads per-choice results and prompt_filter_results; undefined when nothing is filtered", () => {
    expect(
      getContentFilterCategories({
        sexual: { filtered: true, severity: "medium" },
        hate: { filtered: false },
      }),
    ).toEqual(["sexual"]);
    expect(
      getContentFilterCategories([
        { prompt_index: 0, content_filter_results: { self_harm: { filtered: true } } },
      ]),
    ).toEqual(["self_harm"]);
    expect(getContentFilterCategories({ hate: { filtered: false } })).toBeUndefined();
    expect(getContentFilterCategories(undefined)).toBeUndefined();
  });
});
