import type {
  ChatCompletionContentPart,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ContentPart, Message, ToolCall } from "../../spec/request.js";
import { convertToOpenAIImageUrl } from "./convert-to-openai-image-url.js";

/**
 * Converts provider-neutral messages to Chat Completions messages: system → `system`, user text and
 * images → `text` / `image_url` parts, assistant tool calls → `tool_calls`, tool results → `tool`
 * messages. A user message that is a single text part is sent as a plain string (some
 * OpenAI-compatible servers accept nothing else).
 */
export const convertToOpenAIMessages = (messages: readonly Message[]): ChatCompletionMessageParam[] =>
  messages.map((message, index): ChatCompletionMessageParam => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user":
        return { role: "user", content: convertUserContent(message.content, `messages.${index}.content`) };
      case "assistant": {
        const toolCalls = message.toolCalls ?? [];
        if (toolCalls.length === 0) return { role: "assistant", content: message.content ?? "" };
        return {
          role: "assistant",
          content: message.content ? message.content : null,
          tool_calls: toolCalls.map(convertToolCall),
        };
      }
      default:
        // role "tool"
        return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
    }
  });

const convertUserContent = (
  content: string | ContentPart[],
  path: string,
): string | ChatCompletionContentPart[] => {
  if (typeof content === "string") return content;
  const [only] = content;
  if (content.length === 1 && only?.type === "text") return only.text;
  return content.map(
    (part, index): ChatCompletionContentPart =>
      part.type === "text"
        ? { type: "text", text: part.text }
        : { type: "image_url", image_url: { url: convertToOpenAIImageUrl(part, `${path}.${index}`) } },
  );
};

const convertToolCall = (call: ToolCall): ChatCompletionMessageFunctionToolCall => ({
  id: call.id,
  type: "function",
  function: { name: call.name, arguments: call.rawArguments ?? JSON.stringify(call.arguments ?? {}) },
});
