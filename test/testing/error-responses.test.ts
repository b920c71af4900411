/** Pure rendering of provider error responses, as a table of cases. */
import { describe, expect, test } from "vitest";
import {
  buildErrorResponse,
  faults,
  formatOpenAIDuration,
  htmlErrorPage,
  type MockErrorKind,
  type MockProviderKind,
} from "../../src/testing/index.js";

describe("formatOpenAIDuration", () => {
  test.each([
    [0.3, "300ms"],
    [1, "1s"],
    [1.5, "1.5s"],
    [20, "20s"],
    [60, "1m0s"],
    [360, "6m0s"],
    [3723, "1h2m3s"],
  ])("%s s → %s", (seconds, expected) => {
    expect(formatOpenAIDuration(seconds)).toBe(expected);
  });
});

const ERRORS: MockErrorKind[] = [
  "rate_limited",
  "quota",
  "server_error",
  "overloaded",
  "auth",
  "context_length",
  "content_filter",
  "bad_request",
  "not_found",
];

describe("buildErrorResponse", () => {
  const shapes: Record<MockProviderKind, (body: any) => void> = {
    openai: (body) => expect(body.error).toEqual(expect.objectContaining({ message: expect.any(String) })),
    azure: (body) => expect(body.error).toEqual(expect.objectContaining({ message: expect.any(String) })),
    anthropic: (body) =>
      expect(body).toMatchObject({
        type: "error",
        error: { type: expect.any(String), message: expect.any(String) },
      }),
    mistral: (body) => expect(body.message).toEqual(expect.any(String)),
    google: (body) =>
      expect(body.error ?? body.promptFeedback).toEqual(
        body.error
          ? expect.objectContaining({
              code: expect.any(Number),
              message: expect.any(String),
              status: expect.any(String),
            })
          : expect.objectContaining({ blockReason: "SAFETY" }),
      ),
  };
  for (const kind of Object.keys(shapes) as MockProviderKind[]) {
    test.each(ERRORS)(`${kind} %s has the provider's body shape`, (error) => {
      const { status, body, headers } = buildErrorResponse(kind, { type: "error", error });
      // Gemini blocks a prompt with HTTP 200 and `promptFeedback`, not with an error status.
      if (kind === "google" && error === "content_filter") expect(status).toBe(200);
      else expect(status).toBeGreaterThanOrEqual(400);
      shapes[kind](body);
      expect(JSON.stringify(body)).not.toContain("undefined");
      expect(Object.values(headers).every((v) => typeof v === "string")).toBe(true);
    });
  }

  test.each([
    ["openai", "rate_limited", 429, { error: { type: "requests", code: "rate_limit_exceeded" } }],
    ["openai", "quota", 429, { error: { type: "insufficient_quota", code: "insufficient_quota" } }],
    ["openai", "context_length", 400, { error: { code: "context_length_exceeded", param: "messages" } }],
    ["azure", "content_filter", 400, { error: { code: "content_filter", status: 400, param: "prompt" } }],
    ["azure", "not_found", 404, { error: { code: "DeploymentNotFound" } }],
    ["anthropic", "overloaded", 529, { error: { type: "overloaded_error", message: "Overloaded" } }],
    ["anthropic", "quota", 429, { error: { details: { error_code: "enforced_spend_limit_reached" } } }],
    ["anthropic", "auth", 401, { error: { type: "authentication_error" } }],
    ["anthropic", "server_error", 503, { error: { type: "api_error" } }],
    ["mistral", "context_length", 400, { object: "error", type: "invalid_request_error", code: "3051" }],
    ["mistral", "overloaded", 503, { object: "error" }],
  ] as const)("%s %s → %i", (kind, error, status, body) => {
    const res = buildErrorResponse(kind, { type: "error", error });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject(body);
  });

  test("rate-limit headers per provider; resetHeaders: false leaves only what was asked", () => {
    expect(buildErrorResponse("openai", faults.rateLimited({ resetSeconds: 1.5 })).headers).toMatchObject({
      "x-ratelimit-reset-requests": "1.5s",
      "x-ratelimit-reset-tokens": "1.5s",
    });
    expect(buildErrorResponse("azure", faults.rateLimited({ resetSeconds: 20 })).headers).toMatchObject({
      "retry-after": "20",
      "retry-after-ms": "20000",
    });
    const anthropic = buildErrorResponse("anthropic", faults.rateLimited()).headers;
    expect(anthropic["retry-after"]).toBe("1");
    expect(anthropic["anthropic-ratelimit-input-tokens-reset"]).toMatch(/Z$/);
    expect(buildErrorResponse("mistral", faults.rateLimited()).headers).toEqual({});
    const bare = buildErrorResponse(
      "anthropic",
      faults.rateLimited({ resetHeaders: false, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT" }),
    );
    expect(bare.headers).toEqual({ "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT" });
  });

  test("overrides: status, message, code, extra headers", () => {
    const res = buildErrorResponse(
      "openai",
      faults.serverError({ status: 502, message: "upstream", code: "bad_gateway", headers: { "x-a": "1" } }),
    );
    expect(res).toEqual({
      status: 502,
      headers: { "x-a": "1" },
      body: { error: { message: "upstream", type: "server_error", param: null, code: "bad_gateway" } },
    });
  });
});

test("htmlErrorPage looks like Cloudflare's", () => {
  const page = htmlErrorPage(524);
  expect(page).toContain("<title>524 A timeout occurred</title>");
  expect(page).toContain("cloudflare");
});
