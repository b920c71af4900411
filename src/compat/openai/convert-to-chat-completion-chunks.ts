import { type RawChunk, readRawChunks } from "../../providers/openai/record-raw-chunks.js";
import type { ChatStreamEvent } from "../../spec/chat.js";
import { toCompletionId, toOpenAIUsage } from "./convert-to-chat-completion.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import type { OpenAIChatCompletionChunk, OpenAIToolCallDelta } from "./wire-types.js";

type Choice = OpenAIChatCompletionChunk["choices"][number];

/**
 * Turns the engine's stream events into `ChatCompletionChunk`s shaped like OpenAI's own:
 * - a first chunk with `delta: { role: "assistant", content: "" }` once the answering provider is known;
 * - one chunk per text delta;
 * - tool-call deltas with a 0-based `index` per tool call, `id`, `type` and `function.name` on the
 *   first piece of each call and `function.arguments` pieces after (a call that arrives whole, as
 *   from Mistral, is one delta with all of it);
 * - a chunk with an empty delta and the `finish_reason`;
 * - a refusal as `delta.refusal` pieces, as OpenAI streams it;
 * - with `stream_options.include_usage`: `usage: null` on every chunk, then a last chunk with
 *   `choices: []` and the usage, as OpenAI sends it — when the provider reported its token counts
 *   (no usage chunk rather than made-up zeros).
 * All chunks share one id and one `created` timestamp.
 *
 * When the wrapped client itself answers, the app gets OpenAI's own chunks instead, field for field
 * (ids, `system_fingerprint`, `service_tier`, `logprobs`, `annotations`, usage details, fields newer
 * than this code): see `passThrough`.
 */
export class ChatCompletionChunkConverter {
  /**
   * The id and `created` of every converted chunk, made with the first: the wrapped client's own
   * chunks need neither (a random id cost ~40 µs on a call's cold path to its first chunk).
   */
  private identity: { id: string; created: number } | undefined;
  private model = "";
  private started = false;
  /** Neutral tool-call index → OpenAI index (0, 1, … in order of appearance). */
  private readonly toolIndexes = new Map<number, number>();
  /** Argument text streamed so far, by the engine's tool-call index. */
  private readonly streamedArguments = new Map<number, string>();

  /** The wrapped client is answering: its own chunks may follow. */
  private primaryAnswering = false;
  /** Its own chunks are being passed through (never mixed with converted ones). */
  private passing = false;

  constructor(
    private readonly includeUsage: boolean,
    private readonly requestedModel: string,
    /** The wrapped client's provider name, whose own chunks are passed through. @default none */
    private readonly primaryName?: string,
  ) {}

