import type { SharedV4ProviderMetadata } from "@ai-sdk/provider";
import type { Attempt } from "../../spec/attempt.js";

/** The key of this library's entry in `providerOptions` and `providerMetadata`. */
export const FAILOVER_METADATA_KEY = "aiFailover";

/** One attempt as JSON (what `providerMetadata.aiFailover.attempts` holds). */
export interface FailoverAttemptMetadata {
  provider: string;
  model: string;
  outcome: Attempt["outcome"];
  /** HTTP status, or null when the failure had none (network, deadline, in-band error). */
  status: number | null;
  durationMs: number;
  reason: Attempt["reason"];
  message?: string;
}

/**
 * What the failover model reports in `providerMetadata.aiFailover`: who answered (`provider`,
 * `model`; absent when nobody did) and every attempt of the call, in order.
 */
export interface FailoverMetadata {
  provider?: string;
  model?: string;
  attempts: FailoverAttemptMetadata[];
}

const toAttemptMetadata = (attempt: Attempt): FailoverAttemptMetadata => ({
  provider: attempt.provider,
  model: attempt.model,
  outcome: attempt.outcome,
  status: attempt.status ?? null,
  durationMs: attempt.durationMs,
  reason: attempt.reason,
  ...(attempt.message !== undefined ? { message: attempt.message } : {}),
});

/** `{ aiFailover: { provider, model, attempts } }`, JSON only (the AI SDK stores and serializes it). */
export const createFailoverMetadata = (
  attempts: readonly Attempt[],
  servedBy?: { provider: string; model: string },
): SharedV4ProviderMetadata => {
  const metadata: FailoverMetadata = {
    ...(servedBy ? { provider: servedBy.provider, model: servedBy.model } : {}),
    attempts: attempts.map(toAttemptMetadata),
  };
  return { [FAILOVER_METADATA_KEY]: metadata as unknown as SharedV4ProviderMetadata[string] };
};
