import { z } from "zod";

/**
 * An OpenTelemetry `TracerProvider` (from `@opentelemetry/api`). Declared by shape so that this
 * package's types compile without `@opentelemetry/api` installed; any real provider fits.
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string, options?: { schemaUrl?: string }): object;
}

/** An OpenTelemetry `MeterProvider` (from `@opentelemetry/api`), declared by shape like {@link TracerProviderLike}. */
export interface MeterProviderLike {
  getMeter(name: string, version?: string, options?: { schemaUrl?: string }): object;
}

/**
 * OpenTelemetry for a client: one span per call with a child per attempt, and the GenAI metrics.
 * Nothing to set up beyond the application's own OpenTelemetry SDK: without one registered (or
 * without `@opentelemetry/api` installed) telemetry costs next to nothing and records nothing.
 */
export interface TelemetryOptions {
  /**
   * Where spans go; `false` for none.
   * @default the global provider (`trace.getTracerProvider()`): spans appear once the app registers an SDK
   */
  tracerProvider?: TracerProviderLike | false;
  /**
   * Where metrics go; `false` for none.
   * @default the global provider (`metrics.getMeterProvider()`), looked up on every call, so one registered after the client was built is used
   */
  meterProvider?: MeterProviderLike | false;
  /**
   * Record prompts and replies on call spans, as the conventions' `gen_ai.input.messages` and
   * `gen_ai.output.messages` (JSON text). They hold whatever your users typed: leave it off unless your
   * trace backend may store that. Inline image bytes are never copied (the part keeps its media type).
   * @default `true` only when the environment variable `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` is "true"
   */
  captureContent?: boolean;
}

const hasMethod =
  (method: string) =>
  (value: unknown): boolean =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>)[method] === "function";

export const telemetryOptionsSchema = z.union([
  z.literal(false),
  z.strictObject({
    tracerProvider: z
      .union([
        z.literal(false),
        z.custom<TracerProviderLike>(hasMethod("getTracer"), "expected a TracerProvider or false"),
      ])
      .optional(),
    meterProvider: z
      .union([
        z.literal(false),
        z.custom<MeterProviderLike>(hasMethod("getMeter"), "expected a MeterProvider or false"),
      ])
      .optional(),
    captureContent: z.boolean().optional(),
  }),
]);
