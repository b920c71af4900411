/**
 * Hooks on the requests a Mistral client sends, per attempt (the SDK's own `beforeRequest` and
 * `afterSuccess` hooks, registered once per client). They find their attempt by a header the
 * adapter sends with its SDK call, which they remove before anything is sent. Two jobs:
 *
 * **Hold the request (a user's client).** The SDK sends a *clone* of its request (`_do` clones it
 * before its `beforeRequest` hooks), and in Node 22's undici a `Request`'s signal follows its
 * parent signal only through a weak reference to the request's own controller. Once the response
 * headers are in, nothing holds the clone: after a garbage collection the link is gone, and a body
 * that never comes (a stalled JSON reply) keeps the connection open after the engine gave up —
 * seen on busy machines as requests still open on the server long after the call settled. A client
 * the adapter builds avoids this in its fetcher (see `createMistralClient`); a user's client gets
 * this hook instead: it swaps the clone for a request that follows the attempt's signal directly
 * and is held here until the attempt ends.
 *
 * **Take the event stream (`stream()`).** The SDK reads an event stream through two web streams
 * and validates every chunk with zod: about twice the CPU of reading the bytes at all. So the hook
 * that runs last after a success takes the raw `Response` of an event stream (HTTP 200,
 * `text/event-stream`, as the SDK itself matches it) and hands the SDK an empty one in its place;
 * the adapter reads the events itself. Everything else stays the SDK's: it built, signed and sent
 * the request, ran its own and the user's hooks (its tracing may have wrapped the body: the
 * wrapped one is what is taken), and any other response — an HTTP error, JSON or an HTML page
 * with 200 — goes through its own error path unchanged. When the response cannot be taken (a hook
 * registered after ours, which must see the real response; an SDK that keeps its hooks elsewhere)
 * nothing changes and the adapter reads the SDK's stream.
 */

const CALL_HEADER = "x-ai-failover-attempt";

export interface CallHookOptions {
  /** Swap the SDK's request for one that follows `signal` and hold it (a user's client). */
  hold: boolean;
  /** Take the raw response of an event stream (a `stream()` call). */
  takeStream: boolean;
}

/** One attempt's SDK call, as the hooks see it. */
export interface HookedCall {
  /** Send with the SDK call: how the hooks find this attempt. */
  readonly header: Record<string, string>;
  /** The event-stream response taken from the SDK, once (undefined when none was taken). */
  takeResponse(): Response | undefined;
  /**
   * Ends the registration when the attempt ends (its abort, if any, has reached the socket by then:
   * abort listeners run synchronously). A response taken but never claimed is cancelled.
   */
  release(): void;
}

interface CallState {
  signal: AbortSignal;
  options: CallHookOptions;
  requests: Request[];
  response: Response | undefined;
  released: boolean;
}

interface SdkHookContext {
  options?: { hooks?: { afterSuccessHooks?: readonly unknown[] } };
}

interface SdkHooks {
  registerBeforeRequestHook(hook: { beforeRequest(context: never, request: Request): unknown }): void;
  registerAfterSuccessHook(hook: { afterSuccess(context: never, response: Response): unknown }): void;
}

const calls = new Map<string, CallState>();
/** The SDK's context object of a call (one per operation call) → its attempt. */
const contexts = new WeakMap<object, CallState>();
const hookedClients = new WeakSet<object>();
let sequence = 0;

/** The SDK's own match for an event stream (`M.sse(200)`): status 200, media type text/event-stream. */
const eventStreamType = /^\s*text\/event-stream\s*(;|$)/i;
const isEventStream = (response: Response): boolean =>
  response.status === 200 &&
  response.body !== null &&
  !response.bodyUsed &&
  eventStreamType.test(response.headers.get("content-type") ?? "");

const hooks = {
  beforeRequest(context: object, request: Request): Request {
    const id = request.headers.get(CALL_HEADER);
    if (id === null) return request;
    const call = calls.get(id);
    if (call) contexts.set(context, call);
    if (!call?.options.hold) {
      request.headers.delete(CALL_HEADER);
      return request;
    }
    const headers = new Headers(request.headers);
    headers.delete(CALL_HEADER);
    const held = new Request(request, { headers, signal: call.signal });
    call.requests.push(held);
    return held;
  },

  afterSuccess(context: object, response: Response): Response {
    const call = contexts.get(context);
    if (!call?.options.takeStream || call.released || call.response) return response;
    // A hook after ours would see the empty stand-in instead of the response: leave it to the SDK.
    const registered = (context as SdkHookContext).options?.hooks?.afterSuccessHooks;
    if (registered?.[registered.length - 1] !== hooks || !isEventStream(response)) return response;
    call.response = response;
    return new Response("", { status: 200, statusText: response.statusText, headers: response.headers });
  },
};

/** The SDK's hook registry of a client (`client._options.hooks`), when it is where SDK 2.x keeps it. */
const hooksOf = (client: object): SdkHooks | undefined => {
  const registry = (client as { _options?: { hooks?: unknown } })._options?.hooks as
    | Partial<SdkHooks>
    | undefined;
  return typeof registry?.registerBeforeRequestHook === "function" &&
    typeof registry.registerAfterSuccessHook === "function"
    ? (registry as SdkHooks)
    : undefined;
};

/** Installs the hooks on a client (once); false when the SDK does not expose its hooks. */
export const installCallHooks = (client: object): boolean => {
  if (hookedClients.has(client)) return true;
  const registry = hooksOf(client);
  if (!registry) return false;
  registry.registerBeforeRequestHook(hooks as never);
  registry.registerAfterSuccessHook(hooks as never);
  hookedClients.add(client);
  return true;
};

/** Registers an attempt's SDK call with the hooks (see `HookedCall`). */
export const registerCall = (signal: AbortSignal, options: CallHookOptions): HookedCall => {
  const id = String(++sequence);
  const call: CallState = { signal, options, requests: [], response: undefined, released: false };
  calls.set(id, call);
  return {
    header: { [CALL_HEADER]: id },
    takeResponse: () => {
      const { response } = call;
      call.response = undefined;
      return response;
    },
    release: () => {
      if (call.released) return;
      call.released = true;
      calls.delete(id);
      call.requests = [];
      const unclaimed = call.response;
      call.response = undefined;
      unclaimed?.body?.cancel().catch(() => {});
    },
  };
};

/** Attempts currently registered (for tests: nothing may stay registered after its attempt). */
export const registeredCallCount = (): number => calls.size;
