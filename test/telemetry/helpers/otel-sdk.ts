/**
 * The real OpenTelemetry SDK (sdk-trace-base 2.x, sdk-metrics 2.x, AsyncLocalStorage context) with an
 * in-memory span exporter and a pull metric reader, registered as the process's global providers the
 * way an application's setup file does. `stop()` unregisters everything.
 */
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

class PullReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

export interface OtelSdk {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  /** Finished spans, oldest first. */
  spans(): ReadableSpan[];
  /** Every metric collected now, by name. */
  metrics(): Promise<Map<string, MetricData>>;
  /** Forgets the spans finished so far. */
  resetSpans(): void;
  stop(): Promise<void>;
}

/** Starts an SDK; `register: false` keeps it off the global providers (to pass it explicitly). */
export const startOtelSdk = (options: { register?: boolean } = {}): OtelSdk => {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new PullReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const register = options.register ?? true;
  if (register) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
  }
  return {
    tracerProvider,
    meterProvider,
    spans: () => exporter.getFinishedSpans(),
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      const byName = new Map<string, MetricData>();
      for (const scope of resourceMetrics.scopeMetrics)
        for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
      return byName;
    },
    resetSpans: () => exporter.reset(),
    async stop() {
      if (register) {
        trace.disable();
        metrics.disable();
        context.disable();
      }
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
};

/** The data points of one metric (none when it was never recorded). */
export const pointsOf = <T = number>(all: Map<string, MetricData>, name: string): DataPoint<T>[] =>
  (all.get(name)?.dataPoints ?? []) as DataPoint<T>[];

/** Histogram points: count and sum per attribute set. */
export const histogramOf = (all: Map<string, MetricData>, name: string): DataPoint<Histogram>[] =>
  pointsOf<Histogram>(all, name);
