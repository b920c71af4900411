import type { ProviderSlot } from "./provider-slot.js";

/**
 * The order to try providers in for one call: by tier (lower first); inside a tier, a weighted
 * random order that spreads load (a tier of one keeps its place). Then demoted providers (another
 * member of their failure domain is failing) move behind the rest, keeping their relative order.
 */
export const orderCandidates = (
  slots: readonly ProviderSlot[],
  isDemoted: (slot: ProviderSlot) => boolean,
  random: () => number = Math.random,
): ProviderSlot[] => {
  const tiers = new Map<number, ProviderSlot[]>();
  for (const slot of slots) {
    const tier = tiers.get(slot.tier);
    if (tier) tier.push(slot);
    else tiers.set(slot.tier, [slot]);
  }
  const ordered: ProviderSlot[] = [];
  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    ordered.push(...weightedShuffle(tiers.get(tier)!, random));
  }
  const healthy = ordered.filter((slot) => !isDemoted(slot));
  if (healthy.length === ordered.length) return ordered;
  return [...healthy, ...ordered.filter(isDemoted)];
};

/** Weighted random order without replacement (Efraimidis–Spirakis keys). */
const weightedShuffle = (slots: ProviderSlot[], random: () => number): ProviderSlot[] => {
  if (slots.length < 2) return slots;
  return slots
    .map((slot) => ({ slot, key: random() ** (1 / Math.max(slot.weight, 1e-9)) }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.slot);
};
