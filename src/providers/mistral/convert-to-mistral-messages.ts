import type { ChatCompletionRequestMessage, ContentChunk } from "@mistralai/mistralai/models/components";
import type { ContentPart, ImagePart, Message } from "../../spec/request.js";
import { toMistralToolCallId } from "./to-mistral-tool-call-id.js";

/** Thrown for a request Mistral cannot be sent (turned into a `bad_request` by the adapter). */
export class MistralRequestConversionError extends Error {
  override name = "MistralRequestConversionError";
}

/**
 * Converts provider-neutral messages to the Mistral SDK's (camelCase) message objects.
 * Tool-call ids from other providers are rewritten to Mistral's 9-alphanumeric form, the same way
 * in the assistant message and in the tool result that answers it.
 */
export const convertToMistralMessages = (messages: readonly Message[]): ChatCompletionRequestMessage[] => {
  const toolNames = new Map<string, string>();
  const out: ChatCompletionRequestMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: message.content });
        break;
      case "user":
        out.push({
          role: "user",
          content: typeof message.content === "string" ? message.content : message.content.map(convertPart),
        });
        break;
      case "assistant": {
        const toolCalls = message.toolCalls?.map((call) => {
          toolNames.set(call.id, call.name);
          return {
            id: toMistralToolCallId(call.id),
            type: "function" as const,
            function: { name: call.name, arguments: call.rawArguments },
          };
        });
        out.push({
          role: "assistant",
          content: message.content ?? (toolCalls?.length ? "" : null),
          ...(toolCalls?.length ? { toolCalls } : {}),
        });
        break;
      }
      case "tool": {
        const name = message.toolName ?? toolNames.get(message.toolCallId);
        out.push({
          role: "tool",
          content: message.content,
          toolCallId: toMistralToolCallId(message.toolCallId),
          ...(name ? { name } : {}),
        });
        break;
      }
    }
  }
  return out;
};

const convertPart = (part: ContentPart): ContentChunk => {
  if (part.type === "text") return { type: "text", text: part.text };
  return { type: "image_url", imageUrl: toImageUrl(part) };
};

/** Mistral takes an `https:` URL or a `data:` URL; bytes and bare base64 become a data URL. */
const toImageUrl = (part: ImagePart): string => {
  const { image } = part;
  if (image instanceof URL) return image.href;
  if (typeof image === "string") {
    if (/^(https?|data):/i.test(image)) return image;
    return `data:${part.mediaType ?? sniffMediaType(base64Head(image))};base64,${image}`;
  }
  return `data:${part.mediaType ?? sniffMediaType(image)};base64,${Buffer.from(image).toString("base64")}`;
};

const base64Head = (base64: string): Uint8Array => Buffer.from(base64.slice(0, 24), "base64");

const sniffMediaType = (bytes: Uint8Array): string => {
  const starts = (...sig: number[]) => sig.every((byte, i) => bytes[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return "image/webp";
  throw new MistralRequestConversionError(
    "image: mediaType is required for bytes or base64 images of an unrecognised format",
  );
};
