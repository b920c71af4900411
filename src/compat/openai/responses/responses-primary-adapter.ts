import { ProviderError } from "../../../errors/provider-error.js";
import { convertOpenAIError, type OpenAIErrorContext } from "../../../providers/openai/openai-error.js";
import { type SseBody, SseEventReader } from "../../../providers/shared/read-sse-events.js";
import { replayResponse } from "../../../providers/shared/replay-response.js";
import type { AttemptContext, ProviderAdapter, ProviderKind, VerifyCheck } from "../../../spec/provider.js";
import type { Message, ProviderRequest, ToolCall } from "../../../spec/request.js";
import type { ProviderResponse } from "../../../spec/result.js";
import type { StreamPart } from "../../../spec/stream.js";
import { convertResponseBody, convertResponsesStream } from "./convert-responses-stream.js";
import { getResponsesCall, type ResponsesCall, ResponsesTape } from "./responses-call.js";

/** The part of an openai-node client (`OpenAI` or `AzureOpenAI`, v6 or v7) this adapter calls. */
interface ResponsesClient {
  responses: {
    create(body: unknown, options?: unknown): PromiseLike<unknown> & { asResponse(): Promise<Response> };
  };
}

/** setTimeout's limit: a larger (or infinite) timeout would fire at once. */
const maxTimerMs = 2_147_483_647;

/**
 * The wrapped OpenAI (or Azure) client as the primary provider, for both APIs: a call that carries
 * a `ResponsesCall` is sent to `responses.create` with the app's own params — the same body the
 * app would have sent without the wrapper — and every other call goes to the chat primary it wraps.
 *
 * Responses calls stream under the hood (`stream: true`), as chat calls do, so a black hole is
 * found within `deadlines.headersMs`; the JSON answer the app asked for is the final response of
 * `response.completed`, which is the JSON body OpenAI would have sent. Two cases send the params
 * exactly as they are instead: `background: true` without a stream (it must return at once, while
 * OpenAI queues the work), and the `transport: "json"` policy. SDK retries are off (`maxRetries: 0`).
 */
export class ResponsesPrimaryAdapter implements ProviderAdapter {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly model: string;
  readonly domain: string;
  readonly contextWindow: number | undefined;

  constructor(private readonly chat: ProviderAdapter) {
    this.name = chat.name;
    this.kind = chat.kind;
    this.model = chat.model;
    this.domain = chat.domain;
    this.contextWindow = chat.contextWindow;
  }

  /** The wrapped client's check (one client serves both APIs). */
  verify(context: AttemptContext): Promise<VerifyCheck> {
    return this.chat.verify?.(context) ?? Promise.resolve({ skipped: "no check for this client" });
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const call = getResponsesCall(request.extra);
    if (!call) return this.chat.generate(request, context);
    if (!call.stream) return this.createJson(call, request, context);
    // The app asked for a stream, the policy for JSON: stream anyway (the app's params are sent as
    // they are) and hand the whole answer over at the end.
    return collect(await this.createStream(call, request, context), this.name, request.model);
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const call = getResponsesCall(request.extra);
    if (!call) return this.chat.stream(request, context);
    if (!call.stream && call.body.background === true)
      return replayResponse(await this.createJson(call, request, context));
    return this.createStream(call, request, context);
  }

