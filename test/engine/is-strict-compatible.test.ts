import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isStrictCompatible } from "../../src/engine/is-strict-compatible.js";
import { normalizeRequest } from "../../src/engine/normalize-request.js";

const messages = [{ role: "user" as const, content: "hi" }];
const formatOf = (schema: z.ZodType) =>
  normalizeRequest({ messages, schema }).forProvider("p", "m").responseFormat;

describe("strict structured output", () => {
  it("sends a plain z.object strictly: objects closed, every field required", () => {
    const format = formatOf(z.object({ city: z.string(), tags: z.array(z.object({ name: z.string() })) }));
    expect(format).toMatchObject({ type: "json_schema", strict: true });
    expect(format?.type === "json_schema" && format.schema.additionalProperties).toBe(false);
  });

  it("sends a schema with optional fields non-strict rather than have OpenAI reject it", () => {
    expect(formatOf(z.object({ city: z.string(), zip: z.string().optional() }))).toMatchObject({
      strict: false,
    });
    expect(formatOf(z.object({ city: z.string(), zip: z.string().nullable() }))).toMatchObject({
      strict: true,
    });
  });

  it.each([
    [
      { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false },
      true,
    ],
    [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, false],
    [
      {
        type: "object",
        properties: {
          a: { type: "object", properties: { b: {} }, required: [], additionalProperties: false },
        },
        required: ["a"],
        additionalProperties: false,
      },
      false,
    ],
    [{ type: "array", items: { type: "string" } }, true],
  ])("%j → %s", (schema, expected) => {
    expect(isStrictCompatible(schema)).toBe(expected);
  });
});
