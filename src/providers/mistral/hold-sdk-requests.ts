/**
 * Keeps the `Request` a user's Mistral client sends alive for the whole attempt, so the attempt's
 * abort always reaches the socket.
 *
 * Why: the SDK sends a *clone* of its request (`_do` clones it before its `beforeRequest` hooks),
 * and in Node 22's undici a `Request`'s signal follows its parent signal only through a weak
 * reference to the request's own controller. Once the response headers are in, nothing holds the
 * clone: after a garbage collection the link is gone, and a body that never comes (a stalled JSON
 * reply) keeps the connection open after the engine gave up — seen on busy machines as requests
 * still open on the server long after the call settled. A client the adapter builds avoids this in
 * its fetcher (see `createMistralClient`); a user's client gets this hook instead: it swaps the
 * clone for a request that follows the attempt's signal directly and is held here until the
 * attempt ends. The hook finds its attempt by a header it removes before anything is sent.
 */

const HOLD_HEADER = "x-ai-failover-attempt";

interface Hold {
  signal: AbortSignal;
  requests: Request[];
}

interface BeforeRequestHook {
  beforeRequest(context: unknown, request: Request): Request | Promise<Request>;
}

interface SdkHooks {
  registerBeforeRequestHook(hook: BeforeRequestHook): void;
}

const holds = new Map<string, Hold>();
const hookedClients = new WeakSet<object>();
let sequence = 0;

const hold: BeforeRequestHook = {
  beforeRequest(_context, request) {
    const id = request.headers.get(HOLD_HEADER);
    if (id === null) return request;
    const headers = new Headers(request.headers);
    headers.delete(HOLD_HEADER);
    const entry = holds.get(id);
    const held = new Request(request, { headers, ...(entry ? { signal: entry.signal } : {}) });
    entry?.requests.push(held);
    return held;
  },
};

/** The SDK's hook registry of a client (`client._options.hooks`), when it is where SDK 2.x keeps it. */
const hooksOf = (client: object): SdkHooks | undefined => {
  const hooks = (client as { _options?: { hooks?: unknown } })._options?.hooks;
  return typeof (hooks as SdkHooks | undefined)?.registerBeforeRequestHook === "function"
    ? (hooks as SdkHooks)
    : undefined;
};

/** Installs the hook on a user's client (once); false when the SDK does not expose its hooks. */
export const installRequestHold = (client: object): boolean => {
  if (hookedClients.has(client)) return true;
  const hooks = hooksOf(client);
  if (!hooks) return false;
  hooks.registerBeforeRequestHook(hold);
  hookedClients.add(client);
  return true;
};

/**
 * Registers an attempt: send `header` with its SDK call; `release()` when the attempt ends (its
 * abort, if any, has reached the socket by then: abort listeners run synchronously).
 */
export const holdRequests = (signal: AbortSignal): { header: Record<string, string>; release(): void } => {
  const id = String(++sequence);
  holds.set(id, { signal, requests: [] });
  return { header: { [HOLD_HEADER]: id }, release: () => void holds.delete(id) };
};

/** Attempts currently registered (for tests: nothing may stay held after its attempt). */
export const heldAttemptCount = (): number => holds.size;
