import type { FailoverClient } from "../../engine/create-client.js";
import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import { findHeaderIssues } from "../../internal/find-header-issues.js";
import { callerValueError } from "../../internal/read-caller-value.js";
import type { ChatRequest, ChatStreamEvent } from "../../spec/chat.js";
import { type ConvertedParams, convertOpenAIParams } from "./convert-openai-params.js";
import { convertToChatCompletion, isChatCompletionBody } from "./convert-to-chat-completion.js";
import { ChatCompletionChunkConverter } from "./convert-to-chat-completion-chunks.js";
import { FailoverAPIPromise } from "./failover-api-promise.js";
import { attachFailoverInfo, type FailoverInfo, getFailoverInfo } from "./failover-info.js";
import { FailoverStream, StreamCancellation } from "./failover-stream.js";
import { nameIssuesAsParams } from "./name-issues-as-params.js";
import { attachPrimaryCallContext, type PrimaryCallContext } from "./primary-adapter.js";
import type { OpenAIChatCompletionChunk, OpenAIChatParams, OpenAIRequestOptions } from "./wire-types.js";

/** What every wrapped client (the original and its `withOptions()` clones) shares. */
export interface DropInCore {
  engine: FailoverClient;
  primaryName: string;
  models: Record<string, Record<string, string>> | undefined;
  unsupported: "error" | "primary-only";
  /**
   * Turns a failure into what the app sees (identity, or the SDK's own error classes); `signal`, the
   * call's own, tells the caller's abort apart (the SDK's `APIUserAbortError`).
   */
  mapError: (error: unknown, signal?: AbortSignal) => unknown;
}

type Create = (params: OpenAIChatParams, options?: unknown) => unknown;

/**
 * `chat.completions.create` under failover, for one wrapped client (`client` is the SDK client the
 * primary uses for these calls; `direct` is its own, unwrapped `create`).
 */
export const createChatCompletionHandler =
  (core: DropInCore, client: object, direct: Create) =>
  (params: OpenAIChatParams, requestOptions?: unknown): unknown => {
    let converted: ConvertedParams;
    try {
      converted = convertOpenAIParams(params, { primaryName: core.primaryName, models: core.models });
    } catch (error) {
      // Params that cannot even be read (a getter that throws…): the caller's request error.
      const invalid = callerValueError(
        error,
        (kind) => new InvalidRequestError([`params: cannot be read (${kind})`]),
      );
      return new FailoverAPIPromise(Promise.reject(core.mapError(invalid)), synthesizeResponse);
    }
    if (converted.issues.length > 0 && core.unsupported === "primary-only")
      return direct(params, requestOptions);
    let signal: AbortSignal | undefined;
    const data = (async () => {
      if (converted.issues.length > 0) throw new InvalidRequestError(converted.issues);
      // The SDK accepts request options as a promise too.
      const options = ((await requestOptions) ?? {}) as OpenAIRequestOptions;
      signal = options.signal ?? undefined;
      const call: PrimaryCallContext = { client, messages: converted.request.messages };
      const headers = normalizeHeaders(options.headers);
      if (headers) call.headers = headers;
      if (typeof options.timeout === "number" && options.timeout > 0) call.timeoutMs = options.timeout;
      const request = converted.request;
      attachPrimaryCallContext(request.providerOptions![core.primaryName]!, call);
      if (!converted.stream) return chat(core, request, signal);
      return stream(core, request, signal, converted.includeUsage, params.model);
    })().catch((error: unknown) => {
      throw core.mapError(nameIssuesAsParams(error, params as Record<string, unknown>), signal);
    });
    return new FailoverAPIPromise(data, synthesizeResponse);
  };

const chat = async (core: DropInCore, request: ChatRequest, signal: AbortSignal | undefined) => {
  const result = await core.engine.chat(signal ? { ...request, signal } : request);
  // The primary answered over JSON: its untouched body, nothing lost. Otherwise a genuine ChatCompletion.
  const fromPrimary = result.provider === core.primaryName;
  const completion =
    fromPrimary && isChatCompletionBody(result.raw)
      ? result.raw
      : convertToChatCompletion(result, fromPrimary);
  return attachFailoverInfo(completion, {
    provider: result.provider,
    model: result.model,
    attempts: result.attempts,
    failedOver: !fromPrimary,
  });
};

