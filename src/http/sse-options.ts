/** Options of {@link toSSEResponse} and {@link pipeSSE}. Every field is optional. */
export interface SSEOptions {
  /**
   * The incoming request's signal (`request.signal` in a Fetch-API handler). When it aborts — the
   * client went away — the call is cancelled, provider request included, even before the response
   * exists. `pipeSSE` needs none: it watches the response's `close` event.
   * @default none
   */
  signal?: AbortSignal;
  /**
   * Send an SSE comment (`: keep-alive`) after this many milliseconds without an event, so that a
   * proxy or load balancer with an idle timeout (often 30–60 s) does not cut a stream waiting on a
   * slow provider. Readers ignore comments. `0` turns it off. Nothing is sent before the first event
   * (the status is not chosen yet): see the `deadlines` of the client for that wait.
   * @default 15_000
   */
  keepAliveMs?: number;
  /**
   * `pipeSSE` only: how long writing waits for a client that stopped reading (its socket buffer
   * full, no `drain`) before giving the response up: the call is cancelled, provider request
   * included, the socket destroyed, `onError` told (a `ClientStalledError`), and the promise
   * resolves. A client that is gone (`close`) ends it at once.
   * @default 30_000
   */
  stalledClientMs?: number;
  /** Also send `tool-call-delta` events (a tool call's arguments as they stream). @default false */
  toolCallDeltas?: boolean;
  /**
   * Extra response headers (e.g. CORS), on the stream and on a JSON error response alike. The SSE
   * headers (`content-type`, `cache-control`, `x-accel-buffering`) are set unless given here.
   * @default none
   */
  headers?: Record<string, string>;
  /**
   * Called once with each failure sent to the client — before the first event (an HTTP status) or
   * after it (an `error` event) — for your logs. Not called when the client went away. Whatever it
   * throws (or, when async, rejects with) is ignored.
   * @default none
   */
  onError?: (error: unknown) => void;
  /**
   * The `message` the client reads for a failure. The default is a fixed sentence per `code` that says
   * nothing about providers or internals. The library's own error messages carry no key and no
   * prompt text; return `error.message` to show them (in development, say).
   * @default a fixed sentence per error code
   */
  getErrorMessage?: (error: unknown) => string;
}
