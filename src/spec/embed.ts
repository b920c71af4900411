import type { Attempt } from "./attempt.js";
import type { Usage } from "./result.js";

/**
 * A vector space: vectors are comparable only within one. Two providers share a space when they
 * run the same embedding model at the same vector length (OpenAI and an Azure OpenAI deployment of
 * `text-embedding-3-small`, both at 1536). Vectors of another model are meaningless against an
 * index built with this one, and nothing fails loudly: similarity scores just get worse.
 */
export interface EmbeddingSpace {
  /** The embedding model, e.g. "text-embedding-3-small" (for Azure, the model behind the deployment). */
  model: string;
  /**
   * The vector length, sent as `dimensions` to models that shorten their vectors
   * (`text-embedding-3-*`). `undefined`: the model's own length, and no `dimensions` is sent.
   */
  dimensions: number | undefined;
}

/** How a provider takes embedding calls: its space, and what input it accepts. */
export interface EmbeddingCapability extends EmbeddingSpace {
  /** Whether it takes token arrays (`number[][]`) as input, not only text (the OpenAI family does). */
  tokenInput: boolean;
}

/** What the engine hands an adapter for one embedding attempt. */
export interface ProviderEmbedRequest {
  /** The inputs, in order: texts, or token arrays (only for providers whose capability says `tokenInput`). */
  input: readonly string[] | readonly (readonly number[])[];
  /** The vector length to ask for; `undefined`: the model's own (not sent). */
  dimensions?: number;
  /** Body fields for this provider only (`providerOptions[name]`). */
  extra?: Record<string, unknown>;
  /** Extra HTTP headers for this call. */
  headers?: Record<string, string>;
}

/** What an adapter returns for one successful embedding attempt. */
export interface ProviderEmbedResponse {
  /** One vector per input, in input order, as plain numbers (base64 on the wire is decoded). */
  embeddings: number[][];
  /** The model the provider reports having used. */
  model: string;
  /** Token counts as reported: `inputTokens` and `totalTokens`; `undefined` where the provider gave none. */
  usage: Usage;
  /** The provider's response id, if any (Mistral's `embd-…`). */
  id?: string;
  /** The provider's response, untouched. */
  raw: unknown;
}

/** A request to `client.embed()`. */
export interface EmbedRequest {
  /**
   * One text or a batch of texts (one vector each, in order). Token arrays (`number[]` for one input,
   * `number[][]` for a batch) go only to providers that take them (the OpenAI family).
   */
  input: string | string[] | number[] | number[][];
  /**
   * The vector length: must be the client's space's (a vector of another length belongs to another
   * space). Leave it out to get the space's.
   * @default the space's `dimensions`
   */
  dimensions?: number;
  /** Per-provider extras, keyed by provider name: merged into that provider's request body only. */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Extra HTTP headers for every provider on this call. */
  headers?: Record<string, string>;
  /** Cancels the call: in-flight attempts, pending waits, everything. */
  signal?: AbortSignal;
}

/** A provider of the client that took no part in a call, and why. */
export interface ExcludedProvider {
  provider: string;
  /** e.g. "takes no embedding calls: Anthropic has no embeddings API". */
  reason: string;
}

/** The answer to an `embed()` call. */
export interface EmbedResult {
  /** One vector per input, in input order. */
  embeddings: number[][];
  /** The vectors' length. */
  dimensions: number;
  /** Name of the provider that answered. */
  provider: string;
  /** The model that answered, as the provider reported it. */
  model: string;
  /** Token counts as the provider reported them (`inputTokens`, `totalTokens`); absent ones are `undefined`. */
  usage: Usage;
  /** Every attempt made for this call, in order, including the one that succeeded. */
  attempts: Attempt[];
  /**
   * Providers of the client that could not take this call, and why: no embeddings API (Anthropic),
   * no `embeddings` option, text-only for a token input. Never tried, never counted.
   */
  excluded: ExcludedProvider[];
  /** The provider's response, untouched. */
  raw: unknown;
}

/**
 * Vector lengths of models whose length is public and fixed by default, so that a space declared
 * without `dimensions` and one declared with the model's own length are one space
 * (`{ model: "text-embedding-3-small" }` and `{ model: "text-embedding-3-small", dimensions: 1536 }`),
 * and an answer of another length is caught. A length is never sent because it is listed here.
 */
const knownDimensions: Readonly<Record<string, number>> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
  "mistral-embed": 1024,
};

/** @internal The vector length of a space: declared, or the model's known own length; undefined when unknown. */
export const spaceDimensions = (space: EmbeddingSpace): number | undefined =>
  space.dimensions ?? knownDimensions[space.model];
