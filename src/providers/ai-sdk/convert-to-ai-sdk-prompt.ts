import type { Message } from "../../spec/request.js";
import { resolveImage } from "./resolve-image.js";

type Part = Record<string, unknown>;
type PromptMessage = { role: string; content: string | Part[] };

/**
 * Our messages as an AI SDK prompt of the model's specification version. v4 tags file data
 * (`{ type: "data", data }` / `{ type: "url", url }`); v2 and v3 take the bytes, base64 text or
 * URL as they are. Consecutive tool messages become one `tool` message; a tool result without a
 * `toolName` takes the name of the assistant tool call it answers (the AI SDK requires one).
 */
export const convertToAiSdkPrompt = async (
  messages: readonly Message[],
  version: string,
  supportedUrls: Record<string, RegExp[]>,
  signal: AbortSignal,
): Promise<PromptMessage[]> => {
  const tagged = version === "v4";
  const toolNames = new Map<string, string>();
  const prompt: PromptMessage[] = [];
  for (const [index, message] of messages.entries()) {
    switch (message.role) {
      case "system":
        prompt.push({ role: "system", content: message.content });
        break;
      case "user": {
        if (typeof message.content === "string") {
          prompt.push({ role: "user", content: [{ type: "text", text: message.content }] });
          break;
        }
        const content: Part[] = [];
        for (const [partIndex, part] of message.content.entries()) {
          if (part.type === "text") {
            content.push({ type: "text", text: part.text });
            continue;
          }
          const image = await resolveImage(
            part,
            supportedUrls,
            signal,
            `messages.${index}.content.${partIndex}`,
          );
          const raw = image.kind === "url" ? image.url : image.data;
          content.push({
            type: "file",
            mediaType: image.mediaType,
            data: tagged
              ? image.kind === "url"
                ? { type: "url", url: image.url }
                : { type: "data", data: image.data }
              : raw,
          });
        }
        prompt.push({ role: "user", content });
        break;
      }
      case "assistant": {
        const content: Part[] = [];
        if (message.content) content.push({ type: "text", text: message.content });
        for (const call of message.toolCalls ?? []) {
          toolNames.set(call.id, call.name);
          content.push({
            type: "tool-call",
            toolCallId: call.id,
            toolName: call.name,
            input: call.arguments ?? {},
          });
        }
        if (content.length > 0) prompt.push({ role: "assistant", content });
        break;
      }
      case "tool": {
        const result: Part = {
          type: "tool-result",
          toolCallId: message.toolCallId,
          toolName: message.toolName ?? toolNames.get(message.toolCallId) ?? "unknown",
          output: { type: "text", value: message.content },
        };
        const last = prompt.at(-1);
        if (last?.role === "tool" && Array.isArray(last.content)) last.content.push(result);
        else prompt.push({ role: "tool", content: [result] });
        break;
      }
    }
  }
  return prompt;
};
