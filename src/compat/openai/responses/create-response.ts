import type { FailoverClient, FailoverRequest } from "../../../engine/create-client.js";
import { InvalidRequestError } from "../../../errors/invalid-request-error.js";
import type { ChatStreamEvent } from "../../../spec/chat.js";
import type { TextPart } from "../../../spec/request.js";
import { type DropInCore, normalizeHeaders } from "../create-chat-completion.js";
import { FailoverAPIPromise } from "../failover-api-promise.js";
import { attachFailoverInfo, type FailoverInfo } from "../failover-info.js";
import { FailoverStream, StreamCancellation } from "../failover-stream.js";
import { nameIssuesAsParams, responsesRenames } from "../name-issues-as-params.js";
import type { OpenAIRequestOptions } from "../wire-types.js";
import { collectInputTexts } from "./collect-input-texts.js";
import { isRecord } from "./convert-responses-input.js";
import {
  type ConvertedResponsesParams,
  convertResponsesParams,
  primaryBody,
} from "./convert-responses-params.js";
import { convertToResponse, outputTextOf } from "./convert-to-response.js";
import { ResponseEventWriter } from "./response-event-writer.js";
import { attachResponsesCall, type ResponsesCall, type ResponsesTape } from "./responses-call.js";
import type { ResponsesParams, ResponsesStreamEvent } from "./responses-wire-types.js";
import { synthesizeResponsesResponse } from "./synthesize-responses-response.js";

/** What every wrapped client shares for Responses calls, besides the chat core. */
export interface ResponsesCore extends DropInCore {
  /** `withFailover`'s `stateful` option. */
  stateful: "primary-only" | "error";
}

/** Request options key through which the wrapped `responses.stream()` learns the call's info. */
export const infoSinkKey = Symbol("ai-failover.responses-info-sink");

type Create = (params: ResponsesParams, options?: unknown) => unknown;

/** Where a request goes, decided before anything is sent. */
type Route =
  | { kind: "failover" }
  | { kind: "primary-only"; reasons: string[] }
  | { kind: "direct" }
  | { kind: "refuse"; issues: string[] };

/**
 * Where a request goes: anything `invalid` is refused; a request that needs OpenAI's state or
 * hosted tools goes to the primary alone (`stateful: "primary-only"`) or is refused
 * (`"error"`) — its untranslatable parts do not matter then, no fallback would see them; a request
 * with untranslatable parts follows `unsupported`; everything else fails over.
 */
const routeOf = (converted: ConvertedResponsesParams, core: ResponsesCore): Route => {
  if (converted.invalid.length > 0) return { kind: "refuse", issues: converted.invalid };
  if (converted.primaryOnly.length > 0) {
    if (core.stateful === "primary-only") return { kind: "primary-only", reasons: converted.primaryOnly };
    return {
      kind: "refuse",
      issues: [
        ...converted.primaryOnly.map(
          (reason) => `${reason}; no other provider can serve it (stateful: "error")`,
        ),
        ...converted.issues,
      ],
    };
  }
  if (converted.issues.length === 0) return { kind: "failover" };
  return core.unsupported === "primary-only"
    ? { kind: "direct" }
    : { kind: "refuse", issues: converted.issues };
};

/**
 * `responses.create` under failover, for one wrapped client (`client` is the SDK client the
 * primary uses for these calls; `direct` is its own, unwrapped `create`).
 */
export const createResponseHandler =
  (core: ResponsesCore, client: object, direct: Create) =>
  (params: ResponsesParams, requestOptions?: unknown): unknown => {
    const converted = convertResponsesParams(params, { primaryName: core.primaryName, models: core.models });
    const route = routeOf(converted, core);
    if (route.kind === "direct") return direct(params, withoutInfoSink(requestOptions));
    let signal: AbortSignal | undefined;
    const data = (async () => {
      if (route.kind === "refuse") throw new InvalidRequestError(route.issues);
      // The SDK accepts request options as a promise too.
      const options = ((await requestOptions) ?? {}) as OpenAIRequestOptions;
      signal = options.signal ?? undefined;
      captureResponseParser(options, params);
      const primaryOnly = route.kind === "primary-only";
      // A primary-only request is never translated: the engine only needs a valid placeholder,
      // holding the request's texts so that an echo of them in OpenAI's error is scrubbed.
      const request: FailoverRequest = primaryOnly
        ? {
            messages: [{ role: "user", content: primaryOnlyContent(params) }],
            models: converted.request.models ?? {},
          }
        : converted.request;
      const call: ResponsesCall = {
        client,
        body: primaryBody(params),
        stream: converted.stream,
        messages: request.messages,
        progressIsContent: primaryOnly,
        tapes: [],
      };
      const headers = normalizeHeaders(options.headers);
      if (headers) call.headers = headers;
      if (typeof options.timeout === "number" && options.timeout > 0) call.timeoutMs = options.timeout;
      request.providerOptions = { [core.primaryName]: attachResponsesCall({}, call) };
      const info: FailoverInfo = { provider: "", model: "", attempts: [], failedOver: false };
      if (primaryOnly) info.primaryOnly = route.reasons;
      const sink = (options as Record<symbol, unknown>)[infoSinkKey];
      if (typeof sink === "function") sink(info);
      if (primaryOnly) request.providers = [core.primaryName];
      const engine = core.engine;
      if (!converted.stream) return createJson(core, engine, request, signal, params, info);
      return createStream(core, engine, request, signal, params, call, info);
    })().catch((error: unknown) => {
      throw core.mapError(nameIssuesAsParams(error, params, responsesRenames), signal);
    });
    return new FailoverAPIPromise(data, synthesizeResponsesResponse);
  };

