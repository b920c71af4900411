import { parseClientOptions } from "../../engine/client-options.js";
import { createClient, type FailoverClient } from "../../engine/create-client.js";
import { ConfigError } from "../../errors/config-error.js";
import { OpenAIChatAdapter, type OpenAIChatClient } from "../../providers/openai/index.js";
import type { OpenAILikeClient } from "../../providers/openai/openai-options.js";
import type { ProviderAdapter } from "../../spec/provider.js";
import { convertToOpenAIError } from "./convert-to-openai-error.js";
import { createChatCompletionHandler, type DropInCore } from "./create-chat-completion.js";
import { createEmbeddingHandler, type EmbeddingsCore } from "./embeddings/create-embedding.js";
import { EmbeddingsPrimaryAdapter } from "./embeddings/embeddings-primary-adapter.js";
import { resolveDropInEmbeddings } from "./embeddings/resolve-drop-in-embeddings.js";
import { PrimaryAdapter } from "./primary-adapter.js";
import type { ResponsesCore } from "./responses/create-response.js";
import { ResponsesPrimaryAdapter } from "./responses/responses-primary-adapter.js";
import { wrapResponses } from "./responses/wrap-responses.js";
import {
  findModelMappingIssues,
  parseWithFailoverOptions,
  type WithFailoverOptions,
  withFailoverPaths,
} from "./with-failover-options.js";

// The structural minimum of an openai-node client, shared with the `openai()` provider factory.
export type { OpenAILikeClient };

const engines = new WeakMap<object, FailoverClient>();

/** Chunk fields of the primary's streamed answers worth keeping in the completion it becomes. */
const primaryRawStreamFields = ["id", "created", "system_fingerprint", "service_tier"] as const;

/**
 * Wraps an OpenAI (or Azure OpenAI) client so that `chat.completions.create` fails over to other
 * providers, and returns it **typed as the same client**: app code does not change.
 *
 * ```ts
 * const openai = withFailover(new OpenAI(), {
 *   fallbacks: [anthropic({ client: new Anthropic(), model: "claude-sonnet-4-6" })],
 *   models: { "gpt-4.1": { anthropic: "claude-sonnet-4-6" } },
 * });
 * const completion = await openai.chat.completions.create({ model: "gpt-4.1", messages });
 * ```
 *
 * - `chat.completions.create` — non-streaming and `stream: true`, tools, `response_format` — runs
 *   through the failover engine. The wrapped client is the first provider (with the call's
 *   `model`); each fallback answers in genuine `ChatCompletion` / `ChatCompletionChunk` shape.
 *   Parameters only OpenAI knows (`seed`, `logprobs`, `user`, `metadata`, `store`…) reach OpenAI
 *   untouched and are not sent to fallbacks. The SDK's `chat.completions.parse()`, `.stream()` and
 *   `.runTools()` helpers call `create` and so fail over too.
 * - `responses.create` — non-streaming and `stream: true` — and the SDK's `responses.stream()` and
 *   `responses.parse()` helpers run through the same engine: OpenAI receives the app's own params
 *   and its response (or events) come back untouched; a fallback's answer is a genuine `Response`
 *   / Responses event stream. Requests that need what only OpenAI keeps or runs
 *   (`previous_response_id`, `conversation`, `background`, hosted tools…) go to OpenAI alone (see
 *   `stateful`). See `createResponseHandler`.
 * - `embeddings.create` fails over only within one vector space: the space's model (an Azure
 *   primary: `primary.embeddings.deployment`) at its length goes to the fallbacks that declare that
 *   space (their `embeddings` option; a fallback declaring another is a `ConfigError` here); any
 *   other call goes to OpenAI alone, with the reason in `getFailoverInfo(result).primaryOnly`.
 *   OpenAI's answer is the SDK's own; a fallback's a genuine `CreateEmbeddingResponse`. See
 *   `createEmbeddingHandler`.
 * - Request options: `signal` cancels the call; `headers` and `timeout` apply to OpenAI's attempts
 *   only; `maxRetries` is ignored (the engine is the one retry layer).
 * - Everything else (`files`, `responses.retrieve`, `chat.completions.retrieve`, `models`…)
 *   is the wrapped client's own, untouched. `withOptions()` returns a wrapped clone that shares this
 *   one's breakers and budgets.
 * - Which provider answered: {@link getFailoverInfo} on the completion or stream; the engine's
 *   events via {@link getFailoverClient}.
 * - An answer OpenAI itself gave is OpenAI's answer, field for field: the engine streams under the
 *   hood (to spot a black hole within `deadlines.headersMs`), and a non-streaming call gets the
 *   `ChatCompletion` OpenAI's JSON would have been — `logprobs`, `annotations`, `refusal`, usage
 *   with its token details, `system_fingerprint`, `service_tier`, its id — and a streaming call gets
 *   OpenAI's own chunks (the usage chunk only with `stream_options.include_usage`, as OpenAI sends
 *   it). A fallback's answer is a genuine `ChatCompletion` built from what that provider reports.
 * - `.withResponse()` / `.asResponse()` give a synthesized `Response` (see `FailoverAPIPromise`).
 * - Errors: a request the fallbacks cannot serve throws `InvalidRequestError` (see `unsupported`);
 *   when no provider can answer, `create()` rejects with `AllProvidersFailedError` (its
 *   `attempts` list every try), a non-retryable failure (a bad request) rejects with the
 *   `ProviderError` of the provider that refused it, and a stream that fails after its first chunk
 *   throws `StreamInterruptedError` from the iterator. These are `ai-failover` errors, not
 *   `OpenAI.APIError`s (each provider's own failure is a `ProviderError` in `cause`, never the
 *   SDK's error object); `errors: "openai"` rethrows them as the SDK's own classes instead.
 *
 * Throws `ConfigError` when the client or the options are invalid.
 */
