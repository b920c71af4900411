import {
  type LanguageModelV4FilePart,
  type LanguageModelV4Prompt,
  type LanguageModelV4ToolResultOutput,
  type SharedV4Warning,
  UnsupportedFunctionalityError,
} from "@ai-sdk/provider";
import type { ContentPart, Message, ToolCall } from "../../spec/request.js";

type UserPart = Extract<LanguageModelV4Prompt[number], { role: "user" }>["content"][number];

/**
 * The AI SDK prompt as this library's messages. What every provider behind the engine can take
 * maps one to one: system, user text and images, assistant text and tool calls, tool results.
 * The rest:
 * - an inline text document (`file` with `{ type: "text" }` data) becomes a text part;
 * - other files (PDF, audio…), files in assistant messages and tool results throw the AI SDK's
 *   `UnsupportedFunctionalityError` (what its own providers throw for content they cannot send);
 * - reasoning, custom parts and provider-executed tool calls and results in the history cannot be
 *   replayed to another provider: they are left out with a warning;
 * - tool approval responses are the AI SDK's own bookkeeping and are not sent.
 */
export const convertToFailoverMessages = (
  prompt: LanguageModelV4Prompt,
  warnings: SharedV4Warning[],
): Message[] => {
  const dropped = new Set<string>();
  const messages: Message[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        messages.push({ role: "system", content: message.content });
        break;
      case "user": {
        const content = message.content.map(convertUserPart);
        const onlyText = content.every((part) => part.type === "text");
        messages.push({
          role: "user",
          content: onlyText && content.length === 1 ? (content[0] as { text: string }).text : content,
        });
        break;
      }
      case "assistant": {
        let text = "";
        const toolCalls: ToolCall[] = [];
        for (const part of message.content) {
          if (part.type === "text") text += part.text;
          else if (part.type === "tool-call" && !part.providerExecuted) {
            const input = part.input ?? {};
            toolCalls.push({
              id: part.toolCallId,
              name: part.toolName,
              arguments: input,
              rawArguments: typeof input === "string" ? input : JSON.stringify(input),
            });
          } else if (part.type === "file") {
            throw new UnsupportedFunctionalityError({ functionality: "file parts in assistant messages" });
          } else {
            dropped.add(part.type === "tool-call" ? "provider-executed tool-call" : part.type);
          }
        }
        if (text === "" && toolCalls.length === 0) break;
        messages.push({
          role: "assistant",
          content: text === "" ? null : text,
          ...(toolCalls.length > 0 ? { toolCalls } : {}),
        });
        break;
      }
      case "tool":
        for (const part of message.content) {
          if (part.type !== "tool-result") continue; // tool-approval-response: the AI SDK's own
          messages.push({
            role: "tool",
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            content: toolOutputText(part.output),
          });
        }
        break;
    }
  }
  for (const type of dropped) {
    warnings.push({
      type: "other",
      message: `${type} parts in the prompt were not sent: they cannot be replayed to another provider`,
    });
  }
  return messages;
};

const convertUserPart = (part: UserPart): ContentPart => {
  if (part.type === "text") return { type: "text", text: part.text };
  return convertFilePart(part);
};

const convertFilePart = (part: LanguageModelV4FilePart): ContentPart => {
  const { data, mediaType } = part;
  const topLevel = mediaType.split("/")[0];
  if (data.type === "text") return { type: "text", text: data.text };
  if (topLevel !== "image") {
    throw new UnsupportedFunctionalityError({ functionality: `file parts with media type ${mediaType}` });
  }
  // "image" or "image/*" alone: the adapters sniff the real type from the bytes.
  const fullType = /^image\/[^*]+$/.test(mediaType) ? mediaType : undefined;
  const withType = fullType !== undefined ? { mediaType: fullType } : {};
  if (data.type === "url") return { type: "image", image: data.url, ...withType };
  if (data.type === "data") return { type: "image", image: data.data, ...withType };
  throw new UnsupportedFunctionalityError({ functionality: "provider file references" });
};

/** A tool result as the text every provider accepts. */
const toolOutputText = (output: LanguageModelV4ToolResultOutput): string => {
  switch (output.type) {
    case "text":
    case "error-text":
      return output.value;
    case "json":
    case "error-json":
      return JSON.stringify(output.value);
    case "execution-denied":
      return output.reason ? `Tool execution denied: ${output.reason}` : "Tool execution denied.";
    case "content":
      return output.value
        .map((item) => {
          if (item.type === "text") return item.text;
          if (item.type === "file" && item.data.type === "text") return item.data.text;
          throw new UnsupportedFunctionalityError({ functionality: `${item.type} parts in tool results` });
        })
        .join("\n");
  }
};