const primaryOnlyContent = (params: ResponsesParams): TextPart[] | string => {
  const texts = collectInputTexts(params);
  return texts.length > 0 ? texts : "";
};

/** The request options without the drop-in's own key (the SDK never sees it). */
const withoutInfoSink = (options: unknown): unknown => {
  if (!isRecord(options) || !(infoSinkKey in options)) return options;
  const { [infoSinkKey]: _sink, ...rest } = options as Record<string | symbol, unknown>;
  return rest;
};

/**
 * openai 7's `responses.parse()` and `responses.stream()` learn the text format to parse with from
 * the prepared request (`__metadata.captureResponseParser`), which the SDK calls before sending:
 * the drop-in sends nothing itself, so it reports the app's params the same way.
 */
const captureResponseParser = (options: OpenAIRequestOptions, params: ResponsesParams): void => {
  const metadata = isRecord(options.__metadata) ? options.__metadata : undefined;
  const capture = metadata?.captureResponseParser;
  if (typeof capture === "function") capture({ method: "post", path: "/responses", body: params });
};

const createJson = async (
  core: ResponsesCore,
  engine: FailoverClient,
  request: FailoverRequest,
  signal: AbortSignal | undefined,
  params: ResponsesParams,
  info: FailoverInfo,
) => {
  const result = await engine.chat(signal ? { ...request, signal } : request);
  const fromPrimary = result.provider === core.primaryName;
  // The primary's own response object, untouched (with `output_text`, as the SDK adds it).
  const response =
    fromPrimary &&
    isRecord(result.raw) &&
    result.raw.object === "response" &&
    Array.isArray(result.raw.output)
      ? Object.assign(result.raw, {
          output_text:
            typeof result.raw.output_text === "string"
              ? result.raw.output_text
              : outputTextOf(result.raw.output),
        })
      : convertToResponse(result, params);
  Object.assign(info, {
    provider: result.provider,
    model: result.model,
    attempts: result.attempts,
    failedOver: !fromPrimary,
  });
  return attachFailoverInfo(response, info);
};

/**
 * Starts the engine stream and resolves once it has committed to a provider (its first event),
 * so that a call no provider can answer rejects `create()` itself, as with the SDK. The primary's
 * events are passed on exactly as OpenAI sent them; a fallback's answer is written as genuine
 * Responses events.
 */
const createStream = async (
  core: ResponsesCore,
  engine: FailoverClient,
  request: FailoverRequest,
  signal: AbortSignal | undefined,
  params: ResponsesParams,
  call: ResponsesCall,
  info: FailoverInfo,
) => {
  const engineStream = engine.stream(signal ? { ...request, signal } : request);
  const cancellation = new StreamCancellation(engineStream);
  const events = engineStream[Symbol.asyncIterator]();
  const observe = (event: ChatStreamEvent): void => {
    if (event.type !== "start" && event.type !== "finish") return;
    info.provider = event.provider;
    info.model = event.model;
    info.failedOver = event.provider !== core.primaryName;
  };
  const first = await events.next();
  if (!first.done) observe(first.value);
  const writer = new ResponseEventWriter(params);

  async function* items(): AsyncGenerator<ResponsesStreamEvent | Record<string, unknown>> {
    let pending: IteratorResult<ChatStreamEvent> | undefined = first;
    let finished = false;
    /** The primary's recorded events while it answers (only if it is the first to answer). */
    let tape: ResponsesTape | undefined;
    let started = false;
    const passOn = function* () {
      for (const event of tape?.drain() ?? []) {
        writer.observe(event);
        yield event;
      }
    };
    try {
      for (;;) {
        const step: IteratorResult<ChatStreamEvent> = pending ?? (await events.next());
        pending = undefined;
        if (step.done) break;
        const event = step.value;
        observe(event);
        if (event.type === "start") {
          // The primary's own events, when it streamed them; a provider that continues a broken
          // stream writes into the same response.
          const last = call.tapes.at(-1);
          tape = !started && event.provider === core.primaryName && last?.recorded ? last : undefined;
          started = true;
        }
        if (tape) yield* passOn();
        else yield* writer.write(event);
      }
      yield* passOn();
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

  return new FailoverStream(() => items(), cancellation.controllerOf, info);
};
