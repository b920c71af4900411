import { describe, expect, it } from "vitest";
import {
  redactKnownSecrets,
  sanitizeIdentifier,
  sanitizeMessage,
} from "../../src/errors/sanitize-message.js";

describe("sanitizeMessage", () => {
  it.each([
    ["<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "HTML error page"],
    ["Incorrect API key provided: sk-proj-abcdefgh12345", "Incorrect API key provided: [redacted]"],
    ["Invalid API key provided: azure-SECRETKEY123-key", "Invalid API key provided: [redacted]"],
    ["api_key=mistral-SECRETKEY123-key rejected", "api_key=[redacted] rejected"],
    ["key 0123456789abcdef0123456789abcdef rejected", "key [redacted] rejected"],
    ["Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"],
    ["The model `gpt-5` does not exist", "The model `gpt-5` does not exist"],
    [
      "Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit 30000",
      "Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit 30000",
    ],
    ["", "no message"],
    [undefined, "no message"],
  ])("%s", (input, expected) => {
    expect(sanitizeMessage(input)).toBe(expected);
  });

  it("cuts long messages", () => {
    expect(sanitizeMessage("x ".repeat(400)).length).toBeLessThanOrEqual(301);
  });
});

describe("redactKnownSecrets / sanitizeMessage with known secrets", () => {
  it("redacts a known secret whatever it looks like, also JSON- or URL-escaped, before the cut", () => {
    const secret = 'pa"ss word/42';
    const text = `x${"y".repeat(290)} ${secret} ${JSON.stringify(secret)} ${encodeURIComponent(secret)}`;
    const out = sanitizeMessage(text, [secret]);
    expect(out).not.toContain("pa");
    expect(out).not.toContain("word");
    expect(redactKnownSecrets("token hunter22 and hunter22", ["hunter22"])).toBe(
      "token [redacted] and [redacted]",
    );
  });

  it("leaves secrets shorter than 6 characters alone (too common to redact)", () => {
    expect(redactKnownSecrets("test the test", ["test"])).toBe("test the test");
  });
});

describe("sanitizeIdentifier", () => {
  it.each([
    ["insufficient_quota", "insufficient_quota"],
    [402, "402"],
    ["req_0123456789abcdef0123456789abcdef", "req_0123456789abcdef0123456789abcdef"],
    ["has spaces", undefined],
    ["<html>", undefined],
    ["x".repeat(200), undefined],
    ["opensesame-4242", undefined],
    [undefined, undefined],
    [{}, undefined],
  ])("%s → %s", (input, expected) => {
    expect(sanitizeIdentifier(input, ["opensesame-4242"])).toBe(expected);
  });
});
