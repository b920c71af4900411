/**
 * The hand check of a chat completion body (`readCompletion`) accepts exactly what the zod schema
 * it replaced accepted: same fields, same tolerance (null or absent anywhere, unknown fields
 * ignored), same refusals. The schema lives on here as the oracle. One deliberate difference:
 * `usage` is no longer checked as a whole (the JSON path now reads it as the stream path always
 * did, each count that is a number), so the oracle takes any `usage`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  convertOpenAIResponse,
  readCompletion,
} from "../../../src/providers/openai/convert-openai-response.js";
import { mutatedBodies } from "../helpers/mutated-bodies.js";

const oracle = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.object({
        index: z.number().nullish(),
        message: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  id: z.string().nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        content_filter_results: z.unknown().optional(),
      }),
    )
    .min(1),
  usage: z.unknown().optional(),
});

const toolCall = fc.record(
  {
    id: fc.string(),
    type: fc.constant("function"),
    function: fc.record({ name: fc.string(), arguments: fc.string() }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const choice = fc.record(
  {
    index: fc.nat(2),
    message: fc.record(
      {
        role: fc.constant("assistant"),
        content: fc.option(fc.string()),
        refusal: fc.option(fc.string()),
        tool_calls: fc.option(fc.array(toolCall, { maxLength: 2 })),
      },
      { requiredKeys: [] },
    ),
    finish_reason: fc.option(fc.constantFrom("stop", "length", "tool_calls")),
    logprobs: fc.constant(null),
  },
  { requiredKeys: [] },
);
const completion = fc.record(
  {
    id: fc.string(),
    object: fc.constant("chat.completion"),
    model: fc.string(),
    choices: fc.array(choice, { minLength: 1, maxLength: 2 }),
    usage: fc.record({ prompt_tokens: fc.nat(), completion_tokens: fc.nat() }),
  },
  { requiredKeys: ["choices"] },
);

/** A path into the body, and what to put there. */
const paths = [
  [],
  ["id"],
  ["model"],
  ["choices"],
  ["choices", 0],
  ["choices", 0, "index"],
  ["choices", 0, "finish_reason"],
  ["choices", 0, "message"],
  ["choices", 0, "message", "content"],
  ["choices", 0, "message", "refusal"],
  ["choices", 0, "message", "tool_calls"],
  ["choices", 0, "message", "tool_calls", 0],
  ["choices", 0, "message", "tool_calls", 0, "id"],
  ["choices", 0, "message", "tool_calls", 0, "function"],
  ["choices", 0, "message", "tool_calls", 0, "function", "name"],
  ["choices", 0, "message", "tool_calls", 0, "function", "arguments"],
  ["choices", 1],
  ["choices", 2],
  ["choices", 0, "message", "tool_calls", 1],
  ["usage"],
] as const;

const bodies = mutatedBodies(completion, paths, 2);

describe("readCompletion", () => {
  it("accepts exactly what the zod schema it replaced accepts", () => {
    fc.assert(
      fc.property(bodies, (body) => {
        expect(readCompletion(body) !== undefined).toBe(oracle.safeParse(body).success);
      }),
      { numRuns: 3_000 },
    );
  });

  it("never throws anything but a ProviderError, whatever the body", () => {
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          convertOpenAIResponse(body, { provider: "openai", model: "gpt-4.1" });
        } catch (error) {
          expect(error).toMatchObject({ name: "ProviderError" });
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("reads a completion, and refuses a body that is not one as invalid_response", () => {
    const body = {
      id: "chatcmpl-1",
      model: "gpt-4.1",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    };
    const context = { provider: "openai", model: "gpt-4.1" };
    expect(convertOpenAIResponse(body, context)).toMatchObject({
      text: "Hi",
      usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
      id: "chatcmpl-1",
    });
    for (const bad of ["<html>", null, [], { choices: [] }, { choices: [{ message: { content: 5 } }] }])
      expect(() => convertOpenAIResponse(bad, context)).toThrow(
        expect.objectContaining({ failureClass: "invalid_response" }),
      );
  });

  it("keeps the counts that are numbers from a usage object with a bad field", () => {
    const body = {
      choices: [{ message: { content: "Hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: "3", completion_tokens: 1 },
    };
    const result = convertOpenAIResponse(body, { provider: "openai", model: "gpt-4.1" });
    expect(result.usage).toMatchObject({ inputTokens: undefined, outputTokens: 1 });
  });
});
