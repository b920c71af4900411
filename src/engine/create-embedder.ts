import { ConfigError } from "../errors/config-error.js";
import { InvalidRequestError } from "../errors/invalid-request-error.js";
import type { EmbeddingSpace, EmbedRequest, EmbedResult, ExcludedProvider } from "../spec/embed.js";
import { Call } from "./call.js";
import { embedCallKind } from "./embed-call-kind.js";
import {
  describeSpace,
  findCapabilityIssue,
  findSpaceConflicts,
  noEmbeddingsReason,
  type SpaceDeclaration,
  spaceDimensions,
} from "./embedding-space.js";
import type { EngineEvents } from "./events.js";
import { normalizeEmbedRequest } from "./normalize-embed-request.js";
import type { PolicyOptions, ResolvedPolicy } from "./policy-options.js";
import type { ProviderSlot } from "./provider-slot.js";
import { resolveCallPolicy } from "./resolve-call-policy.js";
import { restrictSlots } from "./restrict-slots.js";
import { runEmbed } from "./run-embed.js";

/** An `embed()` request plus the engine's per-call options, as for `chat()`. */
export type FailoverEmbedRequest = EmbedRequest & {
  /** Policy for this call only, layered over the client's and each provider's. */
  policy?: PolicyOptions;
  /**
   * Only these providers (by name) may answer this call, in the client's order; each must take
   * embedding calls. @default every provider of the client that takes embedding calls
   */
  providers?: readonly string[];
};

/** The embedding half of a client: its one vector space, and `embed()`. */
export interface Embedder {
  /** The space every embedding provider of the client declares; undefined when none declares one. */
  readonly space: EmbeddingSpace | undefined;
  embed(request: FailoverEmbedRequest): Promise<EmbedResult>;
}

/**
 * Checks the providers' embedding declarations (a `ConfigError` names each provider whose space is
 * not the first one's: one client, one vector space) and returns the client's `embed()`.
 */
export const createEmbedder = (
  slots: readonly ProviderSlot[],
  providerPolicies: ReadonlyMap<ProviderSlot, PolicyOptions | undefined>,
  clientPolicy: ResolvedPolicy,
  events: EngineEvents,
): Embedder => {
  const issues: string[] = [];
  const declarations: SpaceDeclaration[] = [];
  slots.forEach((slot, index) => {
    const label = `providers.${index} (${slot.name})`;
    const issue = findCapabilityIssue(slot.adapter, label);
    if (issue) issues.push(issue);
    else if (slot.adapter.embeddings) declarations.push({ label, space: slot.adapter.embeddings });
  });
  issues.push(...findSpaceConflicts(declarations));
  if (issues.length > 0) throw new ConfigError(issues);
  const first = declarations[0]?.space;
  const space: EmbeddingSpace | undefined = first && { model: first.model, dimensions: first.dimensions };

  return {
    space,
    async embed(request) {
      const normalized = normalizeEmbedRequest(request);
      if (!space)
        throw new ConfigError([
          "embed(): no provider of this client takes embedding calls: give the providers that run your index's embedding model an `embeddings` option ({ model, dimensions }); Anthropic has no embeddings API",
        ]);
      checkDimensions(request.dimensions, space);
      const callSlots = request.providers === undefined ? slots : restrictSlots(slots, request.providers);
      const eligible: ProviderSlot[] = [];
      const excluded: ExcludedProvider[] = [];
      for (const slot of callSlots) {
        const capability = slot.adapter.embeddings;
        if (!capability) excluded.push({ provider: slot.name, reason: noEmbeddingsReason(slot.adapter) });
        else if (normalized.tokens && !capability.tokenInput)
          excluded.push({
            provider: slot.name,
            reason: "takes text only, and this call's input is token arrays",
          });
        else eligible.push(slot);
      }
      if (eligible.length === 0) {
        const path = normalized.tokens ? "request.input" : "request.providers";
        throw new InvalidRequestError([
          `${path}: no provider can take this embedding call (${excluded.map((e) => `${e.provider} ${e.reason}`).join("; ")})`,
        ]);
      }
      const { policy, policyFor } = resolveCallPolicy(request.policy, clientPolicy, slots, providerPolicies);
      const call = new Call(
        eligible,
        policyFor,
        policy,
        normalized,
        events,
        request.signal,
        "embed",
        embedCallKind,
      );
      return runEmbed(call, excluded);
    },
  };
};

/** A request's `dimensions` must be the space's length: a vector of another length is another space. */
const checkDimensions = (dimensions: number | undefined, space: EmbeddingSpace): void => {
  if (dimensions === undefined) return;
  const own = spaceDimensions(space);
  if (dimensions === own) return;
  throw new InvalidRequestError([
    own === undefined
      ? `request.dimensions: this client's embedding space, ${describeSpace(space)}, declares no length: declare \`dimensions\` in the providers' \`embeddings\` option rather than per call`
      : `request.dimensions: ${dimensions} is not the length of this client's embedding space, ${describeSpace(space)}: vectors of another length belong to another space and cannot be compared with its index. Leave it out to get ${own}`,
  ]);
};
