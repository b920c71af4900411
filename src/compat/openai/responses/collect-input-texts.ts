import type { TextPart } from "../../../spec/request.js";
import type { ResponsesParams } from "./responses-wire-types.js";

/** Keys whose string values are text the app wrote or a tool returned: what a provider may quote back. */
const textKeys = new Set(["input", "instructions", "content", "text", "output", "arguments"]);

/** Deeper than any input item nests its text. */
const maxDepth = 6;

/**
 * The texts of a Responses request that goes to OpenAI untranslated (a primary-only request:
 * `previous_response_id`, `conversation`, hosted tools, a stored prompt): its input items'
 * text, `instructions`, tool outputs and call arguments, and a stored prompt's variables. They
 * stand in for the messages the engine scrubs from a provider's error ("[request text]"): such a
 * request reaches the engine as a placeholder, so without them an echo of the prompt in OpenAI's
 * 503 would reach the error, the attempts and the spans. Best effort: a value that cannot be read
 * is skipped (the SDK reads the params again when it sends them).
 */
export const collectInputTexts = (params: ResponsesParams): TextPart[] => {
  const parts: TextPart[] = [];
  const visit = (value: unknown, key: string, depth: number): void => {
    if (typeof value === "string") {
      if (textKeys.has(key) && value !== "") parts.push({ type: "text", text: value });
      return;
    }
    if (depth >= maxDepth || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key, depth + 1);
      return;
    }
    for (const [name, item] of Object.entries(value)) visit(item, name, depth + 1);
  };
  try {
    visit(params.input, "input", 0);
    visit(params.instructions, "instructions", 0);
    const prompt: unknown = params.prompt;
    const variables =
      typeof prompt === "object" && prompt !== null
        ? (prompt as { variables?: unknown }).variables
        : undefined;
    if (typeof variables === "object" && variables !== null) {
      // Every variable is the app's text: a string, or an input item.
      for (const variable of Object.values(variables)) visit(variable, "text", 1);
    }
  } catch {
    // An unreadable value: the texts found so far.
  }
  return parts;
};
