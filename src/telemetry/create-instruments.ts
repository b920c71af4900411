import type { Counter, Histogram, Meter } from "@opentelemetry/api";
import { DURATION_BUCKETS, METRICS, TOKEN_BUCKETS } from "./attribute-names.js";

/** The metric instruments of one meter. */
export interface Instruments {
  meter: Meter;
  /** Per call, seconds: what the caller waited, failovers included. */
  operationDuration: Histogram;
  /** Per attempt that reported usage, by `gen_ai.token.type`. */
  tokenUsage: Histogram;
  /** Per streaming call, seconds: from the call to its first content, failovers included. */
  timeToFirstChunk: Histogram;
  attempts: Counter;
  failovers: Counter;
  skips: Counter;
  breakerTransitions: Counter;
}

/** Creates the instruments on `meter`, with the conventions' units and bucket advice. */
export const createInstruments = (meter: Meter): Instruments => ({
  meter,
  operationDuration: meter.createHistogram(METRICS.operationDuration, {
    description: "GenAI operation duration: one logical call, every attempt and failover included.",
    unit: "s",
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  }),
  tokenUsage: meter.createHistogram(METRICS.tokenUsage, {
    description: "Number of input and output tokens used.",
    unit: "{token}",
    advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
  }),
  timeToFirstChunk: meter.createHistogram(METRICS.timeToFirstChunk, {
    description: "Time from the call to the first chunk of its streamed reply, failovers before it included.",
    unit: "s",
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  }),
  attempts: meter.createCounter(METRICS.attempts, {
    description: "Requests sent to providers, by provider, model, outcome and why each was made.",
    unit: "{attempt}",
  }),
  failovers: meter.createCounter(METRICS.failovers, {
    description: "Calls moved from one provider to the next, by the failure class that moved them.",
    unit: "{failover}",
  }),
  skips: meter.createCounter(METRICS.skips, {
    description: "Providers passed over without a request (breaker open, disabled, cooling).",
    unit: "{skip}",
  }),
  breakerTransitions: meter.createCounter(METRICS.breakerTransitions, {
    description: "Circuit breaker state changes, per provider and model.",
    unit: "{transition}",
  }),
});
