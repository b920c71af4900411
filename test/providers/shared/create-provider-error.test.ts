import { describe, expect, it } from "vitest";
import {
  createProviderError,
  errorClassNames,
  summarizeCause,
} from "../../../src/providers/shared/create-provider-error.js";

const context = { provider: "p", model: "m", secrets: ["opensesame-4242"] };

describe("createProviderError", () => {
  it("keeps only short identifiers from the provider, and categories only for content filters", () => {
    const error = createProviderError(context, {
      failureClass: "content_filter",
      message: "filtered for opensesame-4242",
      providerCode: "content filter <b>with</b> markup",
      requestId: "opensesame-4242",
      contentFilterCategories: ["hate", "a b c", 7],
    });
    expect(error).toMatchObject({
      message: "p (m) content_filter: filtered for [redacted]",
      providerCode: undefined,
      requestId: undefined,
      contentFilterCategories: ["hate", "7"],
    });
    const other = createProviderError(context, {
      failureClass: "bad_request",
      message: "x",
      providerCode: 402,
      requestId: "req_abc",
      contentFilterCategories: ["hate"],
    });
    expect(other).toMatchObject({
      providerCode: "402",
      requestId: "req_abc",
      contentFilterCategories: undefined,
    });
  });
});

describe("summarizeCause / errorClassNames", () => {
  it("reads class names through the prototype chain (openai-node leaves name as 'Error')", () => {
    class APIError extends Error {}
    class APIConnectionError extends APIError {}
    expect(errorClassNames(new APIConnectionError("x"))).toEqual(["Error", "APIConnectionError", "APIError"]);
  });

  it("is a plain Error with a safe name, message and network code, a few levels deep", () => {
    const inner = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", secretField: "x" });
    const summary = summarizeCause(
      Object.assign(new TypeError("fetch failed opensesame-4242"), { cause: inner }),
      context.secrets,
    );
    expect(summary).toBeInstanceOf(Error);
    expect(summary).toMatchObject({
      name: "TypeError",
      message: "fetch failed [redacted]",
      code: "ECONNRESET",
    });
    expect(summary.cause).toMatchObject({ message: "read ECONNRESET", code: "ECONNRESET" });
    expect(summary.cause).not.toHaveProperty("secretField");
    expect(summarizeCause("plain text").message).toBe("plain text");
  });
});
