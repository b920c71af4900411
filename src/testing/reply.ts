import { randomBytes } from "node:crypto";
import type { MockEmbeddingReply, MockProviderKind, MockReply } from "./types.js";

/** A tool call with every field settled. */
export interface ResolvedToolCall {
  /** The id ("" when the provider sends none: Google). */
  id: string;
  name: string;
  /** JSON text of the arguments (verbatim when the caller gave a string). */
  arguments: string;
  /** The arguments as a value (for Anthropic's `input`); `{}` when they are not valid JSON. */
  input: unknown;
}

/** A reply with every default applied: what the wire builders render. */
export interface ResolvedReply {
  text: string;
  toolCalls: ResolvedToolCall[];
  /** Raw finish reason, or undefined for the provider's default. */
  finishReason: string | undefined;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  chunkSize: number;
  eventIntervalMs: number;
  extra: Record<string, unknown> | undefined;
  /** Embeddings replies: the reply's `embedding` options. */
  embedding: MockEmbeddingReply | undefined;
  /** `usage.inputTokens` as the reply gave it (embeddings count their inputs otherwise). */
  statedInputTokens: number | undefined;
  refusal: string | undefined;
  annotations: unknown[] | undefined;
}

/** Per-call facts the wire builders need. */
export interface ReplyContext {
  kind: MockProviderKind;
  /** Model to report. */
  model: string;
  /** Response id (`chatcmpl-…`, `msg_…`, …). */
  id: string;
  /** Unix seconds. */
  created: number;
  /** OpenAI/Azure `stream_options.include_usage`. */
  includeUsage: boolean;
  /** For an embeddings request: its inputs, `dimensions` and `encoding_format`. */
  embeddingRequest?: {
    input: unknown;
    dimensions: number | undefined;
    encodingFormat: string | undefined;
  };
  /**
   * OpenAI/Azure: the request asked for `logprobs: true`; how many `top_logprobs` per token.
   * Undefined when it did not.
   */
  topLogprobs?: number;
}

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Random alphanumeric id of `length` characters. */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALNUM[bytes[i]! % ALNUM.length];
  return out;
}

function toolCallId(kind: MockProviderKind): string {
  if (kind === "google") return ""; // Gemini's function calls usually carry no id
  if (kind === "anthropic") return `toolu_${randomId(24)}`;
  if (kind === "mistral") return randomId(9);
  return `call_${randomId(24)}`;
}

/** Applies defaults to a reply. `requestBytes` sizes the default input token count. */
export function resolveReply(
  reply: MockReply | undefined,
  kind: MockProviderKind,
  defaultText: string,
  requestBytes: number,
): ResolvedReply {
  const toolCalls = (reply?.toolCalls ?? []).map((call): ResolvedToolCall => {
    const args = typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {});
    let input: unknown = call.arguments;
    if (typeof call.arguments === "string") {
      try {
        input = JSON.parse(call.arguments);
      } catch {
        input = {};
      }
    }
    return { id: call.id ?? toolCallId(kind), name: call.name, arguments: args, input: input ?? {} };
  });
  let text: string;
  if (reply?.json !== undefined) text = JSON.stringify(reply.json);
  else text = reply?.text ?? (toolCalls.length > 0 || reply?.refusal !== undefined ? "" : defaultText);
  const outputChars = text.length + toolCalls.reduce((sum, call) => sum + call.arguments.length, 0);
  return {
    text,
    toolCalls,
    finishReason: reply?.finishReason,
    inputTokens: reply?.usage?.inputTokens ?? Math.max(1, Math.ceil(requestBytes / 4)),
    outputTokens: reply?.usage?.outputTokens ?? Math.max(1, Math.ceil(outputChars / 4)),
    cachedInputTokens: reply?.usage?.cachedInputTokens ?? 0,
    chunkSize: Math.max(1, Math.floor(reply?.chunkSize ?? 8)),
    eventIntervalMs: Math.max(0, reply?.eventIntervalMs ?? 0),
    extra: reply?.extra,
    embedding: reply?.embedding,
    statedInputTokens: reply?.usage?.inputTokens,
    refusal: reply?.refusal,
    annotations: reply?.annotations,
  };
}

/** Splits `text` into pieces of `size` UTF-16 units without cutting a surrogate pair. */
export function splitText(text: string, size: number): string[] {
  if (text.length <= size) return text.length > 0 ? [text] : [];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
