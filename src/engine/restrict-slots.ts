import { InvalidRequestError } from "../errors/invalid-request-error.js";
import type { ProviderSlot } from "./provider-slot.js";

/** The slots a `providers` restriction names, in the client's order; unknown names are the caller's error. */
export const restrictSlots = (slots: readonly ProviderSlot[], names: unknown): ProviderSlot[] => {
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === "string"))
    throw new InvalidRequestError(["request.providers: expected a non-empty array of provider names"]);
  const known = new Set(slots.map((slot) => slot.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new InvalidRequestError([
      `request.providers: no provider named ${unknown.map((n) => JSON.stringify(n)).join(", ")} (this client has ${[...known].map((n) => JSON.stringify(n)).join(", ")})`,
    ]);
  return slots.filter((slot) => names.includes(slot.name));
};
