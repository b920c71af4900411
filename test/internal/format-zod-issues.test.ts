import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatPath, formatZodIssues } from "../../src/internal/format-zod-issues.js";
import { suggestKey } from "../../src/internal/suggest-key.js";

describe("suggestKey", () => {
  it.each([
    ["apikey", ["apiKey", "model"], "apiKey"],
    ["api_key", ["apiKey", "model"], "apiKey"],
    ["baseUrl", ["baseURL", "apiKey"], "baseURL"],
    ["fallback", ["fallbacks", "models"], "fallbacks"],
    ["antropic", ["anthropic", "mistral"], "anthropic"],
    ["modle", ["model", "name"], "model"],
    ["temprature", ["temperature", "topP"], "temperature"],
    ["colour", ["model", "name"], undefined],
    ["", ["model"], undefined],
  ])("%s → %s", (name, candidates, expected) => {
    expect(suggestKey(name, candidates)).toBe(expected);
  });

  it("compares dotted candidates by their last segment", () => {
    expect(suggestKey("maxRetries", ["retry.maxRetries", "deadlines.totalMs"], { lastSegment: true })).toBe(
      "retry.maxRetries",
    );
  });
});

describe("formatPath", () => {
  it("writes paths as code writes them", () => {
    expect(formatPath("", ["providers", 1, "model"])).toBe("providers[1].model");
    expect(formatPath("withFailover", ["models", "gpt-4.1", "anthropic"])).toBe(
      'withFailover.models["gpt-4.1"].anthropic',
    );
    expect(formatPath("", [])).toBe("(root)");
  });
});

describe("formatZodIssues", () => {
  const schema = z.strictObject({
    apiKey: z.string().optional(),
    model: z.string(),
    retry: z.strictObject({ maxRetries: z.number().optional() }).optional(),
    items: z.array(z.strictObject({ name: z.string() })).optional(),
  });
  const issues = (value: unknown) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [] : formatZodIssues(parsed.error, "anthropic", schema);
  };

  it("names the near miss of an unknown key, never its value", () => {
    expect(issues({ model: "m", apikey: "sk-secret-value" })).toEqual([
      'anthropic: unknown option "apikey" (did you mean "apiKey"?)',
    ]);
  });

  it("finds a key that belongs one level down", () => {
    expect(issues({ model: "m", maxRetries: 3 })).toEqual([
      'anthropic: unknown option "maxRetries" (did you mean "retry.maxRetries"?)',
    ]);
  });

  it("lists the known keys when nothing is close, and walks arrays and optionals", () => {
    expect(issues({ model: "m", colour: 1 })).toEqual([
      'anthropic: unknown option "colour" (expected one of: apiKey, model, retry, items)',
    ]);
    expect(issues({ model: "m", items: [{ name: "a" }, { nmae: "b" }] })).toEqual([
      "anthropic.items[1].name: Invalid input: expected string, received undefined",
      'anthropic.items[1]: unknown option "nmae" (did you mean "name"?)',
    ]);
  });
});