/**
 * Starts the engine stream and resolves once it has committed to a provider (its first event), so
 * that, as with the SDK, a call no provider can answer rejects `create()` itself rather than the
 * first read, and `getFailoverInfo(stream)` names the provider from the start.
 */
const stream = async (
  core: DropInCore,
  request: ChatRequest,
  signal: AbortSignal | undefined,
  includeUsage: boolean,
  requestedModel: string,
) => {
  const engineStream = core.engine.stream(signal ? { ...request, signal } : request);
  const cancellation = new StreamCancellation(engineStream);
  const events = engineStream[Symbol.asyncIterator]();
  const info: FailoverInfo = { provider: "", model: "", attempts: [], failedOver: false };
  const observe = (event: ChatStreamEvent): void => {
    if (event.type !== "start" && event.type !== "finish") return;
    info.provider = event.provider;
    info.model = event.model;
    info.failedOver = event.provider !== core.primaryName;
  };
  const first = await events.next();
  if (!first.done) observe(first.value);
  const converter = new ChatCompletionChunkConverter(includeUsage, requestedModel, core.primaryName);

  async function* chunks(): AsyncGenerator<OpenAIChatCompletionChunk> {
    let pending: IteratorResult<ChatStreamEvent> | undefined = first;
    let finished = false;
    try {
      for (;;) {
        const step: IteratorResult<ChatStreamEvent> = pending ?? (await events.next());
        pending = undefined;
        if (step.done) break;
        observe(step.value);
        // The wrapped client's last chunks (finish reason, usage) ride on the result (settled by now).
        const finishRaw = step.value.type === "finish" ? (await engineStream.result()).raw : undefined;
        for (const chunk of converter.convert(step.value, finishRaw)) yield chunk;
      }
      finished = true;
      info.attempts = (await engineStream.result()).attempts;
    } catch (error) {
      // `stream.controller.abort()`, or the app's own `signal`, ends the iteration quietly, as
      // the SDK's does (its stream's signal follows the app's).
      if (cancellation.cancelled || signal?.aborted) return;
      throw core.mapError(error);
    } finally {
      // Leaving the loop early cancels the call, as the SDK's does.
      if (!finished) {
        cancellation.leftEarly();
        await events.return?.(undefined);
      }
    }
  }

  return new FailoverStream(() => chunks(), cancellation.controllerOf, info);
};

/** The synthesized `Response` of `asResponse()` / `withResponse()` (see `FailoverAPIPromise`). */
const synthesizeResponse = (data: unknown, consume: boolean): Response => {
  const headers = new Headers({ "x-ai-failover-synthesized": "true" });
  const info = getFailoverInfo(data);
  if (info) {
    headers.set("x-ai-failover-provider", info.provider);
    headers.set("x-ai-failover-model", info.model);
    headers.set("x-ai-failover-attempts", String(info.attempts.length));
  }
  if (data instanceof FailoverStream) {
    headers.set("content-type", "text/event-stream");
    return new Response(consume ? data.toSSEReadableStream() : null, { status: 200, headers });
  }
  headers.set("content-type", "application/json");
  // The SDK's parsed bodies carry OpenAI's request id (non-enumerable): only the primary's have one.
  const requestId = (data as { _request_id?: unknown } | null)?._request_id;
  if (typeof requestId === "string") headers.set("x-request-id", requestId);
  return new Response(JSON.stringify(data), { status: 200, headers });
};

/** The SDK's `HeadersLike` (a `Headers`, tuples, or a record; `null` unsets) as a plain record. */
/**
 * The request's `headers` option as plain strings, or undefined when there are none. A header the
 * wire cannot carry (CR/LF in a value — how a header injection starts — or a name that is not an
 * HTTP token) is the caller's `InvalidRequestError`, raised before any provider is tried: it would
 * fail inside the SDK and count against the provider.
 */
export const normalizeHeaders = (headers: unknown): Record<string, string> | undefined => {
  if (headers == null || typeof headers !== "object") return undefined;
  const out: Record<string, string> = {};
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== "string" || value == null) return;
    out[name] = Array.isArray(value) ? value.map(String).join(", ") : String(value);
  };
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      add(name, value);
    });
  } else if (Array.isArray(headers)) {
    for (const entry of headers) add(entry?.[0], entry?.[1]);
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  const issues = findHeaderIssues(out, "options.headers");
  if (issues.length > 0) throw new InvalidRequestError(issues);
  return Object.keys(out).length > 0 ? out : undefined;
};
