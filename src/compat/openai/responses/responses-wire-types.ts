/**
 * The parts of OpenAI's Responses API the drop-in reads and writes, written structurally: the
 * `openai` SDK is an optional peer dependency and is never imported, not even for types. Deliberately
 * partial and tolerant (fields newer than this code pass through untouched); what the drop-in
 * builds is checked against both SDK majors' own types in test/compat/openai/responses.
 */

/** `responses.create(params)`: the fields the translation reads; every other field is kept for the primary. */
export interface ResponsesParams {
  model?: string;
  input?: string | unknown[];
  instructions?: string | null;
  tools?: unknown[];
  tool_choice?: unknown;
  text?: { format?: unknown; [key: string]: unknown } | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  metadata?: Record<string, string> | null;
  parallel_tool_calls?: boolean | null;
  stream?: boolean | null;
  background?: boolean | null;
  previous_response_id?: string | null;
  conversation?: unknown;
  prompt?: unknown;
  store?: boolean | null;
  [key: string]: unknown;
}

/** A fallback's text: no provider but OpenAI gives citations or logprobs in OpenAI's form. */
export interface OutputTextPart {
  type: "output_text";
  text: string;
  annotations: never[];
  logprobs?: never[];
}

/** The model declined to answer: a content part of its own, as OpenAI sends it. */
export interface RefusalPart {
  type: "refusal";
  refusal: string;
}

export interface OutputMessageItem {
  id: string;
  type: "message";
  role: "assistant";
  status: "in_progress" | "completed" | "incomplete";
  content: (OutputTextPart | RefusalPart)[];
}

export interface FunctionCallItem {
  id: string;
  type: "function_call";
  status: "in_progress" | "completed" | "incomplete";
  call_id: string;
  name: string;
  arguments: string;
}

/** The output items the drop-in builds for a fallback's answer. */
export type OutputItem = OutputMessageItem | FunctionCallItem;

/**
 * `usage` of a fallback's answer. OpenAI always sends both details; a fallback's detail is present
 * only when that provider reported it (a made-up 0 would read as "no cache hit" or "no reasoning").
 */
export interface ResponseUsageWire {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details?: { cached_tokens: number };
  output_tokens_details?: { reasoning_tokens: number };
}

/**
 * A response object as the wire carries it (in lifecycle events). `output_text` is not a wire
 * field: the SDK adds it to the objects it returns, and so does the drop-in.
 */
export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  status: "completed" | "incomplete" | "in_progress" | "failed" | "queued" | "cancelled";
  background: boolean;
  completed_at: number | null;
  error: null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  store: boolean;
  temperature: number | null;
  /** The app's own `text`, `tool_choice` and `tools`, echoed as OpenAI echoes them. */
  text: Record<string, unknown>;
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  truncation: "disabled";
  usage: ResponseUsageWire | null | undefined;
  metadata: Record<string, string>;
  access_programs: null;
  output_text?: string;
}

/** A response object as `responses.create()` returns it (with the SDK's `output_text`). */
export type ResponseWithText = ResponseObject & { output_text: string };

/** One Responses stream event, as the SDK yields it (the parsed `data:` of one SSE frame). */
export interface ResponsesStreamEvent {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}
