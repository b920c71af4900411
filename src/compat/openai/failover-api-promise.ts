import { attachFailoverInfo, getFailoverInfo } from "./failover-info.js";

/**
 * Builds the `Response` that `asResponse()` / `withResponse()` report for an answer. `consume`
 * says whether the body may read the answer (true for `asResponse()`, where the caller never sees
 * the parsed data; false for `withResponse()`, where the caller reads the data itself).
 */
export type ResponseSynthesizer<T> = (data: T, consume: boolean) => Response;

/**
 * What `chat.completions.create()` returns under `withFailover`: a `Promise` of the completion (or
 * stream) with the SDK's `APIPromise` helpers.
 *
 * `.withResponse()` and `.asResponse()` keep working, with a **synthesized** `Response`: the
 * answer may come from a provider that is not OpenAI, and even when OpenAI answered the engine
 * owns the HTTP exchange (it may have retried), so there is no single honest raw response to hand
 * back. The synthesized one is `200 OK`, its body is the completion as JSON (or, for a stream
 * passed to `asResponse()`, the chunks as server-sent events ending with `data: [DONE]`), and its
 * headers say what happened:
 * - `x-ai-failover-provider` / `x-ai-failover-model`: who answered;
 * - `x-ai-failover-attempts`: how many attempts the call took;
 * - `x-ai-failover-synthesized: true`: this is not a provider's raw response;
 * - `x-request-id`: OpenAI's own request id when OpenAI answered a JSON call; absent otherwise
 *   (a fallback answered, or a stream), so `withResponse().request_id` is then null.
 * Provider headers such as `x-ratelimit-remaining-requests` are not available through it.
 */
export class FailoverAPIPromise<T> extends Promise<T> {
  // `then()` on a subclass would construct another FailoverAPIPromise: use plain promises instead.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #data: Promise<T>;
  readonly #synthesize: ResponseSynthesizer<T>;

  constructor(data: Promise<T>, synthesize: ResponseSynthesizer<T>) {
    // Settled at once and never observed: `then`/`catch`/`finally` read `data` instead, so a
    // caller using only `withResponse()` leaves no unobserved rejection behind.
    super((resolve) => resolve(undefined as T));
    this.#data = data;
    this.#synthesize = synthesize;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass, as the SDK's APIPromise: `then` is the point.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#data.then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#data.catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#data.finally(onfinally);
  }

  /** A synthesized `Response` whose body is the answer (see the class doc). */
  asResponse(): Promise<Response> {
    return this.#data.then((data) => this.#synthesize(data, true));
  }

  /** The answer plus a synthesized `Response` (headers only) and `request_id` (see the class doc). */
  async withResponse(): Promise<{ data: T; response: Response; request_id: string | null }> {
    const data = await this.#data;
    const response = this.#synthesize(data, false);
    return { data, response, request_id: response.headers.get("x-request-id") };
  }

  /**
   * The SDK's own helpers (`chat.completions.parse()`) transform the answer with this. The
   * failover info is carried over to the transformed answer.
   * @internal
   */
  _thenUnwrap<U>(transform: (data: T, props: unknown) => U): FailoverAPIPromise<U> {
    const transformed = this.#data.then((data) => {
      const out = transform(data, { response: this.#synthesize(data, false), options: {} });
      const info = getFailoverInfo(data);
      if (info && typeof out === "object" && out !== null && !getFailoverInfo(out))
        attachFailoverInfo(out, info);
      return out;
    });
    const synthesize = this.#synthesize as unknown as ResponseSynthesizer<U>;
    return new FailoverAPIPromise(transformed, synthesize);
  }
}
