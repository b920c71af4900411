import { AsyncLocalStorage } from "node:async_hooks";
import type { Mistral } from "@mistralai/mistralai";
import { ConfigError } from "../../errors/config-error.js";
import type { MistralProviderOptions } from "./mistral-options.js";

/**
 * The signal of the attempt whose SDK call is running (read by the fetcher of clients we build), in
 * a box that is emptied once the SDK call settles: every async resource created during the call
 * keeps the store for its whole life (a pooled keep-alive socket lives on long after the call), and
 * must not keep the attempt's signal, its abort reason and, through the reason's stack, the call.
 */
const attemptSignal = new AsyncLocalStorage<{ signal: AbortSignal | undefined }>();

/** Runs an SDK call so that a client built by `createMistralClient` fetches with `signal`. */
export const runWithAttemptSignal = <T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> => {
  const box: { signal: AbortSignal | undefined } = { signal };
  const release = (): void => {
    box.signal = undefined;
  };
  const pending = attemptSignal.run(box, call);
  pending.then(release, release);
  return pending;
};

/**
 * Builds a client from plain options, importing the ESM-only SDK lazily (the library must load
 * without it). SDK retries are off. A key given as a function is passed on wrapped, so `onKey`
 * learns each key it returns. Its fetcher passes the attempt's own signal to `fetch` in
 * `init`: the SDK's `Request` carries only a weakly linked copy of it (see `createAttemptSignal`),
 * so an abort would otherwise leave the socket of a black-holed call open.
 */
export const createMistralClient = async (
  options: MistralProviderOptions,
  /** Told every key an `apiKey` function returns (so errors can redact it). */
  onKey?: (key: string) => void,
): Promise<Mistral> => {
  const sdk = await importSdk();
  const { serverURL } = options;
  const given = options.apiKey;
  const apiKey =
    typeof given === "function" && onKey
      ? async (): Promise<string> => {
          const key = await given();
          if (typeof key === "string") onKey(key);
          return key;
        }
      : given;
  const userFetch = options.fetch;
  const fetcher = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = attemptSignal.getStore()?.signal;
    const merged = signal ? { ...init, signal } : init;
    return userFetch ? userFetch(input, merged) : globalThis.fetch(input, merged);
  };
  return new sdk.Mistral({
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(serverURL !== undefined ? { serverURL } : {}),
    httpClient: new sdk.HTTPClient({ fetcher }),
    retryConfig: { strategy: "none" },
  });
};

const importSdk = async (): Promise<typeof import("@mistralai/mistralai")> => {
  try {
    return await import("@mistralai/mistralai");
  } catch {
    throw new ConfigError([
      "mistral: the @mistralai/mistralai package is not installed (npm install @mistralai/mistralai)",
    ]);
  }
};

/**
 * The request fields the installed SDK knows (its zod schema drops the others), read from the
 * SDK's own schema; `undefined` when the SDK's internals are not as expected (then `extra` is not
 * checked). `stream` is left out: the adapter decides it.
 */
export const loadKnownRequestKeys = async (): Promise<ReadonlySet<string> | undefined> => {
  try {
    const components = await import("@mistralai/mistralai/models/components");
    const schema = components.ChatCompletionStreamRequest$outboundSchema as unknown as {
      in?: { shape?: Record<string, unknown> };
      shape?: Record<string, unknown>;
    };
    const shape = schema.in?.shape ?? schema.shape;
    if (!shape) return undefined;
    const keys = new Set(Object.keys(shape));
    keys.delete("stream");
    return keys;
  } catch {
    return undefined;
  }
};
