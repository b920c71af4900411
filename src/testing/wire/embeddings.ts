import { createHash, randomBytes } from "node:crypto";
import type { ReplyContext, ResolvedReply } from "../reply.js";
import type { MockProviderKind } from "../types.js";
import type { WireFormat } from "./types.js";

/**
 * Vector lengths the mock answers with when a request sets no `dimensions`: the models' own
 * (`text-embedding-3-small` 1536, `-large` 3072, `ada-002` 1536, `mistral-embed` 1024), else
 * 1536 (1024 for Mistral).
 */
const modelDimensions: Readonly<Record<string, number>> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
  "mistral-embed": 1024,
};

/** What the request asked for, read from its body by the mock (OpenAI's or Mistral's field names). */
export interface EmbeddingRequestFacts {
  /** The inputs as sent: a string, strings, or token arrays. */
  input: unknown;
  /** `dimensions` (OpenAI, Azure) or `output_dimension` (Mistral), when sent. */
  dimensions: number | undefined;
  /** `encoding_format`: `"base64"` makes each vector a base64 string of little-endian float32s. */
  encodingFormat: string | undefined;
}

/** The request's inputs as a list (one string or one token array is a batch of one). */
const inputsOf = (input: unknown): unknown[] => {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input) || input.length === 0) return [];
  return typeof input[0] === "number" ? [input] : input;
};

/**
 * A deterministic unit vector for `input` under `model`: the same model and input give the same
 * vector on every mock (an OpenAI and an Azure mock of one model agree, as one vector space does);
 * another model gives another vector. Values are float32s, so base64 round-trips exactly.
 */
export function mockEmbedding(model: string, input: unknown, dimensions: number): number[] {
  const digest = createHash("sha256")
    .update(`${model}\n${typeof input === "string" ? input : JSON.stringify(input)}`)
    .digest();
  // mulberry32, seeded from the digest: cheap, and the same on every platform.
  let state = digest.readUInt32LE(0);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const values = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
  return values.map((v) => Math.fround(v / norm));
}

/** A vector as the API's base64 encoding: little-endian float32 bytes. */
export function toBase64Embedding(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => {
    bytes.writeFloatLE(value, i * 4);
  });
  return bytes.toString("base64");
}

/** Token count the mock reports for one input: about 4 characters a token, or the token array's length. */
const tokensOf = (input: unknown): number =>
  Array.isArray(input) ? input.length : Math.max(1, Math.ceil(String(input).length / 4));

/**
 * The embeddings wire format of OpenAI and Azure (`POST /v1/embeddings`, Azure's deployment and v1
 * paths) and Mistral (`POST /v1/embeddings`): `{ object: "list", data: [{ object: "embedding",
 * index, embedding }], model, usage }` — Mistral adds an `id` (`embd-…`) and `completion_tokens: 0`.
 * One vector per input, of the requested `dimensions` (else the model's), base64 when
 * `encoding_format: "base64"` was asked. Embeddings are never streamed: every stream method answers
 * with the JSON body, and faults apply to it as to any non-streaming call.
 */
export function createEmbeddingsWire(kind: MockProviderKind, chat: WireFormat): WireFormat {
  const body = (reply: ResolvedReply, ctx: ReplyContext): Record<string, unknown> => {
    const facts = ctx.embeddingRequest ?? { input: [], dimensions: undefined, encodingFormat: undefined };
    const options = reply.embedding ?? {};
    const inputs = inputsOf(facts.input);
    const dimensions =
      options.dimensions ??
      facts.dimensions ??
      modelDimensions[ctx.model] ??
      (kind === "mistral" ? 1024 : 1536);
    const count = options.count ?? inputs.length;
    const base64 = facts.encodingFormat === "base64";
    const data = Array.from({ length: count }, (_, index) => {
      const vector = mockEmbedding(ctx.model, inputs[index] ?? index, dimensions);
      return { object: "embedding", index, embedding: base64 ? toBase64Embedding(vector) : vector };
    });
    const out: Record<string, unknown> = {};
    if (kind === "mistral") out.id = ctx.id;
    Object.assign(out, { object: "list", data, model: ctx.model });
    if (!options.omitUsage) {
      const promptTokens = reply.statedInputTokens ?? inputs.reduce<number>((n, i) => n + tokensOf(i), 0);
      out.usage =
        kind === "mistral"
          ? { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0 }
          : { prompt_tokens: promptTokens, total_tokens: promptTokens };
    }
    if (reply.extra) Object.assign(out, reply.extra);
    return out;
  };
  const asStream = (reply: ResolvedReply, ctx: ReplyContext) => ({
    head: "",
    units: [JSON.stringify(body(reply, ctx))],
    tail: "",
  });
  return {
    newId: () => (kind === "mistral" ? `embd-${randomBytes(16).toString("hex")}` : ""),
    responseHeaders: () => chat.responseHeaders(),
    replyBody: body,
    replyStream: asStream,
    // Embeddings have no output filter: the content-filter fault answers normally.
    filteredBody: (reply, ctx) => body(reply, ctx),
    filteredStream: (reply, ctx) => asStream(reply, ctx),
    inBandErrorFrames: (fault, ctx) => JSON.stringify(chat.inBandErrorBody(fault, ctx)),
    inBandErrorBody: (fault, ctx) => chat.inBandErrorBody(fault, ctx),
    malformedFrame: () => "{",
    keepAlive: "",
  };
}
