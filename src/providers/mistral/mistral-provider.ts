import type { Mistral } from "@mistralai/mistralai";
import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import {
  type EmbeddingCapability,
  type ProviderEmbedRequest,
  type ProviderEmbedResponse,
  spaceDimensions,
} from "../../spec/embed.js";
import type { AttemptContext, ProviderAdapter, VerifyCheck } from "../../spec/provider.js";
import type { ProviderRequest } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { parseProviderOptions } from "../provider-options.js";
import { acquireClient, secretsForCall } from "../shared/acquire-client.js";
import { buildRequestBody } from "../shared/build-request-body.js";
import {
  clientSecrets,
  collectKnownSecrets,
  credentialHeaderValues,
} from "../shared/collect-known-secrets.js";
import { createLazyClient } from "../shared/create-lazy-client.js";
import { createSetupCheck, hasHeader, readEnv } from "../shared/find-setup-issues.js";
import { SseEventReader } from "../shared/read-sse-events.js";
import { toSdkTimeout } from "../shared/to-sdk-timeout.js";
import { convertMistralEmbeddingResponse } from "./convert-mistral-embedding-response.js";
import { convertMistralResponse } from "./convert-mistral-response.js";
import { convertMistralSdkStream } from "./convert-mistral-sdk-stream.js";
import { convertMistralStream } from "./convert-mistral-stream.js";
import { convertToMistralRequest } from "./convert-to-mistral-request.js";
import { type AttemptSignal, createAttemptSignal } from "./create-attempt-signal.js";
import { createMistralClient, loadKnownRequestKeys, runWithAttemptSignal } from "./create-mistral-client.js";
import { installCallHooks, registerCall } from "./hook-sdk-calls.js";
import { convertMistralError, type MistralErrorContext } from "./mistral-error.js";
import { type MistralProviderOptions, mistralOptionsSchema } from "./mistral-options.js";

type RequestOptions = NonNullable<Parameters<Mistral["chat"]["complete"]>[1]>;

/** An attempt, and its SDK call as the hooks see it (see `hook-sdk-calls.ts`), when hooked. */
interface MistralAttempt extends AttemptSignal {
  /** The header by which the hooks find the call. */
  callHeader?: Record<string, string>;
  /** The raw event-stream response the hooks took, once. */
  takeResponse?: () => Response | undefined;
}

/**
 * A Mistral chat provider (`kind: "mistral"`) over the official `@mistralai/mistralai` SDK.
 *
 * @example
 * mistral({ model: "mistral-large-latest" })                      // key from MISTRAL_API_KEY
 * mistral({ client: new Mistral({ apiKey }), model: "mistral-small-latest" })
 */
export const mistral = (options: MistralProviderOptions): ProviderAdapter =>
  new MistralAdapter(parseProviderOptions(mistralOptionsSchema, options, "mistral"));

class MistralAdapter implements ProviderAdapter {
  readonly kind = "mistral" as const;
  readonly name: string;
  readonly model: string;
  readonly domain: string;
  readonly contextWindow: number | undefined;
  readonly embeddings: EmbeddingCapability | undefined;
  readonly #options: MistralProviderOptions;
  readonly #getSetup: () => Promise<{ client: Mistral; knownKeys: ReadonlySet<string> | undefined }>;
  /** The configured key and credential headers, then the client's own once it exists. */
  #secrets: readonly string[];
  #secretsRead = false;
  /** The setup issues of this provider (see `ProviderAdapter.findSetupIssues`). */
  readonly findSetupIssues: () => string[];

