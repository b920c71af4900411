import { InvalidRequestError } from "../errors/invalid-request-error.js";
import { formatZodIssues } from "../internal/format-zod-issues.js";
import { mergePolicy, type PolicyOptions, policySchema, type ResolvedPolicy } from "./policy-options.js";
import type { ProviderSlot } from "./provider-slot.js";

/** A call's policy, and each provider's, once a per-call `policy` is layered over them. */
export interface CallPolicies {
  policy: ResolvedPolicy;
  policyFor: (slot: ProviderSlot) => ResolvedPolicy;
}

/**
 * Layers a per-call `policy` over the client's and each provider's. Breakers and retry budgets are
 * shared by every call, so a call cannot set them: `InvalidRequestError`, as for any bad field.
 * (The same rules as `chat()` / `stream()`.)
 */
export const resolveCallPolicy = (
  override: unknown,
  clientPolicy: ResolvedPolicy,
  slots: readonly ProviderSlot[],
  providerPolicies: ReadonlyMap<ProviderSlot, PolicyOptions | undefined>,
): CallPolicies => {
  if (override === undefined) return { policy: clientPolicy, policyFor: (slot) => slot.policy };
  const parsed = policySchema.safeParse(override);
  if (!parsed.success)
    throw new InvalidRequestError(formatZodIssues(parsed.error, "request.policy", policySchema));
  const options = parsed.data as PolicyOptions;
  const shared = [
    options.breaker &&
      "request.policy.breaker: breakers are shared by every call; set them on the client or per provider",
    options.retry?.budget &&
      "request.policy.retry.budget: the retry budget is shared by every call; set it on the client or per provider",
  ].filter((issue): issue is string => typeof issue === "string");
  if (shared.length > 0) throw new InvalidRequestError(shared);
  const merged = new Map(
    slots.map((slot) => [slot, mergePolicy(clientPolicy, providerPolicies.get(slot), options)]),
  );
  return { policy: mergePolicy(clientPolicy, options), policyFor: (slot) => merged.get(slot)! };
};
