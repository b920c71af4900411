import type { Attributes, Context, MeterProvider, Tracer, TracerProvider } from "@opentelemetry/api";
import { requestOf, resultOf } from "../engine/call-events.js";
import type {
  AttemptEndEvent,
  AttemptStartEvent,
  BreakerStateChangeEvent,
  BudgetExhaustedEvent,
  CallEndEvent,
  CallStartEvent,
  FallbackEvent,
  HedgeEvent,
  RetryEvent,
  SkipEvent,
} from "../engine/events.js";
import type { ProviderHealth } from "../engine/model-health.js";
import { AI_FAILOVER, ERROR_TYPE, GEN_AI, INSTRUMENTATION_NAME, SPAN_EVENTS } from "./attribute-names.js";
import { CallTrace, finishReasonOf } from "./call-trace.js";
import { convertToGenAiInputMessages, convertToGenAiOutputMessages } from "./convert-to-gen-ai-messages.js";
import { createInstruments, type Instruments } from "./create-instruments.js";
import type { OtelApi } from "./load-otel-api.js";
import { observeBreakerStates } from "./observe-breaker-states.js";

/**
 * Calls followed at once beyond which the oldest are given up: a stream its caller dropped without
 * finishing or closing it never ends, and must not hold its span forever.
 */
const MAX_CALLS_IN_FLIGHT = 10_000;

/**
 * Where every copy of `@opentelemetry/api` 1.x keeps the global providers (`Symbol.for` of this key,
 * shared across copies): `trace.getTracerProvider()` and `metrics.getMeterProvider()` read it first.
 */
const OTEL_GLOBAL = Symbol.for("opentelemetry.js.api.1");

/** Whether an app registered a global tracer (or meter) provider, through any copy of the API. */
const registeredGlobally = (type: "trace" | "metrics"): boolean => {
  const registry = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[OTEL_GLOBAL];
  return registry?.[type] !== undefined;
};

export interface ClientTelemetryOptions {
  tracerProvider: TracerProvider | false | undefined;
  meterProvider: MeterProvider | false | undefined;
  captureContent: boolean;
  /** `gen_ai.provider.name` of each provider, by its configured name. */
  vendors: ReadonlyMap<string, string>;
  /** The client's breaker states; held weakly, so a dropped client is not kept alive by a meter. */
  health: () => ProviderHealth[];
  /** @default 10 000 */
  maxCallsInFlight?: number;
}

/**
 * One client's spans and metrics, built from its engine events. Providers are read on every call
 * (a global one registered after the client was built is picked up); a call starts no span when no
 * SDK records it and is not followed at all when neither spans nor metrics are recorded.
 */
export class ClientTelemetry {
  private readonly calls = new Map<string, CallTrace>();
  private readonly vendors: ReadonlyMap<string, string>;
  private readonly health: WeakRef<() => ProviderHealth[]>;
  private tracerFrom: TracerProvider | undefined;
  private tracer: Tracer | undefined;
  private meterFrom: MeterProvider | undefined;
  private instrumentsNow: Instruments | undefined;
  private removeGauge: () => void = () => {};
  private readonly maxCalls: number;

  constructor(
    private readonly api: OtelApi,
    private readonly options: ClientTelemetryOptions,
  ) {
    this.vendors = options.vendors;
    this.health = new WeakRef(options.health);
    this.maxCalls = options.maxCallsInFlight ?? MAX_CALLS_IN_FLIGHT;
  }

  /**
   * Whether a call starting now would be followed: a tracer or the metrics record. Read per call
   * (an SDK registered later is picked up); while neither records, a call builds no telemetry at all.
   */
  records(): boolean {
    const { tracerProvider, meterProvider } = this.options;
    // Nothing registered globally and nothing configured: answered without calling into the API,
    // whose lookups cost a call that follows a pause ~30 µs in front of its request.
    if (
      (tracerProvider === false || (tracerProvider === undefined && !registeredGlobally("trace"))) &&
      (meterProvider === false || (meterProvider === undefined && !registeredGlobally("metrics")))
    ) {
      // Metrics were turned off (`metrics.disable()`): the breaker gauge leaves the old provider.
      if (this.meterFrom !== undefined) this.forgetMeter();
      return false;
    }
    return this.currentTracer() !== undefined || this.currentInstruments() !== undefined;
  }

