import type { StreamPart } from "../../spec/stream.js";
import { ChatCompletionAssembler } from "./assemble-chat-completion.js";

/** `Symbol.for`, so two copies of the package (ESM and CJS) read each other's parts. */
const rawChunksKey: unique symbol = Symbol.for("ai-failover.openai-chunks") as never;

/** A stream chunk as the provider sent it, parsed. */
export type RawChunk = Record<string, unknown>;

/**
 * A part with the chunks that came with it, in a private field: invisible to enumeration, spread,
 * JSON and `toEqual`, like a non-enumerable property, at the cost of a plain object. Defining a
 * non-enumerable property is a slow path in V8 (~1–4 µs per part, once per streamed event: profiled
 * at 2 % of a drop-in stream's CPU); a class instance with a private field costs what a literal does.
 * The completion on the finish part keeps the symbol: it is the app's own object, once per call.
 */
class PartWithChunks {
  readonly #chunks: RawChunk[];

  constructor(part: StreamPart, chunks: RawChunk[]) {
    Object.assign(this, part);
    this.#chunks = chunks;
  }

  static chunksOf(value: object): readonly RawChunk[] | undefined {
    return #chunks in value ? (value as PartWithChunks).#chunks : undefined;
  }
}

/**
 * The provider's own chunks that came with a part (or, on a completion built from a stream, the
 * chunks that followed the last part: the finish reason, the usage). Undefined when none did.
 */
export const readRawChunks = (value: unknown): readonly RawChunk[] | undefined =>
  typeof value === "object" && value !== null
    ? (PartWithChunks.chunksOf(value) ??
      (value as Record<symbol, readonly RawChunk[] | undefined>)[rawChunksKey] ??
      undefined)
    : undefined;

const attach = <T extends object>(target: T, chunks: RawChunk[]): T =>
  Object.defineProperty(target, rawChunksKey, { value: chunks, enumerable: false });

/**
 * Keeps what a Chat Completions stream said beyond the neutral parts, for the drop-in's wrapped
 * client, whose app must get OpenAI's answer field for field: each part carries the chunks read
 * since the previous part (a non-enumerable symbol: invisible to everyone else), and the finish
 * part's `raw` becomes the `ChatCompletion` a JSON request would have returned, carrying the
 * chunks that came after the last part.
 */
export class RawChunkRecorder {
  private pending: RawChunk[] = [];
  private readonly assembler = new ChatCompletionAssembler();

  /** Called with every parsed chunk, in order, before the parts it produces are yielded. */
  readonly onChunk = (chunk: RawChunk): void => {
    this.pending.push(chunk);
    this.assembler.add(chunk);
  };

  /** The part, with the chunks that came with it. */
  label(part: StreamPart): StreamPart {
    const chunks = this.pending;
    if (part.type === "finish") {
      this.pending = [];
      return { ...part, raw: attach(this.assembler.completion(), chunks) };
    }
    if (chunks.length === 0) return part;
    this.pending = [];
    return new PartWithChunks(part, chunks) as unknown as StreamPart;
  }
}
