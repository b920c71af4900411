/**
 * Structural, deliberately partial shapes of the OpenAI Chat Completions wire format.
 *
 * The `openai` SDK is an optional peer dependency and its types differ between majors (v7 adds
 * `custom` tools and `'function' | 'custom'` tool-call delta types). The drop-in face therefore
 * reads and writes these structural shapes only: every field it produces is also a field of the
 * SDK's `ChatCompletion` / `ChatCompletionChunk` in both v6 and v7 (a type test checks that), and
 * fields it does not know are passed through untouched.
 */

/** A content part of a message, as the app sent it (`text`, `image_url`, `input_audio`, `file`, `refusal`…). */
export interface OpenAIContentPart {
  type: string;
  text?: string;
  refusal?: string;
  image_url?: { url: string; detail?: string };
  [key: string]: unknown;
}

export interface OpenAIToolCallParam {
  id: string;
  type: string;
  function?: { name: string; arguments: string };
  [key: string]: unknown;
}

/** One message of `messages`, any role. */
export interface OpenAIMessageParam {
  role: string;
  content?: string | OpenAIContentPart[] | null;
  name?: string;
  tool_calls?: OpenAIToolCallParam[];
  tool_call_id?: string;
  function_call?: unknown;
  [key: string]: unknown;
}

export interface OpenAIToolParam {
  type: string;
  function?: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean | null;
  };
  [key: string]: unknown;
}

export type OpenAIToolChoiceParam =
  | "none"
  | "auto"
  | "required"
  | { type: string; function?: { name: string }; [key: string]: unknown };

export interface OpenAIResponseFormatParam {
  type: string;
  json_schema?: {
    name: string;
    description?: string;
    schema?: Record<string, unknown>;
    strict?: boolean | null;
  };
}

/** `chat.completions.create` params (both the streaming and the non-streaming variant). */
export interface OpenAIChatParams {
  model: string;
  messages: OpenAIMessageParam[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean; [key: string]: unknown } | null;
  tools?: OpenAIToolParam[];
  tool_choice?: OpenAIToolChoiceParam;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  response_format?: OpenAIResponseFormatParam;
  n?: number | null;
  [key: string]: unknown;
}

/** The per-request options the SDK's `create(params, options)` accepts (the parts we read). */
export interface OpenAIRequestOptions {
  signal?: AbortSignal | null;
  timeout?: number;
  maxRetries?: number;
  headers?: unknown;
  [key: string]: unknown;
}

export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A `ChatCompletion` body, as built for a fallback's answer. */
export interface OpenAIChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: "assistant";
      content: string | null;
      refusal: string | null;
      tool_calls?: OpenAIToolCall[];
      annotations?: [];
    };
    logprobs: null;
    finish_reason: OpenAIFinishReason;
  }[];
  usage?: OpenAIUsage;
  system_fingerprint?: string;
  /** The values both openai 6 and 7 type (7 adds "fast", which the API reports as "priority"). */
  service_tier?: "auto" | "default" | "flex" | "scale" | "priority";
}

export interface OpenAIToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

/** A `ChatCompletionChunk`, as built from the engine's stream events. */
export interface OpenAIChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: "assistant";
      content?: string | null;
      refusal?: string | null;
      tool_calls?: OpenAIToolCallDelta[];
    };
    logprobs: null;
    finish_reason: OpenAIFinishReason | null;
  }[];
  usage?: OpenAIUsage | null;
}
