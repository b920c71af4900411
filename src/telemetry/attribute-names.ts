/*
 * The names this library's spans and metrics use. `gen_ai.*`, `error.type` and `server.*` follow the
 * OpenTelemetry GenAI semantic conventions as last released (semantic-conventions v1.41, now kept in
 * open-telemetry/semantic-conventions-genai: `gen_ai.provider.name`, not the deprecated
 * `gen_ai.system`). Everything the conventions have no name for is ours, under `ai_failover.`.
 * docs/recipes/tracing.md lists them all; change both together.
 */

export const GEN_AI = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  requestMaxTokens: "gen_ai.request.max_tokens",
  requestTemperature: "gen_ai.request.temperature",
  requestTopP: "gen_ai.request.top_p",
  requestStream: "gen_ai.request.stream",
  outputType: "gen_ai.output.type",
  responseModel: "gen_ai.response.model",
  responseId: "gen_ai.response.id",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  responseTimeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  usageInputTokens: "gen_ai.usage.input_tokens",
  usageOutputTokens: "gen_ai.usage.output_tokens",
  usageCacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  tokenType: "gen_ai.token.type",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
} as const;

export const ERROR_TYPE = "error.type";
export const HTTP_STATUS = "http.response.status_code";

export const AI_FAILOVER = {
  /** The provider's configured `name` (unique per client; `gen_ai.provider.name` is its vendor). */
  provider: "ai_failover.provider",
  callId: "ai_failover.call.id",
  attemptCount: "ai_failover.attempt_count",
  failedOver: "ai_failover.failed_over",
  failureClass: "ai_failover.failure_class",
  attemptOutcome: "ai_failover.attempt.outcome",
  attemptReason: "ai_failover.attempt.reason",
  from: "ai_failover.from",
  to: "ai_failover.to",
  retryNumber: "ai_failover.retry.number",
  retryDelayMs: "ai_failover.retry.delay_ms",
  hedgeSlow: "ai_failover.hedge.slow",
  hedgeStarted: "ai_failover.hedge.started",
  hedgeAfterMs: "ai_failover.hedge.after_ms",
  skipReason: "ai_failover.skip.reason",
  retryInMs: "ai_failover.retry_in_ms",
  breakerFrom: "ai_failover.breaker.from",
  breakerTo: "ai_failover.breaker.to",
  breakerReason: "ai_failover.breaker.reason",
  breakerState: "ai_failover.breaker.state",
} as const;

/** Span events on the call span: why a provider was tried, passed over or left. */
export const SPAN_EVENTS = {
  retry: "ai_failover.retry",
  failover: "ai_failover.failover",
  hedge: "ai_failover.hedge",
  skip: "ai_failover.skip",
  breaker: "ai_failover.breaker",
  budgetExhausted: "ai_failover.retry_budget_exhausted",
} as const;

/** Metric instruments. */
export const METRICS = {
  operationDuration: "gen_ai.client.operation.duration",
  tokenUsage: "gen_ai.client.token.usage",
  timeToFirstChunk: "gen_ai.client.operation.time_to_first_chunk",
  attempts: "ai_failover.attempts",
  failovers: "ai_failover.failovers",
  skips: "ai_failover.skips",
  breakerTransitions: "ai_failover.breaker.transitions",
  breakerState: "ai_failover.breaker.state",
} as const;

/** The conventions' bucket advice for `gen_ai.client.operation.duration` and time to first chunk (seconds). */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** The conventions' bucket advice for `gen_ai.client.token.usage`. */
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** The instrumentation scope: spans and metrics show this as their library. */
export const INSTRUMENTATION_NAME = "ai-failover";