export const withFailover = <C extends OpenAILikeClient>(client: C, options: WithFailoverOptions): C => {
  const {
    fallbacks,
    models,
    primary: primaryOptions = {},
    unsupported = "error",
    stateful = "primary-only",
    errors = "ai-failover",
    ...policy
  } = parseWithFailoverOptions(client, options);
  const isAzure = typeof (client as { apiVersion?: unknown }).apiVersion === "string";
  const deployment = (client as { deploymentName?: unknown }).deploymentName;
  // The adapter of the OpenAI family, built directly rather than through `openai()` / `azureOpenAI()`
  // so that streamed answers keep the completion's own id, timestamp and fingerprint (`rawStreamFields`).
  const createAdapter = (sdkClient: object): ProviderAdapter =>
    new OpenAIChatAdapter({
      kind: isAzure ? "azure-openai" : "openai",
      name: primaryOptions.name ?? (isAzure ? "azure-openai" : "openai"),
      // Every call names its model (`params.model`); this one only labels the provider.
      model: typeof deployment === "string" && deployment !== "" ? deployment : "per-call",
      domain: primaryOptions.domain ?? "openai",
      contextWindow: primaryOptions.contextWindow,
      extra: undefined,
      // The app's own `max_tokens` / `max_completion_tokens` reach the primary untouched anyway.
      maxTokensField: "max_completion_tokens",
      includeStreamUsage: true,
      client: () => Promise.resolve(sdkClient as OpenAIChatClient),
      rawStreamFields: primaryRawStreamFields,
      // OpenAI's answer field for field: its own chunks, and the completion its JSON would have been.
      keepRawChunks: true,
    });
  const embeddings = resolveDropInEmbeddings(primaryOptions, fallbacks);
  // One primary for every API: Responses calls reach `responses.create`, embedding calls
  // `embeddings.create`, chat calls the chat adapter.
  const primary = new EmbeddingsPrimaryAdapter(
    new ResponsesPrimaryAdapter(new PrimaryAdapter(client, createAdapter)),
    client,
    embeddings,
  );
  const primaryEntry = primaryOptions.policy ? { provider: primary, policy: primaryOptions.policy } : primary;
  // Requests only the primary can serve (stateful Responses requests) run on the same engine,
  // restricted per call to the primary (`providers`): one breaker for OpenAI, so an outage that
  // opened it for chat is not probed again by stateful calls.
  const engineOptions = { ...policy, providers: [primaryEntry, ...fallbacks] };
  // The engine's own checks (duplicate names, a fallback whose SDK or key is missing) and the model
  // mapping, named as the caller wrote them (`withFailover.fallbacks[0]`), before the engine exists.
  const { entries } = parseClientOptions(engineOptions, withFailoverPaths);
  const mappingIssues = findModelMappingIssues(
    models,
    entries.map((entry) => entry.provider.name),
  );
  if (mappingIssues.length > 0) throw new ConfigError(mappingIssues);
  const engine = createClient(engineOptions);
  // The SDK's error classes are statics of the client's class (`OpenAI.APIError`): no import needed.
  const errorClasses = (client as { constructor?: unknown }).constructor as Parameters<
    typeof convertToOpenAIError
  >[0];
  const mapError = (error: unknown, signal?: AbortSignal): unknown =>
    errors === "openai" ? convertToOpenAIError(errorClasses, error, signal) : error;
  return wrapClient(client, {
    engine,
    primaryName: primary.name,
    models,
    unsupported,
    stateful,
    mapError,
    embeddings: {
      primaryName: primary.name,
      space: embeddings.space,
      requestModel: embeddings.requestModel,
      fallbacks: embeddings.fallbacks,
    },
  });
};

