import { describe, expect, it } from "vitest";
import { scrubEchoedText, scrubProviderError } from "../../src/engine/scrub-echoed-text.js";
import { ProviderError } from "../../src/errors/provider-error.js";
import type { ProviderRequest } from "../../src/spec/request.js";

const prompt = "Summarise the quarterly ledger of the purple elephant company";
const request: ProviderRequest = {
  model: "m",
  messages: [
    { role: "system", content: "You are a careful accountant." },
    { role: "user", content: [{ type: "text", text: prompt }] },
  ],
};

describe("scrubEchoedText", () => {
  it.each([
    [`'${prompt}' is not supported`, "'[request text]' is not supported"],
    [`{"input":{"content":"${prompt}"}}`, '{"input":{"content":"[request text]"}}'],
    ["invalid: quarterly ledger of the purple", "invalid: [request text]"],
    [
      "Invalid value for 'temperature': 3 is greater than 2",
      "Invalid value for 'temperature': 3 is greater than 2",
    ],
    ["content too short", "content too short"],
  ])("%s", (detail, expected) => {
    expect(scrubEchoedText(detail, request)).toBe(expected);
  });
});

describe("scrubProviderError", () => {
  const error = (
    message: string,
    status?: number,
    failureClass: ProviderError["failureClass"] = "bad_request",
  ) =>
    new ProviderError({
      failureClass,
      provider: "p",
      model: "m",
      message,
      status,
      cause: new Error(prompt),
    });

  it("drops the SDK cause of HTTP failures and scrubs the detail", () => {
    const scrubbed = scrubProviderError(error(`bad: '${prompt}'`, 400), request);
    expect(scrubbed.message).not.toContain("purple elephant");
    expect(scrubbed.cause).toBeUndefined();
    expect(scrubbed.status).toBe(400);
    expect(scrubbed.failureClass).toBe("bad_request");
  });

  it("keeps a network failure as it is", () => {
    const original = error("connection refused", undefined, "connection");
    expect(scrubProviderError(original, request)).toBe(original);
  });

  it("drops the SDK cause of an in-band failure even when its message is clean", () => {
    // OpenRouter-style: the message is generic, the raw upstream body (with the echo) is in the SDK error.
    const scrubbed = scrubProviderError(error("Provider returned error", undefined, "server_error"), request);
    expect(scrubbed.cause).toBeUndefined();
    expect(scrubbed.message).toContain("Provider returned error");
  });
});