  /** `finishRaw`: for the finish event, the call's `result().raw` (where the last chunks are). */
  convert(event: ChatStreamEvent, finishRaw?: unknown): OpenAIChatCompletionChunk[] {
    const own = this.passThrough(event, finishRaw);
    if (own !== undefined) return own;
    switch (event.type) {
      case "start":
        this.model = event.model;
        return this.start();
      case "text":
        // Once per streamed event: no spreads, one array.
        return this.withStart(this.chunk({ content: event.text }));
      case "refusal":
        // OpenAI streams a refusal as `delta.refusal` pieces, as the SDK's own helpers expect.
        return this.withStart(this.chunk({ refusal: event.text }));
      case "tool-call-delta": {
        const isNew = !this.toolIndexes.has(event.index);
        this.streamedArguments.set(
          event.index,
          (this.streamedArguments.get(event.index) ?? "") + event.argumentsDelta,
        );
        const delta: OpenAIToolCallDelta = { index: this.toolIndex(event.index) };
        if (isNew) {
          delta.id = event.id ?? `call_${globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
          delta.type = "function";
          delta.function = { name: event.name ?? "", arguments: event.argumentsDelta };
        } else {
          delta.function = { arguments: event.argumentsDelta };
        }
        return this.withStart(this.chunk({ tool_calls: [delta] }));
      }
      case "tool-call": {
        const { toolCall } = event;
        const rawArguments = toolCall.rawArguments ?? JSON.stringify(toolCall.arguments ?? {});
        if (this.toolIndexes.has(event.index)) {
          // Already streamed piece by piece: the complete call adds nothing, unless no argument text
          // streamed at all (an Anthropic call with no input): then its arguments, "{}", complete it.
          if (this.streamedArguments.get(event.index) !== "" || rawArguments === "") return [];
          const delta: OpenAIToolCallDelta = {
            index: this.toolIndex(event.index),
            function: { arguments: rawArguments },
          };
          return [...this.start(), this.chunk({ tool_calls: [delta] })];
        }
        const delta: OpenAIToolCallDelta = {
          index: this.toolIndex(event.index),
          id: toolCall.id,
          type: "function",
          function: { name: toolCall.name, arguments: rawArguments },
        };
        return [...this.start(), this.chunk({ tool_calls: [delta] })];
      }
      case "finish": {
        if (event.model) this.model = event.model;
        const chunks = [...this.start(), this.chunk({}, mapOpenAIFinishReason(event.finishReason))];
        // Usage the provider did not report is left out, never sent as zeros.
        const usage = this.includeUsage ? toOpenAIUsage(event.usage) : undefined;
        if (usage) chunks.push({ ...this.base(), choices: [], usage });
        return chunks;
      }
    }
  }

  /**
   * OpenAI's own chunks for an event of the wrapped client (they ride on its parts, see
   * `RawChunkRecorder`), or undefined to convert the event. The engine always asks the wrapped
   * client for the usage chunk: without the app's `include_usage` it is dropped and `usage` left
   * out, as OpenAI would have sent it.
   */
  private passThrough(event: ChatStreamEvent, finishRaw: unknown): OpenAIChatCompletionChunk[] | undefined {
    if (event.type === "start") {
      this.primaryAnswering = event.provider === this.primaryName;
      if (!this.primaryAnswering) return undefined;
      this.model = event.model;
      return []; // its own first chunk (the role) comes with its first content
    }
    if (!this.primaryAnswering) return undefined;
    const chunks = readRawChunks(event.type === "finish" ? finishRaw : event);
    if (chunks === undefined) return this.passing ? [] : undefined;
    this.passing = true;
    const joined = joinSplitToolNames(chunks);
    // Once per streamed event: with `include_usage` the chunks go out as they came (no copy).
    if (this.includeUsage) return joined as unknown as OpenAIChatCompletionChunk[];
    const out: OpenAIChatCompletionChunk[] = [];
    for (const chunk of joined) {
      const own = this.withoutUsage(chunk);
      if (own) out.push(own);
    }
    return out;
  }

  /** Without the app's `include_usage`: the usage chunk dropped, `usage` left out of the others. */
  private withoutUsage(chunk: RawChunk): OpenAIChatCompletionChunk | undefined {
    const { usage, ...rest } = chunk;
    if (usage && Array.isArray(rest.choices) && rest.choices.length === 0) return undefined;
    return rest as unknown as OpenAIChatCompletionChunk;
  }

  private start(): OpenAIChatCompletionChunk[] {
    if (this.started) return [];
    this.started = true;
    return [this.chunk({ role: "assistant", content: "" })];
  }

  /** `chunk`, after the first (role) chunk if it has not gone out yet. */
  private withStart(chunk: OpenAIChatCompletionChunk): OpenAIChatCompletionChunk[] {
    return this.started ? [chunk] : [...this.start(), chunk];
  }

  private toolIndex(neutral: number): number {
    let index = this.toolIndexes.get(neutral);
    if (index === undefined) {
      index = this.toolIndexes.size;
      this.toolIndexes.set(neutral, index);
    }
    return index;
  }

  private identify(): { id: string; created: number } {
    this.identity ??= { id: toCompletionId(undefined), created: Math.floor(Date.now() / 1000) };
    return this.identity;
  }

  private base(): Omit<OpenAIChatCompletionChunk, "choices"> {
    const { id, created } = this.identify();
    return {
      id,
      object: "chat.completion.chunk",
      created,
      model: this.model || this.requestedModel,
      ...(this.includeUsage ? { usage: null } : {}),
    };
  }

  /** One chunk, built as one literal (the same fields, in the same order, as `base()` and `choices`). */
  private chunk(
    delta: Choice["delta"],
    finishReason: Choice["finish_reason"] = null,
  ): OpenAIChatCompletionChunk {
    const choices = [{ index: 0, delta, logprobs: null, finish_reason: finishReason }];
    const { id, created } = this.identify();
    const model = this.model || this.requestedModel;
    return this.includeUsage
      ? { id, object: "chat.completion.chunk", created, model, usage: null, choices }
      : { id, object: "chat.completion.chunk", created, model, choices };
  }
}

type ToolPiece = { index?: unknown; function?: { name?: unknown } & Record<string, unknown> } & Record<
  string,
  unknown
>;

const noPieces: readonly ToolPiece[] = [];

const toolPiecesOf = (chunk: RawChunk): readonly ToolPiece[] => {
  const choice = (chunk.choices as { index?: unknown; delta?: { tool_calls?: unknown } }[] | undefined)?.[0];
  const pieces = choice && (choice.index ?? 0) === 0 ? choice.delta?.tool_calls : undefined;
  return Array.isArray(pieces) ? (pieces as ToolPiece[]) : noPieces;
};

/**
 * Some OpenAI-compatible servers (Gemini's) stream a tool's name in pieces; the SDKs' stream helpers
 * (`finalChatCompletion()`) keep the last piece only. The chunks of one tool-call part hold all of
 * them (the part waits for the name to end): the whole name goes on the first piece and the others
 * lose theirs. Chunks with no split name are returned as they are — OpenAI's never have one.
 */
const joinSplitToolNames = (chunks: readonly RawChunk[]): readonly RawChunk[] => {
  // A part's chunks are one text delta almost always: nothing to join, nothing allocated.
  if (chunks.length === 0 || (chunks.length === 1 && toolPiecesOf(chunks[0]!).length < 2)) return chunks;
  const named = new Map<unknown, string[]>();
  for (const chunk of chunks) {
    for (const piece of toolPiecesOf(chunk)) {
      const name = piece.function?.name;
      if (typeof name === "string" && name !== "")
        named.set(piece.index, [...(named.get(piece.index) ?? []), name]);
    }
  }
  if (![...named.values()].some((names) => names.length > 1)) return chunks;
  const done = new Set<unknown>();
  return chunks.map((chunk) => {
    const pieces = toolPiecesOf(chunk);
    if (!pieces.some((piece) => (named.get(piece.index)?.length ?? 0) > 1)) return chunk;
    const rewritten = pieces.map((piece) => {
      const names = named.get(piece.index);
      if (!names || names.length < 2 || typeof piece.function?.name !== "string") return piece;
      const { name: _piece, ...fn } = piece.function;
      if (done.has(piece.index)) return { ...piece, function: fn };
      done.add(piece.index);
      return { ...piece, function: { ...fn, name: names.join("") } };
    });
    const [choice, ...others] = chunk.choices as Record<string, unknown>[];
    const delta = (choice?.delta ?? {}) as Record<string, unknown>;
    return { ...chunk, choices: [{ ...choice, delta: { ...delta, tool_calls: rewritten } }, ...others] };
  });
};