  /** Whether any call is followed now (the per-call events of the others are ignored). */
  following(): boolean {
    return this.calls.size > 0;
  }

  callStart(event: CallStartEvent): void {
    const tracer = this.currentTracer();
    const instruments = this.currentInstruments();
    const { api } = this;
    let span: ReturnType<Tracer["startSpan"]> | undefined;
    let context: ReturnType<OtelApi["context"]["active"]> | undefined;
    if (tracer) {
      const parent = api.context.active();
      const started = tracer.startSpan(
        `${genAiOperationName(event.operation)} ${event.model}`,
        { kind: api.SpanKind.INTERNAL, attributes: this.callStartAttributes(event) },
        parent,
      );
      if (started.isRecording()) {
        span = started;
        context = api.trace.setSpan(parent, started);
      }
    }
    if (!span && !instruments) return;
    const request = span && this.options.captureContent ? requestOf(event) : undefined;
    if (span && request)
      span.setAttribute(GEN_AI.inputMessages, convertToGenAiInputMessages(request.messages));
    const primary = { provider: event.provider, model: event.model };
    this.calls.set(
      event.callId,
      new CallTrace(api, tracer, span, context, instruments, event.operation, primary),
    );
    if (this.calls.size > this.maxCalls) this.giveUpOldest();
  }

  attemptStart(event: AttemptStartEvent): void {
    const call = this.calls.get(event.callId);
    if (!call) return;
    call.startAttempt(event, {
      [GEN_AI.operationName]: genAiOperationName(call.operation),
      [GEN_AI.providerName]: this.vendor(event.provider),
      [GEN_AI.requestModel]: event.model,
      [AI_FAILOVER.provider]: event.provider,
      [AI_FAILOVER.attemptReason]: event.reason,
    });
  }

  /** The context an attempt's request starts in (its span active), so HTTP and SDK spans nest under it. */
  attemptContext(callId: string, provider: string): Context | undefined {
    return this.calls.get(callId)?.attemptContext(provider);
  }

  attemptEnd(event: AttemptEndEvent): void {
    const call = this.calls.get(event.callId);
    if (!call) return;
    call.endAttempt(event);
    const instruments = call.instruments;
    if (!instruments) return;
    const { attempt } = event;
    const vendor = this.vendor(attempt.provider);
    instruments.attempts.add(1, {
      [AI_FAILOVER.provider]: attempt.provider,
      [GEN_AI.providerName]: vendor,
      [GEN_AI.requestModel]: attempt.model,
      [AI_FAILOVER.attemptOutcome]: attempt.outcome,
      [AI_FAILOVER.attemptReason]: attempt.reason,
    });
    const usage = event.usage;
    if (!usage) return;
    // Tokens are counted on the attempt that used them: once per reply, whoever answered.
    const attributes: Attributes = {
      [GEN_AI.operationName]: genAiOperationName(call.operation),
      [GEN_AI.providerName]: vendor,
      [GEN_AI.requestModel]: attempt.model,
    };
    if (event.responseModel !== undefined) attributes[GEN_AI.responseModel] = event.responseModel;
    if (usage.inputTokens !== undefined)
      instruments.tokenUsage.record(usage.inputTokens, { ...attributes, [GEN_AI.tokenType]: "input" });
    if (usage.outputTokens !== undefined)
      instruments.tokenUsage.record(usage.outputTokens, { ...attributes, [GEN_AI.tokenType]: "output" });
  }

