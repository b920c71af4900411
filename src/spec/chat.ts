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
  /** The conversation so far, oldest first: system, user, assistant and tool messages. At least one. */
  messages: Message[];
  /** Tools the model may call; their calls come back in `toolCalls` (or `tool-call` stream events). */
  tools?: ToolDefinition[];
  /**
   * Whether the model must call a tool: `"auto"` (it decides), `"none"`, `"required"` (at least one;
   * Anthropic's and Mistral's `any`), or `{ type: "tool", name }` for that tool. Sent only with `tools`.
   * @default the provider's default ("auto" when there are tools)
   */
  toolChoice?: ToolChoice;
  /**
   * Sampling temperature, 0 to 2: lower is more deterministic. Not sent to Anthropic, whose current
   * API version rejects it (pass it in `providerOptions.anthropic` for a client pinned to an older
   * version). @default the provider's default
   */
  temperature?: number;
  /**
   * Nucleus sampling, 0 to 1: only tokens within this cumulative probability are considered. Set it
   * or `temperature`, not both. Not sent to Anthropic (see `temperature`). @default the provider's default
   */
  topP?: number;
  /**
   * The most tokens the reply may have: OpenAI `max_completion_tokens`, Anthropic `max_tokens`,
   * Mistral `maxTokens`. A reply cut at this limit ends with `finishReason.unified === "length"`.
   * @default the provider's (Anthropic requires one: the factory's `defaultMaxTokens`, 4096)
   */
  maxTokens?: number;
  /** Up to 16 strings that end the reply when generated (not included in it; OpenAI accepts 4). @default none */
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
  /** The reply text (`""` when the model only called tools). */
  text: string;
  /**
   * The model's refusal text when it declined to answer (OpenAI `refusal`, Anthropic
   * `stop_reason: "refusal"`), else undefined. A refusal is an answer, not an error: the call
   * succeeds, does not fall over, and `finishReason.unified` is "content-filter".
   */
  refusal: string | undefined;
  /** The tool calls the model made, in order, their arguments parsed. */
  toolCalls: ToolCall[];
  /** Why the reply ended: `unified` across providers, `raw` as the provider said it. */
  finishReason: FinishReason;
  /** Token counts, as far as the provider reported them. */
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

/** The type of `result.object` for a request's `schema`: the zod output type, `unknown` for JSON Schema. */
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
