import { describe, expect, it } from "vitest";
import { classifyHttpFailure, type HttpFailure } from "../../src/errors/classify-failure.js";
import type { FailureClass } from "../../src/errors/failure-class.js";

const classOf = (failure: HttpFailure): FailureClass => classifyHttpFailure(failure).failureClass;

describe("classifyHttpFailure: an in-band error (no status) means what its code or type means as a status", () => {
  it.each<[string, Partial<HttpFailure>, FailureClass]>([
    ["code 402", { code: 402 }, "quota"],
    ["code '402'", { code: "402" }, "quota"],
    ["code 429", { code: 429 }, "rate_limited"],
    ["code 401", { code: 401 }, "auth"],
    ["code 400", { code: 400 }, "bad_request"],
    [
      "code 400, context words",
      { code: 400, message: "maximum context length is 8192 tokens" },
      "context_length",
    ],
    ["code 503", { code: 503 }, "server_error"],
    ["code 529", { code: 529 }, "overloaded"],
    ["insufficient_quota", { type: "insufficient_quota", code: "insufficient_quota" }, "quota"],
    [
      "rate_limit_exceeded (type requests)",
      { type: "requests", code: "rate_limit_exceeded" },
      "rate_limited",
    ],
    ["rate_limit_exceeded (type tokens)", { type: "tokens", code: "rate_limit_exceeded" }, "rate_limited"],
    ["invalid_api_key", { code: "invalid_api_key" }, "auth"],
    ["Anthropic billing_error", { type: "billing_error" }, "quota"],
    ["Anthropic not_found_error", { type: "not_found_error" }, "bad_request"],
    ["Anthropic permission_error", { type: "permission_error" }, "auth"],
    ["Anthropic request_too_large", { type: "request_too_large" }, "context_length"],
    ["Anthropic rate_limit_error", { type: "rate_limit_error" }, "rate_limited"],
    ["Anthropic api_error", { type: "api_error" }, "server_error"],
    ["Anthropic overloaded_error", { type: "overloaded_error" }, "overloaded"],
    ["invalid_request_error", { type: "invalid_request_error" }, "bad_request"],
    ["no code or type, quota words", { message: "You exceeded your current quota" }, "quota"],
    ["no code or type, rate-limit words", { message: "Rate limit reached, slow down" }, "rate_limited"],
    ["no code or type, filter words", { message: "blocked by content_filter" }, "content_filter"],
    ["nothing known", { message: "something broke" }, "server_error"],
    ["nothing at all", {}, "server_error"],
  ])("%s", (_, fields, expected) => {
    expect(classOf({ status: undefined, ...fields })).toBe(expected);
  });

  it("a status line wins over the code or type", () => {
    expect(classOf({ status: 500, code: 402 })).toBe("server_error");
    expect(classOf({ status: 200, type: "insufficient_quota" })).toBe("invalid_response");
  });

  it("redacts the known secrets from the message, whatever their shape", () => {
    const { message, providerCode } = classifyHttpFailure({
      status: 401,
      message: "key opensesame-4242 was rejected",
      code: "invalid_api_key",
      secrets: ["opensesame-4242"],
    });
    expect(message).toBe("key [redacted] was rejected");
    expect(providerCode).toBe("invalid_api_key");
  });
});
