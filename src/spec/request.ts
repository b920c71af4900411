import type { ZodType } from "zod";

/** A JSON Schema object, as sent to providers for tool parameters and structured output. */
export type JsonSchema = Record<string, unknown>;

/** Text in a user message. */
export interface TextPart {
  type: "text";
  text: string;
}

/**
 * An image given as an `https:` URL, a `data:` URL, raw bytes, or base64 text.
 * Providers that only accept base64 receive it converted; `mediaType` is required for bytes/base64.
 */
export interface ImagePart {
  type: "image";
  /** An `https:` URL (string or `URL`), a `data:` URL, raw bytes, or base64 text. */
  image: string | URL | Uint8Array;
  /** e.g. "image/png". Inferred from a data URL when omitted. */
  mediaType?: string;
}

/** A part of a user message's content. */
export type ContentPart = TextPart | ImagePart;

/** A tool call as the model produced it, with its arguments parsed from JSON. */
export interface ToolCall {
  /** The provider's id for this call; a `tool` message answers it with the same `toolCallId`. */
  id: string;
  /** The name of the tool called. */
  name: string;
  /** Parsed arguments (an object for well-behaved models). */
  arguments: unknown;
  /** The arguments exactly as the provider sent them, as JSON text. */
  rawArguments: string;
}

/** Instructions for the model. Anthropic receives system messages as its top-level `system`. */
export interface SystemMessage {
  role: "system";
  content: string;
}
/** What the user said: text, or text and images. */
export interface UserMessage {
  role: "user";
  content: string | ContentPart[];
}
/** An earlier reply of the model, with the tool calls it made (to continue a tool loop). */
export interface AssistantMessage {
  role: "assistant";
  /** The reply text; `null` or absent when the model only called tools. */
  content?: string | null;
  /** The tool calls of that reply, as `result.toolCalls` gave them. */
  toolCalls?: ToolCall[];
}
/** The result of a tool call, sent back to the model. */
export interface ToolMessage {
  role: "tool";
  /** The `id` of the tool call this answers. */
  toolCallId: string;
  /** The tool's name; some providers need it (filled from the matching assistant tool call when omitted). */
  toolName?: string;
  /** The tool's result, as text (JSON.stringify a structured one). */
  content: string;
}
/** One message of a conversation. */
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A tool the model may call; `parameters` is a zod schema or a JSON Schema object. */
export interface ToolDefinition {
  /** 1-64 letters, digits, `_` or `-`. */
  name: string;
  /** What the tool does and when to call it: the model reads this. */
  description?: string;
  /** The arguments' schema: a zod schema (converted to JSON Schema) or a JSON Schema object. */
  parameters: ZodType | JsonSchema;
}

/** See {@link ChatRequest.toolChoice}. */
export type ToolChoice = "auto" | "none" | "required" | { type: "tool"; name: string };

/** Provider-neutral request as adapters receive it: schemas are already JSON Schema. */
export interface ProviderRequest {
  /** The model this provider should use (after any per-provider mapping). */
  model: string;
  /** The conversation, validated: at least one message. */
  messages: Message[];
  /** Tools the model may call, their parameters as JSON Schema. */
  tools?: ProviderTool[];
  /** As `ChatRequest.toolChoice`: adapters map it to the provider's own form. */
  toolChoice?: ToolChoice;
  /** Sampling temperature, 0 to 2 (an adapter may leave it out where the provider rejects it). */
  temperature?: number;
  /** Nucleus sampling, 0 to 1. */
  topP?: number;
  /** The most tokens the reply may have (adapters name the field the provider expects). */
  maxTokens?: number;
  /** Strings that end the reply when generated. */
  stop?: string[];
  /** Structured output: the reply must be JSON matching this schema. */
  responseFormat?:
    | { type: "json_schema"; name: string; schema: JsonSchema; strict?: boolean }
    | { type: "json" };
  /** Provider-specific body fields for this provider only, merged into the request body. */
  extra?: Record<string, unknown>;
  /** Extra HTTP headers for this call. */
  headers?: Record<string, string>;
}

/** A tool as adapters receive it: its parameters already JSON Schema. */
export interface ProviderTool {
  /** The tool's name, as the model calls it. */
  name: string;
  /** What the tool does, for the model. */
  description?: string;
  /** The arguments' JSON Schema. */
  parameters: JsonSchema;
}
