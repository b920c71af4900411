import { z } from "zod";
import { StructuredOutputError } from "../errors/structured-output-error.js";
import type { JsonSchema } from "../spec/request.js";

/** What a structured-output reply is read with, besides its text. */
export interface StructuredReply {
  provider: string;
  model: string;
  /** The model's refusal, when it declined instead of answering. */
  refusal: string | undefined;
  /**
   * Applied to each issue: zod names keys the model wrote (an unrecognized key, a record's key),
   * which may quote the prompt.
   */
  scrub: (issue: string) => string;
}

/**
 * Parses a structured-output reply. A zod schema validates it (and gives it its type); a JSON Schema
 * only requires valid JSON. Throws `StructuredOutputError` when it does not fit, and when the model
 * refused (a refusal is an answer, but not an object of the schema: the error carries its text).
 */
export const parseStructuredOutput = (
  schema: z.ZodType | JsonSchema,
  text: string,
  { provider, model, refusal, scrub }: StructuredReply,
): unknown => {
  if (refusal !== undefined) {
    throw new StructuredOutputError({
      issues: ["(root): the model refused to answer (see refusal)"],
      text,
      provider,
      model,
      refusal,
    });
  }
  let json: unknown;
  try {
    // Some models wrap JSON in a Markdown fence despite being asked not to.
    const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, "$1");
    json = JSON.parse(unfenced);
  } catch {
    // No cause: the parser's message quotes the reply, which may quote the prompt (`text` has it all).
    throw new StructuredOutputError({
      issues: ["(root): the reply is not valid JSON"],
      text,
      provider,
      model,
    });
  }
  if (!(schema instanceof z.ZodType)) return json;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) =>
      scrub(`${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
    // No cause: the ZodError's message and issues hold what `scrub` took out of ours.
    throw new StructuredOutputError({ issues, text, provider, model });
  }
  return parsed.data;
};
