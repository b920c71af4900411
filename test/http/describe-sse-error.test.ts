import { describe, expect, it } from "vitest";
import {
  AllProvidersFailedError,
  ConfigError,
  InvalidRequestError,
  ProviderError,
  StreamInterruptedError,
  StructuredOutputError,
} from "../../src/errors/index.js";
import { defaultSSEErrorMessage, describeSSEError } from "../../src/http/describe-sse-error.js";
import { failureClasses } from "../../src/index.js";

const providerError = (failureClass: (typeof failureClasses)[number]) =>
  new ProviderError({ failureClass, provider: "openai", model: "gpt-4.1", message: "x" });
const attempt = {
  provider: "openai",
  model: "gpt-4.1",
  status: 503,
  durationMs: 3,
  reason: "initial",
} as const;

describe("describeSSEError", () => {
  it.each([
    [
      "every provider failed",
      new AllProvidersFailedError([{ ...attempt, outcome: "server_error" }], []),
      { status: 503, code: "all_providers_failed", failureClass: "server_error" },
    ],
    ["nobody was tried", new AllProvidersFailedError([], []), { status: 503, code: "all_providers_failed" }],
    [
      "a stream broken after it began",
      new StreamInterruptedError({
        ...attempt,
        failureClass: "timeout",
        partialText: "",
        partialToolCalls: [],
        attempts: [],
      }),
      { status: 502, code: "interrupted", failureClass: "timeout" },
    ],
    [
      "a request refused",
      providerError("bad_request"),
      { status: 422, code: "bad_request", failureClass: "bad_request" },
    ],
    [
      "too long",
      providerError("context_length"),
      { status: 422, code: "context_length", failureClass: "context_length" },
    ],
    [
      "filtered",
      providerError("content_filter"),
      { status: 422, code: "content_filter", failureClass: "content_filter" },
    ],
    [
      "a failure not fallen over",
      providerError("rate_limited"),
      { status: 503, code: "rate_limited", failureClass: "rate_limited" },
    ],
    [
      "an invalid request",
      new InvalidRequestError(["messages: required"]),
      { status: 400, code: "invalid_request" },
    ],
    [
      "a reply off its schema",
      new StructuredOutputError({ issues: [], text: "", provider: "openai", model: "gpt-4.1" }),
      { status: 502, code: "structured_output" },
    ],
    [
      "the call's own timeout",
      new DOMException("timed out", "TimeoutError"),
      { status: 504, code: "timeout" },
    ],
    ["the call's own abort", new DOMException("stop", "AbortError"), { status: 503, code: "aborted" }],
    [
      "a configuration mistake",
      new ConfigError(["providers: required"]),
      { status: 500, code: "internal_error" },
    ],
    ["anything else", new TypeError("boom"), { status: 500, code: "internal_error" }],
    ["a thrown string", "boom", { status: 500, code: "internal_error" }],
  ])("%s", (_name, error, expected) => {
    expect(describeSSEError(error)).toEqual(expected);
  });

  it("has a default message for every code, none naming a provider", () => {
    for (const code of [
      ...failureClasses,
      "all_providers_failed",
      "invalid_request",
      "interrupted",
      "structured_output",
      "timeout",
      "aborted",
      "internal_error",
    ] as const) {
      const message = defaultSSEErrorMessage(code);
      expect(message).toMatch(/^[A-Z].*\.$/);
      expect(message).not.toMatch(/openai|anthropic|mistral|azure/i);
    }
  });
});
