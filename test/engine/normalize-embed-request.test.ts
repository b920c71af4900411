import { describe, expect, it } from "vitest";
import { normalizeEmbedRequest } from "../../src/engine/normalize-embed-request.js";
import { InvalidRequestError } from "../../src/errors/invalid-request-error.js";
import type { EmbedRequest } from "../../src/spec/embed.js";

const issuesOf = (request: unknown): string[] => {
  try {
    normalizeEmbedRequest(request as EmbedRequest);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.issues;
    throw error;
  }
  return [];
};

describe("normalizeEmbedRequest", () => {
  it("one text or one token array is a batch of one; batches keep their order", () => {
    expect(normalizeEmbedRequest({ input: "one" }).input).toEqual(["one"]);
    expect(normalizeEmbedRequest({ input: [1, 2] })).toMatchObject({
      input: [[1, 2]],
      tokens: true,
      texts: [],
    });
    expect(normalizeEmbedRequest({ input: ["a", "b"] })).toMatchObject({ input: ["a", "b"], tokens: false });
  });

  it.each([
    [{ input: "" }, "request.input"],
    [{ input: [] }, "request.input"],
    [{ input: ["ok", ""] }, "request.input"],
    [{ input: [1.5] }, "request.input"],
    [{ input: [[]] }, "request.input"],
    [{ input: "x", dimensions: 0 }, "request.dimensions"],
    [{ input: "x", model: "m" }, 'request: unknown option "model"'],
    [{ input: "x", headers: { "x-a": "b\r\nx-evil: 1" } }, "request.headers.x-a"],
    [null, "request"],
  ])("refuses %o at %s, never echoing the input", (request, path) => {
    const issues = issuesOf(request);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((issue) => issue.startsWith(path) || issue.includes(path))).toBe(true);
    expect(issues.join("\n")).not.toContain("x-evil");
  });

  it("the request for one provider: the call's dimensions, else the space's; its own extras only", () => {
    const normalized = normalizeEmbedRequest({
      input: "x",
      providerOptions: { a: { user: "u1" } },
      headers: { "x-trace": "t" },
    });
    const slot = (name: string, dimensions: number | undefined) =>
      ({ name, adapter: { embeddings: { model: "m", dimensions, tokenInput: true } } }) as never;
    expect(normalized.forProvider(slot("a", 256))).toEqual({
      input: ["x"],
      dimensions: 256,
      extra: { user: "u1" },
      headers: { "x-trace": "t" },
    });
    expect(normalized.forProvider(slot("b", undefined))).toEqual({
      input: ["x"],
      headers: { "x-trace": "t" },
    });
  });
});
