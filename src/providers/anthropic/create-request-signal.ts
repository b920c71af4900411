/**
 * The signal a streamed request gets instead of the attempt's: it aborts one microtask after the
 * attempt's signal does, which is as soon as the socket needs.
 *
 * Why not the attempt's signal itself: for a response read with `asResponse()` the Anthropic SDK
 * keeps its per-request `AbortController` in a `FinalizationRegistry` until the response body is
 * collected, and a request aborted from inside the engine's abort gets, as its reason, a
 * `DOMException` whose captured stack keeps the frames that aborted it: the engine's attempt,
 * which holds the stream, which holds the body. That cycle runs through the registry's strong
 * hold, so it is never collected (the real-HTTP soak kept 42 attempts of 2,000 calls). Aborted
 * from a microtask, the stack holds none of our frames.
 */
export const createRequestSignal = (attempt: AbortSignal): AbortSignal => {
  const controller = new AbortController();
  if (attempt.aborted) controller.abort();
  else attempt.addEventListener("abort", () => queueMicrotask(() => controller.abort()), { once: true });
  return controller.signal;
};
