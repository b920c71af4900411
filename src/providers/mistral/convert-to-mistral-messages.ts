import type { ChatCompletionRequestMessage, ContentChunk } from "@mistralai/mistralai/models/components";
import type { ContentPart, Message } from "../../spec/request.js";
import { readImagePart } from "../shared/read-image-part.js";
import { toMistralToolCallId } from "./to-mistral-tool-call-id.js";

/**
 * Converts provider-neutral messages to the Mistral SDK's (camelCase) message objects.
 * Tool-call ids from other providers are rewritten to Mistral's 9-alphanumeric form, the same way
 * in the assistant message and in the tool result that answers it.
 */
export const convertToMistralMessages = (messages: readonly Message[]): ChatCompletionRequestMessage[] => {
  const toolNames = new Map<string, string>();
  const out: ChatCompletionRequestMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: message.content });
        break;
      case "user":
        out.push({
          role: "user",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part, j) => convertPart(part, `messages.${i}.content.${j}`)),
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

/** Mistral takes an `https:` URL or a `data:` URL; bytes and bare base64 become a data URL. */
const convertPart = (part: ContentPart, path: string): ContentChunk => {
  if (part.type === "text") return { type: "text", text: part.text };
  const source = readImagePart(part, path);
  const imageUrl =
    source.type === "url" ? source.url : (source.dataUrl ?? `data:${source.mediaType};base64,${source.data}`);
  return { type: "image_url", imageUrl };
};
