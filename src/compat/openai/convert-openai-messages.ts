import { quoteName } from "../../internal/quote-name.js";
import type { ContentPart, Message, ToolCall } from "../../spec/request.js";
import type { OpenAIContentPart, OpenAIMessageParam } from "./wire-types.js";

/**
 * Converts OpenAI chat `messages` to the neutral message list. Problems are pushed to `issues` as
 * `path: message` (never the message text itself) so the caller can throw one typed error listing
 * all of them.
 *
 * - `system` and `developer` become system messages (text parts joined with a newline);
 * - user text and `image_url` parts map one to one; `input_audio` and `file` parts have no neutral
 *   form and are rejected;
 * - assistant `tool_calls` keep their ids, with arguments parsed from their JSON text;
 * - `tool` messages get their tool's name from the assistant call they answer;
 * - legacy `function` messages and assistant `function_call` are rejected (use tools).
 */
export const convertOpenAIMessages = (messages: unknown, issues: string[]): Message[] => {
  if (!Array.isArray(messages)) {
    issues.push("messages: expected an array of messages");
    return [];
  }
  const toolNames = new Map<string, string>();
  const out: Message[] = [];
  messages.forEach((raw: unknown, i) => {
    const path = `messages[${i}]`;
    if (typeof raw !== "object" || raw === null) {
      issues.push(`${path}: expected a message object`);
      return;
    }
    const message = raw as OpenAIMessageParam;
    switch (message.role) {
      case "system":
      case "developer":
        out.push({ role: "system", content: joinText(message.content, `${path}.content`, issues) });
        return;
      case "user":
        out.push({ role: "user", content: convertUserContent(message.content, `${path}.content`, issues) });
        return;
      case "assistant": {
        if (message.function_call) {
          issues.push(
            `${path}.function_call: legacy function calling is not supported under failover; use tools`,
          );
        }
        if (message.audio) issues.push(`${path}.audio: audio messages are not supported under failover`);
        const toolCalls = convertToolCalls(message.tool_calls, `${path}.tool_calls`, issues);
        for (const call of toolCalls) toolNames.set(call.id, call.name);
        const content = message.content == null ? null : joinText(message.content, `${path}.content`, issues);
        out.push({ role: "assistant", content, ...(toolCalls.length > 0 ? { toolCalls } : {}) });
        return;
      }
      case "tool": {
        if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") {
          issues.push(`${path}.tool_call_id: required`);
          return;
        }
        const toolName = toolNames.get(message.tool_call_id);
        out.push({
          role: "tool",
          toolCallId: message.tool_call_id,
          ...(toolName !== undefined ? { toolName } : {}),
          content: joinText(message.content, `${path}.content`, issues),
        });
        return;
      }
      case "function":
        issues.push(`${path}.role: legacy "function" messages are not supported under failover; use tools`);
        return;
      default:
        issues.push(`${path}.role: unknown role ${quoteName(String(message.role))}`);
    }
  });
  return out;
};

/** Text of a string or text-part content (refusal parts count as text: they are what the model said). */
const joinText = (content: unknown, path: string, issues: string[]): string => {
  if (typeof content === "string") return content;
  if (content == null) return "";
  if (!Array.isArray(content)) {
    issues.push(`${path}: expected a string or an array of content parts`);
    return "";
  }
  const texts: string[] = [];
  content.forEach((part: OpenAIContentPart, j) => {
    if (part?.type === "text" && typeof part.text === "string") texts.push(part.text);
    else if (part?.type === "refusal" && typeof part.refusal === "string") texts.push(part.refusal);
    else issues.push(`${path}[${j}]: only text parts are allowed here, got ${describePart(part)}`);
  });
  return texts.join("\n");
};

const convertUserContent = (content: unknown, path: string, issues: string[]): string | ContentPart[] => {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) {
    issues.push(`${path}: expected a string or an array of content parts`);
    return "";
  }
  const parts: ContentPart[] = [];
  content.forEach((part: OpenAIContentPart, j) => {
    if (part?.type === "text" && typeof part.text === "string") {
      parts.push({ type: "text", text: part.text });
    } else if (part?.type === "image_url" && typeof part.image_url?.url === "string") {
      const problem = checkImageUrl(part.image_url.url);
      if (problem) issues.push(`${path}[${j}].image_url.url: ${problem}`);
      else parts.push({ type: "image", image: part.image_url.url });
    } else {
      issues.push(
        `${path}[${j}]: ${describePart(part)} parts are not supported under failover (text and image_url are)`,
      );
    }
  });
  return parts;
};

/**
 * What is wrong with an `image_url.url`, if anything: OpenAI takes only an http(s) URL or a
 * non-empty `data:` URL, and neither does any fallback take a file path (`uploads/cat.jpg`).
 * Refused here, before anything is sent, rather than by every provider in turn.
 */
const checkImageUrl = (url: string): string | undefined => {
  const text = url.trim();
  if (/^https?:\/\/\S/i.test(text)) return undefined;
  if (/^data:[^,]*,\S/i.test(text)) return undefined;
  if (/^data:/i.test(text)) return "the data: URL carries no data";
  return "expected an http(s) URL or a data: URL (for a file, send its bytes as a base64 data: URL)";
};

const convertToolCalls = (toolCalls: unknown, path: string, issues: string[]): ToolCall[] => {
  if (toolCalls == null) return [];
  if (!Array.isArray(toolCalls)) {
    issues.push(`${path}: expected an array`);
    return [];
  }
  const out: ToolCall[] = [];
  toolCalls.forEach((call: unknown, j) => {
    const c = call as { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } };
    if (c?.type !== "function" || typeof c.function?.name !== "string") {
      issues.push(`${path}[${j}]: only function tool calls are supported under failover`);
      return;
    }
    if (typeof c.id !== "string" || c.id === "") {
      issues.push(`${path}[${j}].id: required`);
      return;
    }
    const rawArguments = typeof c.function.arguments === "string" ? c.function.arguments : "{}";
    out.push({ id: c.id, name: c.function.name, arguments: parseArguments(rawArguments), rawArguments });
  });
  return out;
};

/** Parsed JSON arguments; text that is not JSON stays a string (the model sent it, the app kept it). */
const parseArguments = (text: string): unknown => {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const describePart = (part: unknown): string => {
  const type = typeof part === "object" && part !== null ? (part as { type?: unknown }).type : undefined;
  return typeof type === "string" ? quoteName(type) : "an invalid part";
};
