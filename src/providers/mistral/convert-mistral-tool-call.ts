import type { ToolCall as MistralToolCall } from "@mistralai/mistralai/models/components";
import type { ToolCall } from "../../spec/request.js";
import { parseToolArguments } from "../shared/parse-tool-arguments.js";

/**
 * Normalises a Mistral tool call: `arguments` arrives as JSON text or (from some models) as an
 * object; `rawArguments` is always JSON text and `arguments` the parsed value (the raw text when
 * it is not valid JSON, so the caller still sees what the model said).
 */
export const convertMistralToolCall = (call: MistralToolCall): ToolCall => {
  const args = call.function.arguments;
  // The SDK fills a missing id with the string "null".
  const id = call.id && call.id !== "null" ? call.id : createMistralToolCallId();
  if (typeof args !== "string") {
    return { id, name: call.function.name, arguments: args, rawArguments: JSON.stringify(args) };
  }
  return { id, name: call.function.name, arguments: parseToolArguments(args), rawArguments: args };
};

/** A tool-call id in Mistral's own form (9 letters or digits) for a call that came without one. */
export const createMistralToolCallId = (): string =>
  globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 9);
