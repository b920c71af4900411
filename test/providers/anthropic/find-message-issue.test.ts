/**
 * The hand check of a Messages API body (`findMessageIssue`) accepts exactly what the zod schema it
 * replaced accepted, and names the same first bad field (the error message carries it). The
 * schema lives on here as the oracle. `usage` and `stop_details` never refused a body (the schema
 * dropped them when malformed); they are now read field by field, each when it has the right type.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  convertAnthropicResponse,
  findMessageIssue,
} from "../../../src/providers/anthropic/convert-anthropic-response.js";
import { mutatedBodies } from "../helpers/mutated-bodies.js";

const oracle = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullish(),
});

const oracleIssue = (body: unknown): string | undefined => {
  const parsed = oracle.safeParse(body);
  return parsed.success ? undefined : (parsed.error.issues[0]?.path.join(".") ?? "");
};

const block = fc.oneof(
  fc.record({ type: fc.constant("text"), text: fc.string() }),
  fc.record({ type: fc.constant("tool_use"), id: fc.string(), name: fc.string(), input: fc.jsonValue() }),
  fc.record({ type: fc.constant("thinking"), thinking: fc.string() }),
);
const message = fc.record(
  {
    id: fc.string(),
    type: fc.constant("message"),
    role: fc.constant("assistant"),
    model: fc.string(),
    content: fc.array(block, { maxLength: 3 }),
    stop_reason: fc.option(fc.constantFrom("end_turn", "max_tokens", "tool_use", "refusal")),
    stop_details: fc.option(fc.record({ category: fc.string(), explanation: fc.string() })),
    usage: fc.record({ input_tokens: fc.nat(), output_tokens: fc.nat() }),
  },
  { requiredKeys: ["content"] },
);

const paths = [
  [],
  ["id"],
  ["model"],
  ["content"],
  ["content", 0],
  ["content", 0, "type"],
  ["content", 1],
  ["content", 1, "type"],
  ["stop_reason"],
  ["stop_details"],
  ["usage"],
  ["usage", "iterations"],
  ["usage", "input_tokens"],
] as const;

const bodies = mutatedBodies(message, paths, 3);

const context = { provider: "anthropic", model: "claude-sonnet-4-6" };

describe("findMessageIssue", () => {
  it("refuses exactly what the zod schema it replaced refused, naming the same field", () => {
    fc.assert(
      fc.property(bodies, (body) => {
        expect(findMessageIssue(body)).toBe(oracleIssue(body));
      }),
      { numRuns: 3_000 },
    );
  });

  it("never throws anything but a ProviderError on a body that passes or fails the check", () => {
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          convertAnthropicResponse(body, context);
        } catch (error) {
          expect(error).toMatchObject({ name: "ProviderError" });
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("names the bad field in the error, and reads usage and stop details field by field", () => {
    expect(() => convertAnthropicResponse({ content: [{ type: 1 }] }, context)).toThrow(
      /not an Anthropic Message \(content\.0\.type\)/,
    );
    const result = convertAnthropicResponse(
      {
        content: [{ type: "text", text: "No." }],
        stop_reason: "refusal",
        stop_details: { category: 7, explanation: "Not this one." },
        usage: { input_tokens: "3", output_tokens: 2, iterations: 5 },
      },
      context,
    );
    expect(result.refusal).toBe("Not this one.");
    expect(result.usage).toMatchObject({ outputTokens: 2 });
  });
});