  callEnd(event: CallEndEvent): void {
    const call = this.calls.get(event.callId);
    if (!call) return;
    this.calls.delete(event.callId);
    call.endStrays();
    const { outcome } = event;
    const provider =
      (outcome.type === "ok" ? outcome.provider : outcome.type === "error" ? outcome.provider : undefined) ??
      call.lastProvider ??
      call.primary.provider;
    const common: Attributes = {
      [GEN_AI.operationName]: genAiOperationName(call.operation),
      [GEN_AI.providerName]: this.vendor(provider),
      [GEN_AI.requestModel]: call.primary.model,
    };
    if (outcome.type === "ok") common[GEN_AI.responseModel] = outcome.model;
    else common[ERROR_TYPE] = outcome.type === "aborted" ? "aborted" : errorType(outcome.error);
    const span = call.span;
    if (span) {
      const attributes: Attributes = {
        ...common,
        [AI_FAILOVER.provider]: provider,
        [AI_FAILOVER.attemptCount]: call.attemptCount,
        [AI_FAILOVER.failedOver]: call.failedOver,
      };
      if (outcome.type === "ok") {
        attributes[GEN_AI.responseFinishReasons] = [finishReasonOf(outcome.finishReason)];
        if (call.responseId !== undefined) attributes[GEN_AI.responseId] = call.responseId;
        const result = this.options.captureContent ? resultOf(outcome) : undefined;
        if (result) attributes[GEN_AI.outputMessages] = convertToGenAiOutputMessages(result);
      } else if (outcome.type === "error") {
        attributes[GEN_AI.responseFinishReasons] = ["error"];
        if (outcome.failureClass) attributes[AI_FAILOVER.failureClass] = outcome.failureClass;
        const why = outcome.failureClass ? `${outcome.error} (${outcome.failureClass})` : outcome.error;
        span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: why });
      }
      // A caller who aborts or stops reading is not a failure: the span stays unset, `error.type` "aborted".
      if (call.firstChunk) attributes[GEN_AI.responseTimeToFirstChunk] = call.firstChunk.seconds;
      span.setAttributes(attributes);
      span.end();
    }
    const instruments = call.instruments;
    if (!instruments) return;
    instruments.operationDuration.record(event.durationMs / 1000, common);
    if (call.firstChunk) {
      const attributes: Attributes = {
        [GEN_AI.operationName]: genAiOperationName(call.operation),
        [GEN_AI.providerName]: this.vendor(call.firstChunk.provider),
        [GEN_AI.requestModel]: call.primary.model,
      };
      if (outcome.type === "ok") attributes[GEN_AI.responseModel] = outcome.model;
      instruments.timeToFirstChunk.record(call.firstChunk.seconds, attributes);
    }
  }

  retry(event: RetryEvent): void {
    this.calls.get(event.callId)?.addEvent(SPAN_EVENTS.retry, {
      [AI_FAILOVER.provider]: event.provider,
      [GEN_AI.requestModel]: event.model,
      [AI_FAILOVER.failureClass]: event.failureClass,
      [AI_FAILOVER.retryNumber]: event.retry,
      [AI_FAILOVER.retryDelayMs]: event.delayMs,
    });
  }

  fallback(event: FallbackEvent): void {
    const attributes = {
      [AI_FAILOVER.from]: event.from,
      [AI_FAILOVER.to]: event.to,
      [AI_FAILOVER.failureClass]: event.failureClass,
    };
    this.calls.get(event.callId)?.addEvent(SPAN_EVENTS.failover, attributes);
    this.currentInstruments()?.failovers.add(1, attributes);
  }

  hedge(event: HedgeEvent): void {
    this.calls.get(event.callId)?.addEvent(SPAN_EVENTS.hedge, {
      [AI_FAILOVER.hedgeSlow]: event.slow,
      [AI_FAILOVER.hedgeStarted]: event.started,
      [AI_FAILOVER.hedgeAfterMs]: event.afterMs,
    });
  }

  skip(event: SkipEvent): void {
    const attributes = {
      [AI_FAILOVER.provider]: event.provider,
      [GEN_AI.requestModel]: event.model,
      [AI_FAILOVER.skipReason]: event.reason,
    };
    this.calls.get(event.callId)?.addEvent(SPAN_EVENTS.skip, {
      ...attributes,
      [AI_FAILOVER.retryInMs]: event.retryInMs,
    });
    this.currentInstruments()?.skips.add(1, attributes);
  }

  breakerStateChange(event: BreakerStateChangeEvent): void {
    const attributes = {
      [AI_FAILOVER.provider]: event.provider,
      [GEN_AI.requestModel]: event.model,
      [AI_FAILOVER.breakerFrom]: event.from,
      [AI_FAILOVER.breakerTo]: event.to,
    };
    if (event.callId !== undefined) {
      // On the attempt whose outcome moved the breaker, when it is still open.
      this.calls.get(event.callId)?.addEvent(
        SPAN_EVENTS.breaker,
        {
          ...attributes,
          [AI_FAILOVER.breakerReason]: event.reason,
          ...(event.retryInMs !== undefined ? { [AI_FAILOVER.retryInMs]: event.retryInMs } : {}),
        },
        event.provider,
      );
    }
    this.currentInstruments()?.breakerTransitions.add(1, attributes);
  }

  budgetExhausted(event: BudgetExhaustedEvent): void {
    this.calls.get(event.callId)?.addEvent(SPAN_EVENTS.budgetExhausted, {
      [AI_FAILOVER.provider]: event.provider,
    });
  }

  private callStartAttributes(event: CallStartEvent): Attributes {
    const attributes: Attributes = {
      [GEN_AI.operationName]: genAiOperationName(event.operation),
      [GEN_AI.providerName]: this.vendor(event.provider),
      [GEN_AI.requestModel]: event.model,
      [AI_FAILOVER.provider]: event.provider,
      [AI_FAILOVER.callId]: event.callId,
    };
    const { request } = event;
    if (request.maxTokens !== undefined) attributes[GEN_AI.requestMaxTokens] = request.maxTokens;
    if (request.temperature !== undefined) attributes[GEN_AI.requestTemperature] = request.temperature;
    if (request.topP !== undefined) attributes[GEN_AI.requestTopP] = request.topP;
    if (event.operation === "stream") attributes[GEN_AI.requestStream] = true;
    if (request.structuredOutput) attributes[GEN_AI.outputType] = "json";
    return attributes;
  }

  private vendor(provider: string): string {
    return this.vendors.get(provider) ?? provider;
  }

  /**
   * The tracer now: the configured provider's, or the global one's. Undefined while the global
   * provider has no SDK behind it (checked per call, allocation-free: the app may register one
   * later); a global provider replaced after `trace.disable()` is a new object, so it is re-read.
   */
  private currentTracer(): Tracer | undefined {
    const configured = this.options.tracerProvider;
    if (configured === false) return undefined;
    const provider = configured ?? this.api.trace.getTracerProvider();
    if (provider === this.tracerFrom && this.tracer) return this.tracer;
    this.tracerFrom = provider;
    this.tracer =
      provider instanceof this.api.ProxyTracerProvider
        ? provider.getDelegateTracer(INSTRUMENTATION_NAME)
        : provider.getTracer(INSTRUMENTATION_NAME);
    return this.tracer;
  }

  /** The instruments now, or undefined while metrics go nowhere (no SDK, or turned off). */
  private currentInstruments(): Instruments | undefined {
    const configured = this.options.meterProvider;
    if (configured === false) return undefined;
    const provider = configured ?? this.api.metrics.getMeterProvider();
    if (provider !== this.meterFrom) {
      this.forgetMeter();
      this.meterFrom = provider;
      const meter = provider.getMeter(INSTRUMENTATION_NAME);
      const noop = typeof this.api.createNoopMeter === "function" ? this.api.createNoopMeter() : undefined;
      this.instrumentsNow = meter === noop ? undefined : createInstruments(meter);
      if (this.instrumentsNow) this.removeGauge = observeBreakerStates(meter, this.health);
    }
    return this.instrumentsNow;
  }

  /** Drops the instruments and the breaker gauge of the meter provider in use. */
  private forgetMeter(): void {
    this.meterFrom = undefined;
    this.instrumentsNow = undefined;
    this.removeGauge();
    this.removeGauge = () => {};
  }

  /** Ends the spans of the oldest calls, which a caller must have dropped without closing. */
  private giveUpOldest(): void {
    for (const [callId, call] of this.calls) {
      if (this.calls.size <= this.maxCalls) break;
      this.calls.delete(callId);
      call.endStrays();
      call.span?.setAttribute(ERROR_TYPE, "abandoned");
      call.span?.end();
    }
  }
}

/** `error.type` of a failed call: the class of the error the caller got (`_OTHER` when not ours). */
const errorType = (error: string): string => (error === "unexpected" ? "_OTHER" : error);

/** The GenAI conventions' `gen_ai.operation.name` (and span name prefix) of an engine operation. */
const genAiOperationName = (operation: CallStartEvent["operation"]): "chat" | "embeddings" =>
  operation === "embed" ? "embeddings" : "chat";
