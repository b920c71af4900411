import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import { enableContentCapture } from "../engine/call-events.js";
import type { EngineEvents } from "../engine/events.js";
import type { ProviderHealth } from "../engine/model-health.js";
import type { ProviderAdapter } from "../spec/provider.js";
import { ClientTelemetry } from "./client-telemetry.js";
import { genAiProviderName } from "./gen-ai-provider-name.js";
import { loadOtelApi, type OtelApi } from "./load-otel-api.js";
import type { TelemetryOptions } from "./telemetry-options.js";

const contentFromEnvironment = (): boolean =>
  typeof process !== "undefined" &&
  process.env?.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.toLowerCase() === "true";

/**
 * Gives a client OpenTelemetry spans and metrics, over its engine events. Does nothing when
 * `options` is `false` or `@opentelemetry/api` is not installed. Telemetry's own failures go to
 * OpenTelemetry's diagnostic logger (`diag`), never into the call or to `onListenerError`.
 *
 * The engine imports this (every face of the library builds its client with `createClient`);
 * telemetry knows the engine only through its event types.
 */
export const attachTelemetry = (
  events: EngineEvents,
  providers: readonly ProviderAdapter[],
  health: () => ProviderHealth[],
  options: TelemetryOptions | false | undefined,
  internals: { api?: OtelApi | undefined; maxCallsInFlight?: number } = {},
): void => {
  const api = "api" in internals ? internals.api : loadOtelApi();
  if (options === false || !api) return;
  const captureContent = options?.captureContent ?? contentFromEnvironment();
  if (captureContent) enableContentCapture();
  const telemetry = new ClientTelemetry(api, {
    tracerProvider: options?.tracerProvider as TracerProvider | false | undefined,
    meterProvider: options?.meterProvider as MeterProvider | false | undefined,
    captureContent,
    vendors: new Map(providers.map((provider) => [provider.name, genAiProviderName(provider)])),
    health,
    ...(internals.maxCallsInFlight !== undefined ? { maxCallsInFlight: internals.maxCallsInFlight } : {}),
  });
  const guarded =
    <T>(handle: (event: T) => void) =>
    (event: T): void => {
      try {
        handle.call(telemetry, event);
      } catch (error) {
        api.diag.error("ai-failover: telemetry failed; the call went on", error);
      }
    };
  events.runAttempt = (callId, provider, run) => {
    let context: ReturnType<typeof telemetry.attemptContext>;
    try {
      context = telemetry.attemptContext(callId, provider);
    } catch (error) {
      api.diag.error("ai-failover: telemetry failed; the call went on", error);
    }
    if (!context) return run();
    let ran = false;
    try {
      return api.context.with(context, () => {
        ran = true;
        return run();
      });
    } catch (error) {
      if (ran) throw error;
      api.diag.error("ai-failover: telemetry failed; the call went on", error);
      return run();
    }
  };
  // While no SDK records, a call is not followed, and its events need no payload: the engine builds
  // them only for a listener that wants them. Fall-overs, skips and breaker moves still count in
  // metrics without a followed call.
  const records = (): boolean => {
    try {
      return telemetry.records();
    } catch {
      return true; // the listener itself reports what fails
    }
  };
  const following = (): boolean => telemetry.following();
  events.callStart.subscribeWhile(guarded(telemetry.callStart), records);
  events.attemptStart.subscribeWhile(guarded(telemetry.attemptStart), following);
  events.attemptEnd.subscribeWhile(guarded(telemetry.attemptEnd), following);
  events.callEnd.subscribeWhile(guarded(telemetry.callEnd), following);
  events.retry.subscribeWhile(guarded(telemetry.retry), following);
  events.fallback.subscribe(guarded(telemetry.fallback));
  events.hedge.subscribeWhile(guarded(telemetry.hedge), following);
  events.skip.subscribe(guarded(telemetry.skip));
  events.breakerStateChange.subscribe(guarded(telemetry.breakerStateChange));
  events.budgetExhausted.subscribeWhile(guarded(telemetry.budgetExhausted), following);
};
