import { quoteName } from "../../../internal/quote-name.js";
import type { ContentPart, Message, ToolCall } from "../../../spec/request.js";

/** What the translation found that keeps a request from fallbacks, as `path: reason` (never the text). */
export interface Findings {
  /** Server-side state or OpenAI-hosted tools: the request can only be served by the primary. */
  primaryOnly: string[];
  /** Parts with no translation for other providers: the `unsupported` option decides. */
  issues: string[];
}

/** Item types of tools OpenAI runs or state OpenAI keeps: a fallback cannot take them over. */
const hostedItemTypes = new Set([
  "file_search_call",
  "web_search_call",
  "computer_call",
  "computer_call_output",
  "code_interpreter_call",
  "image_generation_call",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
  "mcp_call",
  "tool_search_call",
  "tool_search_output",
  "compaction",
  "item_reference",
]);

/** Client-side item types that have no provider-neutral form. */
const untranslatableItemTypes = new Set([
  "custom_tool_call",
  "custom_tool_call_output",
  "local_shell_call",
  "local_shell_call_output",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
  "configuration_update",
]);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A quoted type name for messages, never content (see `quoteName`). */
export const describeType = (value: unknown): string =>
  typeof value === "string" ? quoteName(value) : "an item without a type";

/**
 * Converts the Responses `input` (a string, or a list of items) to neutral messages for the
 * fallbacks:
 * - message items (`{ role, content }`, with or without `type: "message"`): `system` and
 *   `developer` become system messages; user `input_text` and `input_image` (URL or data URL) parts
 *   map one to one; assistant text (`output_text`, `refusal`) is kept as what the model said;
 * - `function_call` items become assistant tool calls (joined to the assistant message they follow),
 *   `function_call_output` items tool messages;
 * - `reasoning` items are OpenAI's own (often encrypted) reasoning: they stay in the primary's body
 *   and are left out of the translation, which no other model could read;
 * - items that name state or tools OpenAI keeps (`item_reference`, hosted-tool calls, files by
 *   `file_id`) are `primaryOnly`; client-side items with no neutral form (custom and shell tools,
 *   `input_file` data, audio) are `issues`. An item type this code does not know is `primaryOnly`.
 */
export const convertResponsesInput = (input: unknown, findings: Findings): Message[] => {
  if (input === undefined || input === null) return [];
  if (typeof input === "string") return [{ role: "user", content: input }];
  if (!Array.isArray(input)) {
    findings.issues.push("input: expected a string or an array of items");
    return [];
  }
  const out: Message[] = [];
  const toolNames = new Map<string, string>();
  /** The assistant message the previous item produced: function calls that follow it join it. */
  let assistant: Extract<Message, { role: "assistant" }> | undefined;
  input.forEach((raw: unknown, i) => {
    const path = `input[${i}]`;
    const previous = assistant;
    assistant = undefined;
    if (!isRecord(raw)) {
      findings.issues.push(`${path}: expected an item object`);
      return;
    }
    const type = raw.type ?? (raw.role !== undefined ? "message" : undefined);
    switch (type) {
      case "message": {
        const message = convertMessageItem(raw, path, findings);
        if (!message) return;
        out.push(message);
        if (message.role === "assistant") assistant = message;
        return;
      }
      case "function_call": {
        const call = convertFunctionCall(raw, path, findings);
        if (!call) return;
        toolNames.set(call.id, call.name);
        if (previous) {
          previous.toolCalls = [...(previous.toolCalls ?? []), call];
          assistant = previous;
        } else {
          assistant = { role: "assistant", content: null, toolCalls: [call] };
          out.push(assistant);
        }
        return;
      }
      case "function_call_output": {
        if (typeof raw.call_id !== "string" || raw.call_id === "") {
          findings.issues.push(`${path}.call_id: required`);
          return;
        }
        const toolName = toolNames.get(raw.call_id);
        out.push({
          role: "tool",
          toolCallId: raw.call_id,
          ...(toolName !== undefined ? { toolName } : {}),
          content: joinText(raw.output, `${path}.output`, findings),
        });
        return;
      }
      case "reasoning":
        return;
      default:
        if (typeof type === "string" && untranslatableItemTypes.has(type)) {
          findings.issues.push(`${path}: ${describeType(type)} items are not supported under failover`);
        } else if (typeof type === "string" && hostedItemTypes.has(type)) {
          findings.primaryOnly.push(
            `${path}: ${describeType(type)} items are state or tools only OpenAI has`,
          );
        } else {
          findings.primaryOnly.push(
            `${path}: ${describeType(type)} items have no translation for other providers`,
          );
        }
    }
  });
  return out;
};

