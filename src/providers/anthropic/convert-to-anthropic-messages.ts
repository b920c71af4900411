import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type { AssistantMessage, Message, ToolCall, UserMessage } from "../../spec/request.js";
import { convertToAnthropicImage } from "./convert-to-anthropic-image.js";

/** The prompt in Anthropic's shape: system text apart, alternating user/assistant turns. */
export interface AnthropicPrompt {
  /** Every system message's text, in order (Anthropic takes them as the top-level `system`). */
  system: string[];
  messages: MessageParam[];
}

type Turn = { role: "user" | "assistant"; content: ContentBlockParam[] };

/**
 * Converts provider-neutral messages to Anthropic's:
 * - system messages (wherever they stand) go to the top-level `system`, in order;
 * - an assistant's tool calls become `tool_use` blocks after its text;
 * - tool results become `tool_result` blocks of a user turn;
 * - consecutive turns of one role are merged into one (tool results first, then the user's text),
 *   as Anthropic wants strictly alternating turns;
 * - a turn that is a single text block is sent as a plain string.
 */
export const convertToAnthropicMessages = (messages: readonly Message[]): AnthropicPrompt => {
  const system: string[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn["role"], blocks: ContentBlockParam[]): void => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };

  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    switch (message.role) {
      case "system":
        system.push(message.content);
        break;
      case "user":
        push("user", convertUserContent(message, `messages.${i}`));
        break;
      case "assistant":
        push("assistant", convertAssistantContent(message));
        break;
      case "tool": {
        const block: ToolResultBlockParam = {
          type: "tool_result",
          tool_use_id: message.toolCallId,
          content: message.content,
        };
        push("user", [block]);
        break;
      }
    }
  }

  return {
    system,
    messages: turns.map(({ role, content }) => {
      const only = content.length === 1 ? content[0] : undefined;
      return only?.type === "text" ? { role, content: only.text } : { role, content };
    }),
  };
};

const convertUserContent = (message: UserMessage, path: string): ContentBlockParam[] => {
  if (typeof message.content === "string") return [{ type: "text", text: message.content }];
  return message.content.map(
    (part, j): ContentBlockParam =>
      part.type === "text"
        ? ({ type: "text", text: part.text } satisfies TextBlockParam)
        : convertToAnthropicImage(part, `${path}.content.${j}`),
  );
};

const convertAssistantContent = (message: AssistantMessage): ContentBlockParam[] => {
  const blocks: ContentBlockParam[] = [];
  if (message.content) blocks.push({ type: "text", text: message.content });
  for (const call of message.toolCalls ?? []) {
    blocks.push({
      type: "tool_use",
      id: call.id,
      name: call.name,
      input: toToolInput(call),
    } satisfies ToolUseBlockParam);
  }
  return blocks;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Anthropic's `tool_use.input` must be an object: the parsed arguments, else the raw JSON parsed, else `{}`. */
const toToolInput = (call: ToolCall): Record<string, unknown> => {
  if (isPlainObject(call.arguments)) return call.arguments;
  try {
    const parsed: unknown = JSON.parse(call.rawArguments);
    if (isPlainObject(parsed)) return parsed;
  } catch {
    // not JSON: fall through
  }
  return {};
};
