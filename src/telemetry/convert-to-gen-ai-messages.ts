import type { ChatResult } from "../spec/chat.js";
import type { ContentPart, Message, ToolCall } from "../spec/request.js";

/*
 * Opt-in content capture in the shapes of the GenAI conventions' JSON schemas
 * (gen-ai-input-messages.json, gen-ai-output-messages.json): messages of `{ role, parts }`, parts
 * `text`, `tool_call`, `tool_call_response`, `uri` and `blob`. Span attributes cannot hold
 * structures, so both are recorded as JSON text, as the conventions allow.
 */

type GenAiPart =
  | { type: "text"; content: string }
  | { type: "tool_call"; id: string; name: string; arguments: unknown }
  | { type: "tool_call_response"; id: string; response: string }
  | { type: "uri"; modality: "image"; uri: string; mime_type?: string }
  | { type: "blob"; modality: "image"; mime_type: string | null; content: "" };

interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  finish_reason?: string;
}

/** An image by URL keeps its URL; inline bytes (a `data:` URL, base64, a byte array) keep only their media type. */
const imagePart = (image: string | URL | Uint8Array, mediaType: string | undefined): GenAiPart => {
  const text = image instanceof URL ? image.href : typeof image === "string" ? image : undefined;
  if (text !== undefined && /^https?:/i.test(text)) {
    return { type: "uri", modality: "image", uri: text, ...(mediaType ? { mime_type: mediaType } : {}) };
  }
  const fromDataUrl = text?.match(/^data:([^;,]+)/i)?.[1];
  return { type: "blob", modality: "image", mime_type: mediaType ?? fromDataUrl ?? null, content: "" };
};

const contentParts = (content: string | ContentPart[] | null | undefined): GenAiPart[] => {
  if (content === null || content === undefined || content === "") return [];
  if (typeof content === "string") return [{ type: "text", content }];
  return content.map((part) =>
    part.type === "text" ? { type: "text", content: part.text } : imagePart(part.image, part.mediaType),
  );
};

const toolCallPart = (call: ToolCall): GenAiPart => ({
  type: "tool_call",
  id: call.id,
  name: call.name,
  arguments: call.arguments,
});

const inputMessage = (message: Message): GenAiMessage => {
  switch (message.role) {
    case "system":
      return { role: "system", parts: contentParts(message.content) };
    case "user":
      return { role: "user", parts: contentParts(message.content) };
    case "assistant":
      return {
        role: "assistant",
        parts: [...contentParts(message.content), ...(message.toolCalls ?? []).map(toolCallPart)],
      };
    case "tool":
      return {
        role: "tool",
        parts: [{ type: "tool_call_response", id: message.toolCallId, response: message.content }],
      };
  }
};

/** `gen_ai.input.messages`: the conversation sent, system messages included (they are part of it here). */
export const convertToGenAiInputMessages = (messages: readonly Message[]): string =>
  JSON.stringify(messages.map(inputMessage));

/** `gen_ai.output.messages`: the one reply — text, refusal, tool calls — with its finish reason. */
export const convertToGenAiOutputMessages = (result: ChatResult): string => {
  const parts: GenAiPart[] = [
    ...contentParts(result.text),
    ...contentParts(result.refusal),
    ...result.toolCalls.map(toolCallPart),
  ];
  const message: GenAiMessage = {
    role: "assistant",
    parts,
    finish_reason: result.finishReason.raw ?? result.finishReason.unified,
  };
  return JSON.stringify([message]);
};
