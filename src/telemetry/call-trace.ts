import type { Attributes, Context, Span, Tracer } from "@opentelemetry/api";
import type { AttemptEndEvent, AttemptStartEvent } from "../engine/events.js";
import type { FinishReason, Usage } from "../spec/result.js";
import { AI_FAILOVER, ERROR_TYPE, GEN_AI, HTTP_STATUS } from "./attribute-names.js";
import type { Instruments } from "./create-instruments.js";
import type { OtelApi } from "./load-otel-api.js";

/** One attempt in flight: when it started, and its span when the call is traced. */
interface AttemptTrace {
  startedAt: number;
  span: Span | undefined;
}

/** What the conventions want in `gen_ai.response.finish_reasons`: the provider's own value, else ours. */
export const finishReasonOf = (reason: FinishReason): string => reason.raw ?? reason.unified;

/** `gen_ai.usage.*` for the tokens a provider reported (none it did not). */
export const usageAttributes = (usage: Usage): Attributes => {
  const attributes: Attributes = {};
  if (usage.inputTokens !== undefined) attributes[GEN_AI.usageInputTokens] = usage.inputTokens;
  if (usage.outputTokens !== undefined) attributes[GEN_AI.usageOutputTokens] = usage.outputTokens;
  if (usage.cachedInputTokens !== undefined)
    attributes[GEN_AI.usageCacheReadInputTokens] = usage.cachedInputTokens;
  return attributes;
};

/**
 * One call as telemetry sees it: its span (when traced) with a child span per attempt, and the facts
 * its metrics need at the end. Lives from `onCallStart` to `onCallEnd`; attempts are keyed by
 * provider, since a call never runs two attempts on one provider at once.
 */
export class CallTrace {
  readonly startedAt = Date.now();
  private readonly attempts = new Map<string, AttemptTrace>();
  /** Attempts made so far, and the provider of the last one. */
  attemptCount = 0;
  lastProvider: string | undefined;
  /** Whether any attempt was made to fall over or hedge. */
  failedOver = false;
  /** Seconds from the call's start to the first content of its reply, and who sent it. */
  firstChunk: { seconds: number; provider: string } | undefined;
  /** The response id of the attempt that answered. */
  responseId: string | undefined;

  constructor(
    private readonly api: OtelApi,
    readonly tracer: Tracer | undefined,
    /** The call's span and the context its attempts are children of; undefined when not traced. */
    readonly span: Span | undefined,
    readonly context: Context | undefined,
    readonly instruments: Instruments | undefined,
    readonly operation: "chat" | "stream" | "embed",
    /** The provider and model the call was made for (see `CallStartEvent`). */
    readonly primary: { provider: string; model: string },
  ) {}

  startAttempt(event: AttemptStartEvent, attributes: Attributes): void {
    this.attemptCount++;
    this.lastProvider = event.provider;
    if (event.reason === "fallback" || event.reason === "hedge") this.failedOver = true;
    const span =
      this.tracer && this.span
        ? this.tracer.startSpan(
            // GenAI span names: "{gen_ai.operation.name} {gen_ai.request.model}", as the call's.
            `${this.operation === "embed" ? "embeddings" : "chat"} ${event.model}`,
            { kind: this.api.SpanKind.CLIENT, attributes },
            this.context,
          )
        : undefined;
    this.attempts.set(event.provider, { startedAt: Date.now(), span });
  }

  /** Ends the attempt's span with its outcome; returns when it started (undefined if unknown). */
  endAttempt(event: AttemptEndEvent): number | undefined {
    const { attempt } = event;
    const trace = this.attempts.get(attempt.provider);
    if (!trace) return undefined;
    this.attempts.delete(attempt.provider);
    if (event.timeToFirstContentMs !== undefined && this.operation === "stream" && !this.firstChunk) {
      // In a stream, an attempt that delivered content is the one the caller read from.
      const ms = trace.startedAt - this.startedAt + event.timeToFirstContentMs;
      this.firstChunk = { seconds: ms / 1000, provider: attempt.provider };
    }
    if (attempt.outcome === "ok") this.responseId = event.responseId;
    const span = trace.span;
    if (span) {
      const attributes: Attributes = { [AI_FAILOVER.attemptOutcome]: attempt.outcome };
      if (attempt.status !== undefined) attributes[HTTP_STATUS] = attempt.status;
      if (event.responseModel !== undefined) attributes[GEN_AI.responseModel] = event.responseModel;
      if (event.responseId !== undefined) attributes[GEN_AI.responseId] = event.responseId;
      if (event.timeToFirstContentMs !== undefined)
        attributes[GEN_AI.responseTimeToFirstChunk] = event.timeToFirstContentMs / 1000;
      if (event.usage) Object.assign(attributes, usageAttributes(event.usage));
      if (attempt.outcome === "ok") {
        if (event.finishReason)
          attributes[GEN_AI.responseFinishReasons] = [finishReasonOf(event.finishReason)];
      } else {
        attributes[ERROR_TYPE] = attempt.outcome;
        attributes[GEN_AI.responseFinishReasons] = ["error"];
        // Stopped by the engine (a hedge lost, the call ended around it): not a failure of the provider.
        if (attempt.outcome !== "aborted") {
          span.setStatus({
            code: this.api.SpanStatusCode.ERROR,
            message: attempt.message ?? attempt.outcome,
          });
        }
      }
      span.setAttributes(attributes);
      span.end();
    }
    return trace.startedAt;
  }

  /** The context of the attempt now running on `provider`, when it has a span. */
  attemptContext(provider: string): Context | undefined {
    const span = this.attempts.get(provider)?.span;
    return span && this.context ? this.api.trace.setSpan(this.context, span) : undefined;
  }

  /** A span event on the attempt now running on `provider` (when there is one), else on the call. */
  addEvent(name: string, attributes: Attributes, provider?: string): void {
    const target = (provider !== undefined ? this.attempts.get(provider)?.span : undefined) ?? this.span;
    target?.addEvent(name, attributes);
  }

  /** Ends attempt spans the engine never ended (it always does: a safety net, never a second end). */
  endStrays(): void {
    for (const trace of this.attempts.values()) trace.span?.end();
    this.attempts.clear();
  }
}
