import { describe, expect, it } from "vitest";
import { sanitizeMessage } from "../../src/errors/sanitize-message.js";

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
