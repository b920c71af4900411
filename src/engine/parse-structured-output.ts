import { z } from "zod";
import { StructuredOutputError } from "../errors/structured-output-error.js";
import type { JsonSchema } from "../spec/request.js";

/** Parses and validates a structured-output reply; throws `StructuredOutputError` when it does not fit. */
/**
 * Parses a structured-output reply. A zod schema validates it (and gives it its type); a JSON Schema
 * only requires valid JSON. Throws `StructuredOutputError` when it does not fit.
 */
export const parseStructuredOutput = (
  schema: z.ZodType | JsonSchema,
  text: string,
  provider: string,
  model: string,
): unknown => {
  let json: unknown;
  try {
    // Some models wrap JSON in a Markdown fence despite being asked not to.
    const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, "$1");
    json = JSON.parse(unfenced);
  } catch (cause) {
    throw new StructuredOutputError({
      issues: ["(root): the reply is not valid JSON"],
      text,
      provider,
      model,
      cause,
    });
  }
  if (!(schema instanceof z.ZodType)) return json;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new StructuredOutputError({ issues, text, provider, model, cause: parsed.error });
  }
  return parsed.data;
};
