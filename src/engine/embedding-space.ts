import { type EmbeddingSpace, spaceDimensions } from "../spec/embed.js";
import type { ProviderAdapter } from "../spec/provider.js";

export { spaceDimensions };

/**
 * Whether two declarations name one space: the same model at the same length. A model whose own
 * length is unknown matches only the same declaration (with or without `dimensions`, not a mix).
 */
export const isSameSpace = (a: EmbeddingSpace, b: EmbeddingSpace): boolean =>
  a.model === b.model && spaceDimensions(a) === spaceDimensions(b);

/** `text-embedding-3-small (1536 dims)`, or `my-model (its own length)`. */
export const describeSpace = (space: EmbeddingSpace): string => {
  const dimensions = spaceDimensions(space);
  return `${space.model} (${dimensions === undefined ? "its own length" : `${dimensions} dims`})`;
};

/** One declaration to check: where it was given (`providers.1 (azure-openai)`) and what it says. */
export interface SpaceDeclaration {
  label: string;
  space: EmbeddingSpace;
}

/**
 * Every declaration that is not the first one's space, as a ConfigError issue that names it and
 * says why: one client embeds in one space, or a fall-over would silently mix vectors of two models.
 */
export const findSpaceConflicts = (declarations: readonly SpaceDeclaration[]): string[] => {
  const [first, ...rest] = declarations;
  if (!first) return [];
  return rest
    .filter((other) => !isSameSpace(first.space, other.space))
    .map(
      (other) =>
        `${other.label}: embeddings in ${describeSpace(other.space)} is another vector space than ${first.label}'s ${describeSpace(first.space)}: vectors of two models (or two lengths) cannot be compared, and an index built with one is silently useless with the other. Declare the same embeddings model and dimensions on both, or remove this one's \`embeddings\` option (it then takes no embedding calls)`,
    );
};

/** A declared capability that a client cannot use (a hand-written adapter), as an issue; else undefined. */
export const findCapabilityIssue = (adapter: ProviderAdapter, label: string): string | undefined => {
  const capability = adapter.embeddings;
  if (capability === undefined) return undefined;
  if (typeof capability !== "object" || capability === null)
    return `${label}: embeddings must be an object { model, dimensions, tokenInput }`;
  if (typeof capability.model !== "string" || capability.model === "")
    return `${label}: embeddings.model must be a non-empty string`;
  const { dimensions } = capability;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions > 0))
    return `${label}: embeddings.dimensions must be a positive integer`;
  if (typeof adapter.embed !== "function") return `${label}: declares embeddings but has no embed() method`;
  return undefined;
};

/** Why a provider takes no embedding calls (it declares no space). */
export const noEmbeddingsReason = (adapter: ProviderAdapter): string =>
  adapter.kind === "anthropic"
    ? "takes no embedding calls: Anthropic has no embeddings API"
    : typeof adapter.embed === "function"
      ? "takes no embedding calls: no `embeddings` option (the model and dimensions of its vector space)"
      : `takes no embedding calls: the ${adapter.kind} adapter has no embeddings`;