const convertMessageItem = (
  item: Record<string, unknown>,
  path: string,
  findings: Findings,
): Message | undefined => {
  switch (item.role) {
    case "system":
    case "developer":
      return { role: "system", content: joinText(item.content, `${path}.content`, findings) };
    case "user":
      return { role: "user", content: convertUserContent(item.content, `${path}.content`, findings) };
    case "assistant":
      return { role: "assistant", content: joinText(item.content, `${path}.content`, findings) };
    default:
      findings.issues.push(`${path}.role: unknown role ${describeType(item.role)}`);
      return undefined;
  }
};

const convertFunctionCall = (
  item: Record<string, unknown>,
  path: string,
  findings: Findings,
): ToolCall | undefined => {
  if (typeof item.call_id !== "string" || item.call_id === "") {
    findings.issues.push(`${path}.call_id: required`);
    return undefined;
  }
  if (typeof item.name !== "string" || item.name === "") {
    findings.issues.push(`${path}.name: required`);
    return undefined;
  }
  const rawArguments = typeof item.arguments === "string" ? item.arguments : "{}";
  return { id: item.call_id, name: item.name, arguments: parseArguments(rawArguments), rawArguments };
};

/** Text of a string or a list of text parts (`input_text`, `output_text`, `refusal`). */
const joinText = (content: unknown, path: string, findings: Findings): string => {
  if (typeof content === "string") return content;
  if (content === undefined || content === null) return "";
  if (!Array.isArray(content)) {
    findings.issues.push(`${path}: expected a string or an array of content parts`);
    return "";
  }
  const texts: string[] = [];
  content.forEach((part: unknown, j) => {
    const text = textOf(part);
    if (text !== undefined) texts.push(text);
    else
      reportPart(part, `${path}[${j}]`, findings, (type) => `only text parts are allowed here, got ${type}`);
  });
  return texts.join("\n");
};

const textOf = (part: unknown): string | undefined => {
  if (!isRecord(part)) return undefined;
  if ((part.type === "input_text" || part.type === "output_text") && typeof part.text === "string")
    return part.text;
  if (part.type === "refusal" && typeof part.refusal === "string") return part.refusal;
  return undefined;
};

const convertUserContent = (content: unknown, path: string, findings: Findings): string | ContentPart[] => {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) {
    findings.issues.push(`${path}: expected a string or an array of content parts`);
    return "";
  }
  const parts: ContentPart[] = [];
  content.forEach((part: unknown, j) => {
    const text = textOf(part);
    if (text !== undefined) {
      parts.push({ type: "text", text });
    } else if (isRecord(part) && part.type === "input_image" && typeof part.image_url === "string") {
      parts.push({ type: "image", image: part.image_url });
    } else {
      reportPart(
        part,
        `${path}[${j}]`,
        findings,
        (type) => `${type} parts are not supported under failover (text and input_image are)`,
      );
    }
  });
  return parts;
};

/** A part with no neutral form: a file kept at OpenAI is primary-only, anything else an issue. */
const reportPart = (
  part: unknown,
  path: string,
  findings: Findings,
  describe: (type: string) => string,
): void => {
  if (isRecord(part) && typeof part.file_id === "string") {
    findings.primaryOnly.push(
      `${path}: ${describeType(part.type)} refers to a file stored at OpenAI (file_id)`,
    );
    return;
  }
  findings.issues.push(`${path}: ${describe(describeType(isRecord(part) ? part.type : undefined))}`);
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
