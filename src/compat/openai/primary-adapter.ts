import { InvalidRequestError, isInvalidRequestError } from "../../errors/invalid-request-error.js";
import type { AttemptContext, ProviderAdapter, ProviderKind, VerifyCheck } from "../../spec/provider.js";
import type { ProviderRequest } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";

/** Per-call facts about the primary that only the primary may see. */
export interface PrimaryCallContext {
  /** The OpenAI client to call: the wrapped one, or a clone made with `withOptions()`. */
  client: object;
  /** Headers from the call's request options (they may carry OpenAI credentials: primary only). */
  headers?: Record<string, string>;
  /** The call's `timeout` request option, in ms: caps the primary's attempts. */
  timeoutMs?: number;
  /**
   * The neutral messages the app's own `messages` (in the body fields) stand for. When the engine
   * sends other messages (continuing an interrupted stream), the app's are dropped so the
   * engine's reach the primary.
   */
  messages?: unknown;
}

/** Each call's context, keyed by the body-fields object it was attached to. */
const primaryCalls = new WeakMap<object, PrimaryCallContext>();

/**
 * Attaches a call's `PrimaryCallContext` to the body fields given as `providerOptions[primary]`.
 * It is held beside the object (a WeakMap), not on it: the engine hands that very object to this
 * adapter only, it can never be copied or serialized into a request body, and the request stays a
 * plain object that the engine's hand check validates without falling back to the schema (a
 * symbol-keyed property sent every drop-in call through zod: ~5 % of a streamed call's CPU).
 */
export const attachPrimaryCallContext = <T extends object>(body: T, call: PrimaryCallContext): T => {
  primaryCalls.set(body, call);
  return body;
};

/**
 * The wrapped OpenAI client as a provider. It delegates to the OpenAI (or Azure) adapter built
 * around the call's client, so clones made with `withOptions()` share this provider's breaker,
 * cooling and budget state, and adds the call's own request options (headers, timeout) to the
 * primary's attempts only — never to a fallback's.
 */
export class PrimaryAdapter implements ProviderAdapter {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly model: string;
  readonly domain: string;
  readonly contextWindow: number | undefined;
  private readonly adapters = new WeakMap<object, ProviderAdapter>();

  constructor(
    private readonly defaultClient: object,
    private readonly createAdapter: (client: object) => ProviderAdapter,
  ) {
    const base = createAdapter(defaultClient);
    this.adapters.set(defaultClient, base);
    this.name = base.name;
    this.kind = base.kind;
    this.model = base.model;
    this.domain = base.domain;
    this.contextWindow = base.contextWindow;
  }

  /** The wrapped client's check: `GET /models` with its own key, base URL and headers. */
  verify(context: AttemptContext): Promise<VerifyCheck> {
    const adapter = this.adapterFor(this.defaultClient);
    return adapter.verify?.(context) ?? Promise.resolve({ skipped: "no check for this client" });
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const call = this.resolve(request, context);
    return call.adapter.generate(call.request, call.context);
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const call = this.resolve(request, context);
    return call.adapter.stream(call.request, call.context);
  }

  /**
   * The adapter, request and context for one call. Nothing has been sent yet: a call context that
   * cannot be read is the caller's request error, never a failure of OpenAI.
   */
  private resolve(request: ProviderRequest, context: AttemptContext) {
    try {
      return this.resolveCall(request, context);
    } catch (error) {
      if (isInvalidRequestError(error)) throw error;
      const kind = error instanceof Error ? error.name : typeof error;
      throw new InvalidRequestError([`request: the ${this.name} call options cannot be read (${kind})`]);
    }
  }

  private resolveCall(request: ProviderRequest, context: AttemptContext) {
    const call = request.extra === undefined ? undefined : primaryCalls.get(request.extra);
    if (!call) return { adapter: this.adapterFor(this.defaultClient), request, context };
    const out: ProviderRequest = { ...request };
    if (
      call.messages !== undefined &&
      request.messages !== call.messages &&
      request.extra &&
      "messages" in request.extra
    ) {
      const { messages: _appMessages, ...extra } = request.extra;
      out.extra = extra;
    }
    if (call.headers) out.headers = { ...request.headers, ...call.headers };
    const timeoutMs =
      call.timeoutMs !== undefined ? Math.min(call.timeoutMs, context.timeoutMs) : context.timeoutMs;
    return { adapter: this.adapterFor(call.client), request: out, context: { ...context, timeoutMs } };
  }

  private adapterFor(client: object): ProviderAdapter {
    let adapter = this.adapters.get(client);
    if (!adapter) {
      adapter = this.createAdapter(client);
      this.adapters.set(client, adapter);
    }
    return adapter;
  }
}