  private async createJson(
    call: ResponsesCall,
    request: ProviderRequest,
    context: AttemptContext,
  ): Promise<ProviderResponse> {
    const errorContext = this.errorContext(request, context);
    let body: unknown;
    try {
      body = await (call.client as ResponsesClient).responses.create(
        bodyFor(call, request),
        requestOptions(call, request, context),
      );
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    return convertResponseBody(body, errorContext);
  }

  private async createStream(
    call: ResponsesCall,
    request: ProviderRequest,
    context: AttemptContext,
  ): Promise<AsyncIterable<StreamPart>> {
    const errorContext = this.errorContext(request, context);
    let response: Response;
    try {
      response = await (call.client as ResponsesClient).responses
        .create({ ...bodyFor(call, request), stream: true }, requestOptions(call, request, context))
        .asResponse();
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    const tape = new ResponsesTape();
    call.tapes.push(tape);
    const contentType = response.headers.get("content-type") ?? "";
    if (response.body === null || /json/i.test(contentType)) {
      // A server that ignored `stream: true` (or a gateway's error object): take the body whole.
      let body: unknown;
      try {
        body = response.body === null ? undefined : await response.json();
      } catch (error) {
        throw convertOpenAIError(error, errorContext);
      }
      return replayResponse(convertResponseBody(body, errorContext));
    }
    if (/html/i.test(contentType)) {
      response.body.cancel().catch(() => {});
      throw new ProviderError({
        failureClass: "invalid_response",
        provider: this.name,
        model: request.model,
        message: "HTML page instead of an event stream",
      });
    }
    tape.requestId = response.headers.get("x-request-id") ?? undefined;
    const reader = new SseEventReader(response.body as SseBody);
    const parts = convertResponsesStream(() => reader.next(), tape, {
      ...errorContext,
      progressIsContent: call.progressIsContent,
    });
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => parts.next(),
        // Release the connection at once, even while a read is pending, then end the generator.
        return: async () => {
          reader.cancel();
          await parts.return(undefined);
          return { done: true, value: undefined };
        },
      }),
    };
  }

  private errorContext(request: ProviderRequest, context: AttemptContext): OpenAIErrorContext {
    return { provider: this.name, model: request.model, signal: context.signal };
  }
}

const requestOptions = (call: ResponsesCall, request: ProviderRequest, context: AttemptContext) => {
  const timeoutMs =
    call.timeoutMs !== undefined ? Math.min(call.timeoutMs, context.timeoutMs) : context.timeoutMs;
  const headers = request.headers || call.headers ? { ...request.headers, ...call.headers } : undefined;
  return {
    signal: context.signal,
    timeout: Math.min(Math.max(1, Math.ceil(timeoutMs)), maxTimerMs) || maxTimerMs,
    maxRetries: 0,
    ...(headers ? { headers } : {}),
  };
};

/**
 * The primary's body: the app's params, or — when the engine sends other messages than the app's
 * (continuing a stream another provider broke off) — the same params with those messages as input.
 */
const bodyFor = (call: ResponsesCall, request: ProviderRequest): Record<string, unknown> => {
  if (request.messages === call.messages) return call.body;
  const { instructions: _instructions, ...body } = call.body;
  return { ...body, input: request.messages.flatMap(toInputItems) };
};

/** One neutral message as Responses input items. */
const toInputItems = (message: Message): unknown[] => {
  switch (message.role) {
    case "system":
      return [{ role: "developer", content: message.content }];
    case "user":
      return [
        {
          role: "user",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part) =>
                  part.type === "text"
                    ? { type: "input_text", text: part.text }
                    : {
                        type: "input_image",
                        image_url: imageUrl(part.image, part.mediaType),
                        detail: "auto",
                      },
                ),
        },
      ];
    case "assistant":
      return [
        ...(message.content ? [{ role: "assistant", content: message.content }] : []),
        ...(message.toolCalls ?? []).map((call: ToolCall) => ({
          type: "function_call",
          call_id: call.id,
          name: call.name,
          arguments: call.rawArguments ?? JSON.stringify(call.arguments ?? {}),
        })),
      ];
    case "tool":
      return [{ type: "function_call_output", call_id: message.toolCallId, output: message.content }];
  }
};

const imageUrl = (image: string | URL | Uint8Array, mediaType: string | undefined): string => {
  if (typeof image === "string")
    return image.includes(":") ? image : `data:${mediaType ?? "image/png"};base64,${image}`;
  if (image instanceof URL) return image.href;
  return `data:${mediaType ?? "image/png"};base64,${Buffer.from(image).toString("base64")}`;
};

/** Reads a whole stream into one response (a stream is truncated if it ends without its finish). */
const collect = async (
  parts: AsyncIterable<StreamPart>,
  provider: string,
  model: string,
): Promise<ProviderResponse> => {
  let text = "";
  const toolCalls: ToolCall[] = [];
  for await (const part of parts) {
    if (part.type === "text") text += part.text;
    else if (part.type === "tool-call") toolCalls.push(part.toolCall);
    else if (part.type === "finish") {
      return {
        text,
        toolCalls,
        finishReason: part.finishReason,
        usage: part.usage,
        model: part.model || model,
        ...(part.id !== undefined ? { id: part.id } : {}),
        raw: part.raw,
      };
    }
  }
  throw new ProviderError({
    failureClass: "truncated",
    provider,
    model,
    message: "stream ended without its terminal event",
  });
};
