import type { ZodType } from "zod";

/** A JSON Schema object, as sent to providers for tool parameters and structured output. */
export type JsonSchema = Record<string, unknown>;

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
  image: string | URL | Uint8Array;
  /** e.g. "image/png". Inferred from a data URL when omitted. */
  mediaType?: string;
}

export type ContentPart = TextPart | ImagePart;

/** A tool call as the model produced it, with its arguments parsed from JSON. */
export interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments (an object for well-behaved models). */
  arguments: unknown;
  /** The arguments exactly as the provider sent them, as JSON text. */
  rawArguments: string;
}

export interface SystemMessage {
  role: "system";
  content: string;
}
export interface UserMessage {
  role: "user";
  content: string | ContentPart[];
}
export interface AssistantMessage {
  role: "assistant";
  content?: string | null;
  toolCalls?: ToolCall[];
}
export interface ToolMessage {
  role: "tool";
  /** The `id` of the tool call this answers. */
  toolCallId: string;
  /** The tool's name; some providers need it (filled from the matching assistant tool call when omitted). */
  toolName?: string;
  content: string;
}
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A tool the model may call; `parameters` is a zod schema or a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: ZodType | JsonSchema;
}

export type ToolChoice = "auto" | "none" | "required" | { type: "tool"; name: string };

/** Provider-neutral request as adapters receive it: schemas are already JSON Schema. */
export interface ProviderRequest {
  /** The model this provider should use (after any per-provider mapping). */
  model: string;
  messages: Message[];
  tools?: ProviderTool[];
  toolChoice?: ToolChoice;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
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

export interface ProviderTool {
  name: string;
  description?: string;
  parameters: JsonSchema;
}
