import type { ZodType, z } from "zod";
import type { Attempt } from "./attempt.js";
import type {
  JsonSchema,
  Message,
  ProviderRequest,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from "./request.js";
import type { FinishReason, Usage } from "./result.js";

/** A request to `client.chat()` / `client.stream()`, provider-neutral. */
export interface ChatRequest<S extends ZodType | JsonSchema | undefined = ZodType | JsonSchema | undefined> {
  messages: Message[];
  /** Tools the model may call. */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  /**
   * Structured output, returned as `result.object`: with a zod schema the reply is validated and
   * typed; with a JSON Schema object it is sent as is and the reply is only checked to be JSON.
   */
  schema?: S;
  /**
   * A response format sent to providers as is, with no parsing of the reply: JSON mode
   * (`{ type: "json" }`) or a JSON Schema with its own `strict` flag. Use `schema` instead to get
   * `result.object`. Give one or the other.
   */
  responseFormat?: ProviderRequest["responseFormat"];
  /** Name of the structured-output schema sent to providers. @default "response" */
  schemaName?: string;
  /** Per-provider extras, keyed by provider name: merged into that provider's request body only. */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Per-provider model override for this call, keyed by provider name. */
  models?: Record<string, string>;
  /** Extra HTTP headers for every provider on this call. */
  headers?: Record<string, string>;
  /** Cancels the call: in-flight attempts, pending waits, everything. */
  signal?: AbortSignal;
}

/** The answer to a `chat()` call. */
export interface ChatResult<T = unknown> {
  /** The provider's response id, when it sent one. */
  id: string | undefined;
  text: string;
  /**
   * The model's refusal text when it declined to answer (OpenAI `refusal`, Anthropic
   * `stop_reason: "refusal"`), else undefined. A refusal is an answer, not an error: the call
   * succeeds, does not fall over, and `finishReason.unified` is "content-filter".
   */
  refusal: string | undefined;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** Name of the provider that answered. */
  provider: string;
  /** The model that answered, as the provider reported it. */
  model: string;
  /** Every attempt made for this call, in order, including the one that succeeded. */
  attempts: Attempt[];
  /** The parsed, validated structured output when the request had a `schema`. */
  object: T;
  /** The provider's raw response (for provider-specific fields such as Perplexity citations). */
  raw: unknown;
}

export type ObjectOf<S> = S extends ZodType ? z.output<S> : S extends JsonSchema ? unknown : undefined;

/**
 * Events of `client.stream()`. Content events (`text`, `refusal`, `tool-call-delta`, `tool-call`)
 * come from one provider only.
 */
export type ChatStreamEvent =
  | { type: "text"; text: string }
  /** A piece of the model's refusal (see `ChatResult.refusal`). */
  | { type: "refusal"; text: string }
  | { type: "tool-call-delta"; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: "tool-call"; index: number; toolCall: ToolCall }
  /** The provider that is answering, sent once before its first content event. */
  | { type: "start"; provider: string; model: string }
  | { type: "finish"; finishReason: FinishReason; usage: Usage; provider: string; model: string };

/** An async iterable of stream events that can also give the final aggregated result. */
export interface ChatStream<T = unknown> extends AsyncIterable<ChatStreamEvent> {
  /** Resolves with the aggregated result once the stream ends (consumes it if nobody iterates). */
  result(): Promise<ChatResult<T>>;
  /** Stops the stream and aborts the in-flight attempt. */
  abort(reason?: unknown): void;
}