  constructor(options: MistralProviderOptions) {
    this.#options = options;
    this.name = options.name ?? "mistral";
    this.model = options.model;
    this.domain = options.domain ?? "mistral";
    this.contextWindow = options.contextWindow;
    this.embeddings = options.embeddings && {
      model: options.embeddings.model,
      dimensions: options.embeddings.dimensions,
      tokenInput: false,
    };
    this.#getSetup = createLazyClient("@mistralai/mistralai", async () => {
      const [client, knownKeys] = await Promise.all([
        // The options schema checked that a given client has the SDK's chat.complete and chat.stream.
        (options.client as Mistral | undefined) ?? createMistralClient(options, this.#learnKey),
        loadKnownRequestKeys(),
      ]);
      return { client, knownKeys };
    });
    this.#secrets = collectKnownSecrets(
      typeof options.apiKey === "string" ? options.apiKey : undefined,
      credentialHeaderValues(options.headers),
    );
    this.findSetupIssues = createSetupCheck(
      options.client
        ? undefined
        : {
            packageName: "@mistralai/mistralai",
            credentialIssues: () =>
              options.apiKey !== undefined ||
              readEnv("MISTRAL_API_KEY") !== undefined ||
              hasHeader(options.headers, ["authorization"])
                ? []
                : ["no API key: pass apiKey or set MISTRAL_API_KEY"],
          },
    );
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const { client, body } = await this.#prepare(request, context.signal);
    const errorContext = this.#errorContext(request, context.signal);
    const attempt = this.#createAttempt(client, context);
    try {
      const options = this.#requestOptions(request, attempt, context.timeoutMs);
      const response = await attempt.race(
        this.#run(attempt.signal, () => client.chat.complete(body, options)),
      );
      return convertMistralResponse(response, errorContext);
    } catch (error) {
      throw convertMistralError(error, errorContext);
    } finally {
      attempt.dispose();
    }
  }

  /**
   * The SDK sends the request (its auth, URL, headers, hooks, error handling); the events of a 200
   * event stream are read from the raw body (see `hook-sdk-calls.ts`), or from the SDK's own
   * stream when the raw response could not be taken.
   */
  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const { client, body } = await this.#prepare(request, context.signal);
    const errorContext = this.#errorContext(request, context.signal);
    const attempt = this.#createAttempt(client, context, true);
    try {
      const options = this.#requestOptions(request, attempt, context.timeoutMs);
      const events = await attempt.race(
        this.#run(attempt.signal, () => client.chat.stream(body, options)),
        // Headers came after we gave up: free the socket (`dispose` cancels a raw body not taken).
        (late) => void late.cancel().catch(() => {}),
      );
      const response = attempt.takeResponse?.();
      const streamContext = {
        ...errorContext,
        attemptSignal: attempt.signal,
        onClose: () => attempt.dispose(),
      };
      if (response?.body) {
        return convertMistralStream(new SseEventReader(response.body), {
          ...streamContext,
          onStop: () => attempt.stop(),
        });
      }
      let closed = false;
      const parts = convertMistralSdkStream(events, {
        ...streamContext,
        onClose: () => {
          closed = true;
          attempt.dispose();
        },
      });
      return closeOnReturn(parts, () => {
        // Once the parts have closed, the body was read to its end or already cancelled: aborting
        // then would only cost (an abort error, its propagation through the SDK's requests).
        if (closed) return;
        attempt.stop();
        if (!events.locked) void events.cancel().catch(() => {});
        attempt.dispose();
      });
    } catch (error) {
      attempt.dispose();
      throw convertMistralError(error, errorContext);
    }
  }

  /** `GET /v1/models/{model}`: the key and the model, the cheapest authenticated request. */
  async verify(context: AttemptContext): Promise<VerifyCheck> {
    const request: ProviderRequest = { model: this.model, messages: [] };
    const errorContext = this.#errorContext(request, context.signal);
    const { client } = await acquireClient(this.#getSetup, errorContext, this.kind);
    if (typeof (client as { models?: { retrieve?: unknown } }).models?.retrieve !== "function")
      return { skipped: "the client has no models API" };
    const attempt = this.#createAttempt(client, context);
    try {
      const options = this.#requestOptions(request, attempt, context.timeoutMs);
      await attempt.race(
        this.#run(attempt.signal, () => client.models.retrieve({ modelId: this.model }, options)),
      );
    } catch (error) {
      throw convertMistralError(error, errorContext);
    } finally {
      attempt.dispose();
    }
    return { request: `GET /v1/models/${this.model}` };
  }

  /**
   * The attempt's own signal (see `createAttemptSignal`), and the SDK hooks' part in it (see
   * `hook-sdk-calls.ts`): with a user's client the requests its SDK sends are held until the
   * attempt ends, so an abort always reaches the socket (a client the adapter built passes the
   * signal to fetch itself); a `stream()` call takes the raw event-stream response.
   */
  #createAttempt(client: Mistral, context: AttemptContext, takeStream = false): MistralAttempt {
    const attempt = createAttemptSignal(context.signal, context.timeoutMs);
    const hold = this.#options.client !== undefined;
    if ((!hold && !takeStream) || !installCallHooks(client)) return attempt;
    const call = registerCall(attempt.signal, { hold, takeStream });
    return {
      ...attempt,
      callHeader: call.header,
      takeResponse: call.takeResponse,
      dispose: () => {
        attempt.dispose();
        call.release();
      },
    };
  }

  /**
   * One embeddings request (`client.embeddings.create`) in the provider's space: its model, the
   * request's `dimensions` or the space's as `outputDimension`. Text only.
   */
  async embed(request: ProviderEmbedRequest, context: AttemptContext): Promise<ProviderEmbedResponse> {
    const settings = this.#options.embeddings;
    if (!settings)
      throw new InvalidRequestError([`${this.name}: no \`embeddings\` option: it takes no embedding calls`]);
    const body = buildRequestBody(this.name, () => {
      if (request.input.some((input) => typeof input !== "string"))
        throw new InvalidRequestError([`request.input: ${this.name} takes text only, not token arrays`]);
      return {
        model: settings.model,
        inputs: [...(request.input as readonly string[])],
        ...(request.dimensions !== undefined ? { outputDimension: request.dimensions } : {}),
        ...request.extra,
      };
    });
    const errorContext = this.#contextFor(settings.model, request.headers, context.signal);
    const { client } = await this.#setup(errorContext);
    const attempt = this.#createAttempt(client, context);
    try {
      const options = this.#requestOptions(request, attempt, context.timeoutMs);
      const response = await attempt.race(
        this.#run(attempt.signal, () => client.embeddings.create(body as never, options)),
      );
      // The length asked for, else the model's own when it is known: another length is another space.
      const expected = request.dimensions ?? spaceDimensions(this.embeddings!);
      return convertMistralEmbeddingResponse(response, errorContext, expected);
    } catch (error) {
      throw convertMistralError(error, errorContext);
    } finally {
      attempt.dispose();
    }
  }

  /**
   * Runs an SDK call. Only a client we built reads the attempt signal from the async context (see
   * `createMistralClient`): for a user's client the `AsyncLocalStorage` run is skipped, as it
   * would switch on Node's promise hooks, a cost on every promise of the process from then on.
   */
  #run<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    return this.#options.client ? call() : runWithAttemptSignal(signal, call);
  }

  #errorContext(request: ProviderRequest, signal: AbortSignal): MistralErrorContext {
    return this.#contextFor(request.model || this.model, request.headers, signal);
  }

  #contextFor(
    model: string,
    headers: Record<string, string> | undefined,
    signal: AbortSignal,
  ): MistralErrorContext {
    if (typeof this.#options.apiKey !== "function")
      return { provider: this.name, model, signal, secrets: secretsForCall(this.#secrets, headers) };
    // A key from a function is known once the client called it (see `#learnKey`): read the
    // secrets when an error asks for them, after the request went out.
    const provider = this;
    return {
      provider: this.name,
      model,
      signal,
      get secrets() {
        return secretsForCall(provider.#secrets, headers);
      },
    };
  }

  /** A key the client got from the `apiKey` function: kept out of errors as a configured one is. */
  readonly #learnKey = (key: string): void => {
    if (!this.#secrets.includes(key)) this.#secrets = collectKnownSecrets(this.#secrets, key);
  };

  /** The client (built on first use), with its own secrets added to the known ones. */
  async #setup(errorContext: MistralErrorContext) {
    const setup = await acquireClient(this.#getSetup, errorContext, this.kind);
    if (!this.#secretsRead) {
      this.#secretsRead = true;
      this.#secrets = collectKnownSecrets(this.#secrets, clientSecrets(setup.client));
    }
    return setup;
  }

  /** The client and the request body: nothing is sent yet, so a body that cannot be built is the caller's error. */
  async #prepare(request: ProviderRequest, signal: AbortSignal) {
    const { client, knownKeys } = await this.#setup(this.#errorContext(request, signal));
    const body = buildRequestBody(this.name, () =>
      convertToMistralRequest(request, this.#options.extra, knownKeys),
    );
    return { client, body };
  }

  /**
   * The SDK deliberately never retries: `retries: { strategy: "none" }` overrides a user client's
   * retryConfig. The SDK ignores `timeoutMs` once a signal is given: the attempt signal carries the
   * deadline (see `createAttemptSignal`).
   */
  #requestOptions(
    request: { headers?: Record<string, string> | undefined },
    attempt: MistralAttempt,
    timeoutMs: number,
  ): RequestOptions {
    const headers =
      this.#options.headers || request.headers || attempt.callHeader
        ? { ...this.#options.headers, ...request.headers, ...attempt.callHeader }
        : undefined;
    return {
      retries: { strategy: "none" },
      ...(Number.isFinite(timeoutMs) && timeoutMs > 0 ? { timeoutMs: toSdkTimeout(timeoutMs) } : {}),
      signal: attempt.signal,
      ...(headers ? { headers } : {}),
    };
  }
}

/**
 * The parts as an iterable whose `return()` stops the request at once: even before the first
 * `next()` (a generator that never started would skip its `finally`: an engine that drops a stream
 * it has not read, such as a hedging loser, must not leave the connection open), and even while a
 * `next()` is waiting on a stalled read (a generator's `return()` would queue behind it).
 */
const closeOnReturn = (
  parts: AsyncGenerator<StreamPart, void, undefined>,
  close: () => void,
): AsyncIterable<StreamPart> => ({
  [Symbol.asyncIterator]: () => ({
    next: () => parts.next(),
    return: () => {
      close();
      // The generator may end with the abort error: the consumer asked to stop, it is not theirs.
      return parts.return(undefined).catch(() => ({ done: true as const, value: undefined }));
    },
  }),
});
