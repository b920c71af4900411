import { describe, expect, it } from "vitest";
import { findHeaderIssues } from "../../src/internal/find-header-issues.js";

describe("findHeaderIssues", () => {
  it.each<[string, Record<string, string>, string[]]>([
    ["ordinary headers", { "x-trace-id": "abc-123", "OpenAI-Organization": "org", "x-note": "café" }, []],
    ["an empty value", { "x-empty": "" }, []],
    [
      "CR/LF in a value (header injection)",
      { "x-trace": "abc\r\nx-injected: 1" },
      [
        "h.x-trace: the value contains CR, LF, NUL or a character above U+00FF, which HTTP headers cannot carry",
      ],
    ],
    [
      "a bare LF, a NUL, a character beyond Latin-1",
      { a: "x\ny", b: "x\u0000y", c: "x€" },
      [
        "h.a: the value contains CR, LF, NUL or a character above U+00FF, which HTTP headers cannot carry",
        "h.b: the value contains CR, LF, NUL or a character above U+00FF, which HTTP headers cannot carry",
        "h.c: the value contains CR, LF, NUL or a character above U+00FF, which HTTP headers cannot carry",
      ],
    ],
    [
      "names that are not tokens (never echoed)",
      { "x trace": "a", "": "b", "x:y": "c" },
      Array(3).fill(
        "h: a header name is not a valid HTTP field name (letters, digits and !#$%&'*+-.^_`|~ only)",
      ),
    ],
  ])("%s", (_name, headers, issues) => {
    expect(findHeaderIssues(headers, "h")).toEqual(issues);
  });

  it("accepts exactly what fetch's Headers accepts, on these cases", () => {
    for (const [name, value] of [
      ["x-a", "b"],
      ["x-a", "b\r\nc"],
      ["x a", "b"],
      ["x-a", "€"],
    ] as const) {
      let accepted = true;
      try {
        new Headers({ [name]: value });
      } catch {
        accepted = false;
      }
      expect(findHeaderIssues({ [name]: value }, "h").length === 0, `${JSON.stringify([name, value])}`).toBe(
        accepted,
      );
    }
  });
});