/**
 * The failover engine behind a client returned by {@link withFailover}: subscribe to its events
 * (`onAttemptEnd`, `onFallback`, `onBreakerStateChange`…) or read `health()`. `undefined` for any
 * other value.
 */
export const getFailoverClient = (client: unknown): FailoverClient | undefined =>
  typeof client === "object" && client !== null ? engines.get(client) : undefined;

/**
 * A Proxy over the client: `chat` leads to a proxied `chat.completions` and `responses` to a
 * proxied `responses`, whose `create` are the failover ones; `withOptions()` wraps its clone with
 * the same engine; everything else is the client's own, with methods bound to the real client (the
 * SDK keeps private state that a Proxy receiver cannot reach).
 */
const wrapClient = <C extends object>(client: C, core: ResponsesCore & EmbeddingsCore): C => {
  let chat: object | undefined;
  let responses: object | undefined;
  let embeddingsResource: object | undefined;
  const proxy: C = new Proxy(client, {
    get(target, property) {
      if (property === "chat") {
        return (chat ??= wrapChat(Reflect.get(target, property, target) as object, proxy, core, target));
      }
      if (property === "responses") {
        const value = Reflect.get(target, property, target);
        if (typeof value !== "object" || value === null) return value;
        return (responses ??= wrapResponses(value, proxy, core, target));
      }
      if (property === "embeddings") {
        const value = Reflect.get(target, property, target);
        if (typeof value !== "object" || value === null) return value;
        return (embeddingsResource ??= wrapEmbeddings(value, proxy, core, target));
      }
      const value = Reflect.get(target, property, target);
      if (property === "withOptions" && typeof value === "function") {
        return (...args: unknown[]) => wrapClient(value.apply(target, args) as object, core);
      }
      return bindMethod(target, property, value);
    },
    set: (target, property, value) => Reflect.set(target, property, value, target),
  });
  engines.set(proxy, core.engine);
  return proxy;
};

const wrapChat = (chat: object, clientProxy: object, core: DropInCore, client: object): object => {
  let completions: object | undefined;
  return new Proxy(chat, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "completions")
        return (completions ??= wrapCompletions(value as object, clientProxy, core, client));
      return bindMethod(target, property, value);
    },
    set: (target, property, value) => Reflect.set(target, property, value, target),
  });
};

const wrapCompletions = (
  completions: object,
  clientProxy: object,
  core: DropInCore,
  client: object,
): object => {
  const direct = (completions as OpenAILikeClient["chat"]["completions"]).create.bind(completions);
  const create = createChatCompletionHandler(core, client, direct);
  return new Proxy(completions, {
    get(target, property) {
      if (property === "create") return create;
      // The SDK's helpers (`parse`, `stream`, `runTools`) call `this._client.chat.completions.create`:
      // pointing `_client` at the wrapped client makes them fail over too. So methods here are not
      // bound: `this` stays this proxy.
      if (property === "_client") return clientProxy;
      return Reflect.get(target, property, target);
    },
    set: (target, property, value) => Reflect.set(target, property, value, target),
  });
};

/** `client.embeddings` with the failover `create`; `_client` is the wrapped client, as for chat. */
const wrapEmbeddings = (
  embeddings: object,
  clientProxy: object,
  core: EmbeddingsCore,
  client: object,
): object => {
  const create = createEmbeddingHandler(core, client);
  return new Proxy(embeddings, {
    get(target, property) {
      if (property === "create") return create;
      if (property === "_client") return clientProxy;
      return bindMethod(target, property, Reflect.get(target, property, target));
    },
    set: (target, property, value) => Reflect.set(target, property, value, target),
  });
};

const boundMethods = new WeakMap<object, Map<PropertyKey, { fn: unknown; bound: unknown }>>();

/** `value` bound to `target` when it is a method, the same bound function on every read. */
const bindMethod = (target: object, property: PropertyKey, value: unknown): unknown => {
  if (typeof value !== "function" || property === "constructor") return value;
  let cache = boundMethods.get(target);
  if (!cache) boundMethods.set(target, (cache = new Map()));
  const hit = cache.get(property);
  if (hit && hit.fn === value) return hit.bound;
  const bound = (value as (...args: unknown[]) => unknown).bind(target);
  cache.set(property, { fn: value, bound });
  return bound;
};
