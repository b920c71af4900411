import {
  findCapabilityIssue,
  findSpaceConflicts,
  type SpaceDeclaration,
} from "../../../engine/embedding-space.js";
import { ConfigError } from "../../../errors/config-error.js";
import type { EmbeddingCapability } from "../../../spec/embed.js";
import type { ProviderAdapter } from "../../../spec/provider.js";
import type { PrimaryProviderOptions } from "../with-failover-options.js";
import type { PrimaryEmbeddings } from "./embeddings-primary-adapter.js";

/** What `withFailover` resolves about embeddings at configuration time. */
export interface DropInEmbeddings extends PrimaryEmbeddings {
  /** The fallbacks that declare the space, by name. */
  fallbacks: string[];
}

/** The adapter of a fallback given as an adapter or a `{ provider }` entry (undefined if neither). */
const adapterOf = (fallback: unknown): ProviderAdapter | undefined => {
  if (typeof fallback !== "object" || fallback === null) return undefined;
  const adapter = "provider" in fallback ? (fallback as { provider: unknown }).provider : fallback;
  return typeof adapter === "object" && adapter !== null ? (adapter as ProviderAdapter) : undefined;
};

/**
 * The drop-in's embedding space: `primary.embeddings`, else the first fallback's. Every fallback
 * that declares embeddings must declare that space: a `ConfigError` names each one that does not
 * and says why (its vectors could not be compared with those of the app's index).
 */
export const resolveDropInEmbeddings = (
  primary: PrimaryProviderOptions,
  fallbacks: readonly unknown[],
): DropInEmbeddings => {
  const declarations: SpaceDeclaration[] = [];
  const issues: string[] = [];
  const declared = primary.embeddings;
  if (declared) {
    declarations.push({
      label: "primary.embeddings",
      space: { model: declared.model, dimensions: declared.dimensions },
    });
  }
  const names: string[] = [];
  let first: EmbeddingCapability | undefined;
  fallbacks.forEach((fallback, index) => {
    const adapter = adapterOf(fallback);
    if (!adapter?.embeddings) return;
    const label = `fallbacks.${index} (${adapter.name})`;
    const issue = findCapabilityIssue(adapter, label);
    if (issue) issues.push(issue);
    else {
      declarations.push({ label, space: adapter.embeddings });
      names.push(adapter.name);
      first ??= adapter.embeddings;
    }
  });
  issues.push(...findSpaceConflicts(declarations));
  if (issues.length > 0) throw new ConfigError(issues);
  const space: EmbeddingCapability | undefined = declared
    ? { model: declared.model, dimensions: declared.dimensions, tokenInput: true }
    : first && { model: first.model, dimensions: first.dimensions, tokenInput: true };
  return {
    space,
    requestModel: declared ? (declared.deployment ?? declared.model) : space?.model,
    fallbacks: names,
  };
};
