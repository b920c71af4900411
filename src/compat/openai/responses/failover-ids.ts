/**
 * Ids the drop-in makes for a fallback's answer: `resp_failover_…`, `msg_failover_…`,
 * `fc_failover_…`. OpenAI's own ids are hex after the prefix, so these can never be confused with
 * one: a later request that names one (`previous_response_id`, an output item replayed as input) is
 * recognized, because OpenAI never stored it and would reject it.
 */
const marker = "_failover_";

const randomHex = (): string => globalThis.crypto.randomUUID().replaceAll("-", "");

export const newResponseId = (): string => `resp${marker}${randomHex()}`;
export const newMessageId = (): string => `msg${marker}${randomHex()}`;
export const newFunctionCallId = (): string => `fc${marker}${randomHex()}`;
/** A `call_id` for a tool call whose provider gave none. */
export const newCallId = (): string => `call_${randomHex().slice(0, 24)}`;

/** True for an id the drop-in made (for a fallback's answer), false for OpenAI's own. */
export const isFailoverId = (id: unknown): boolean =>
  typeof id === "string" && /^(resp|msg|fc)_failover_[0-9a-f]+$/.test(id);
