import type { ToolCall as MistralToolCall } from "@mistralai/mistralai/models/components";
import type { ToolCall } from "../../spec/request.js";

/**
 * Normalises a Mistral tool call: `arguments` arrives as JSON text or (from some models) as an
 * object; `rawArguments` is always JSON text and `arguments` the parsed value (the raw text when
 * it is not valid JSON, so the caller still sees what the model said).
 */
export const convertMistralToolCall = (call: MistralToolCall): ToolCall => {
  const args = call.function.arguments;
  // The SDK fills a missing id with the string "null".
  const id = call.id && call.id !== "null" ? call.id : randomToolCallId();
  if (typeof args !== "string") {
    return { id, name: call.function.name, arguments: args, rawArguments: JSON.stringify(args) };
  }
  return { id, name: call.function.name, arguments: parseJson(args), rawArguments: args };
};

const randomToolCallId = (): string => globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 9);

const parseJson = (text: string): unknown => {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
