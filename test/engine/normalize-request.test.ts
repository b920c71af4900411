/**
 * The hand-written check of the common request (`isPlainRequest`) only ever lets through what the
 * schema accepts: anything else goes to the schema, which refuses it with its own words.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPlainRequest, normalizeRequest, requestSchema } from "../../src/engine/normalize-request.js";
import { isInvalidRequestError } from "../../src/errors/invalid-request-error.js";

/** An array with a hole in it. */
function sparse(): unknown[] {
  const array: unknown[] = [];
  array[1] = "after a hole";
  return array;
}

/** Values of every kind, good and bad, for any field. */
const anything = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, 0.5, 1, 1.5, 2, 2.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, 256, 1e-9),
  fc.string({ maxLength: 3 }),
  fc.constantFrom("user", "system", "assistant", "tool", ""),
  fc.array(fc.string({ maxLength: 2 }), { maxLength: 18 }),
  fc.constant(new AbortController().signal),
  fc.constant(
    Array.from({ length: 2 })
      .map((x, i) => (i === 0 ? x : "hole"))
      .fill(undefined, 0, 1),
  ),
  fc.constant(sparse()),
  fc.constant(Object.create({ inherited: 1 })),
  fc.dictionary(
    fc.string({ maxLength: 2 }),
    fc.oneof(fc.string({ maxLength: 2 }), fc.integer(), fc.constant({})),
  ),
);

const validMessage = fc.record({
  role: fc.constantFrom("user", "system", "assistant"),
  content: fc.string(),
});
const fieldNames = [
  "messages",
  "maxTokens",
  "temperature",
  "topP",
  "stop",
  "signal",
  "policy",
  "models",
  "providerOptions",
  "tools",
  "unknownField",
] as const;

/** A plain valid request, then up to three fields (or messages) set to anything. */
const request = fc
  .tuple(
    fc.record(
      {
        messages: fc.array(validMessage, { minLength: 1, maxLength: 3 }),
        maxTokens: fc.integer({ min: 1, max: 4096 }),
        temperature: fc.double({ min: 0, max: 2, noNaN: true }),
        topP: fc.double({ min: 0, max: 1, noNaN: true }),
        stop: fc.array(fc.string({ maxLength: 3 }), { maxLength: 16 }),
        models: fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ minLength: 1, maxLength: 3 })),
        providerOptions: fc.dictionary(
          fc.string({ maxLength: 3 }),
          fc.dictionary(fc.string(), fc.jsonValue()),
        ),
      },
      { requiredKeys: ["messages"] },
    ),
    fc.array(fc.tuple(fc.constantFrom(...fieldNames), anything), { maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom("role", "content", "extra"), anything), { maxLength: 2 }),
  )
  .map(([base, fields, messageEdits]) => {
    const r: Record<string, unknown> = { ...base, messages: base.messages.map((m) => ({ ...m })) };
    for (const [key, value] of fields) r[key] = value;
    for (const [index, key, value] of messageEdits) {
      const messages = r.messages;
      if (Array.isArray(messages) && messages.length > 0) {
        const target = messages[index % messages.length];
        if (typeof target === "object" && target !== null) (target as Record<string, unknown>)[key] = value;
      }
    }
    return r;
  });

describe("isPlainRequest", () => {
  it("accepts only requests the schema accepts (property)", () => {
    let plain = 0;
    fc.assert(
      fc.property(request, (r) => {
        if (!isPlainRequest(r)) return;
        plain++;
        expect(requestSchema.safeParse(r).success).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    // The generator reaches the accepting side often enough for the property to mean something
    // (about 230 of 2,000 runs).
    expect(plain).toBeGreaterThan(100);
    // ~1.3 s alone; a machine loaded 7× over its cores stretched 5,000 runs past the 20 s default.
  }, 60_000);

  it("accepts the common requests, native and drop-in", () => {
    expect(
      isPlainRequest({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello" },
        ],
        maxTokens: 256,
        temperature: 0.2,
        signal: new AbortController().signal,
      }),
    ).toBe(true);
    expect(
      isPlainRequest({
        messages: [{ role: "user", content: "Hello" }],
        models: { openai: "gpt-4.1" },
        providerOptions: { openai: { messages: [], max_completion_tokens: 10 } },
      }),
    ).toBe(true);
  });

  it("leaves to the schema what it cannot read in full: symbol or hidden keys, an own constructor", () => {
    const messages = [{ role: "user", content: "hi" }];
    const hidden = (key: string, value: unknown) =>
      Object.defineProperty({ messages }, key, { value, enumerable: false });
    const odd: unknown[] = [
      { messages, models: { [Symbol("x")]: "gpt-4.1" } },
      { messages, providerOptions: { openai: { [Symbol("x")]: 1 } } },
      { messages, providerOptions: { openai: { constructor: function F() {} } } },
      hidden("temperature", 9),
      hidden("tools", "garbage"),
      { messages: [Object.defineProperty({ role: "user", content: "hi" }, "toolCalls", { value: 1 })] },
    ];
    for (const request of odd) {
      expect(isPlainRequest(request)).toBe(false);
      // The schema's verdict, whichever it is, is the call's.
      if (requestSchema.safeParse(request).success)
        expect(() => normalizeRequest(request as never)).not.toThrow();
      else expect(() => normalizeRequest(request as never)).toThrow(/request/);
    }
  });

  it("leaves the rest to the schema, whose errors are unchanged", () => {
    expect(isPlainRequest({ messages: [{ role: "user", content: [{ type: "text", text: "x" }] }] })).toBe(
      false,
    );
    expect(isPlainRequest({ messages: [] })).toBe(false);
    const error = (() => {
      try {
        normalizeRequest({ messages: [{ role: "user", content: "x" }], maxTokens: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(isInvalidRequestError(error) && error.issues).toEqual([
      expect.stringContaining("request.maxTokens"),
    ]);
  });
});
