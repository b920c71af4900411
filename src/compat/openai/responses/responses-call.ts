import type { Message } from "../../../spec/request.js";

/**
 * The events one attempt on the primary received, in order, for the drop-in to pass on untouched
 * when that attempt is the one that answers. `final` is the finished response.
 */
export class ResponsesTape {
  private readonly events: Record<string, unknown>[] = [];
  private read = 0;
  final: Record<string, unknown> | undefined;
  /** OpenAI's `x-request-id` of the attempt, kept on `final` as the SDK keeps it (`_request_id`). */
  requestId: string | undefined;

  /** Whether any event was recorded (an answer taken whole from a JSON body records none). */
  get recorded(): boolean {
    return this.events.length > 0;
  }

  push(event: Record<string, unknown>): void {
    this.events.push(event);
  }

  /** The events recorded since the last drain. */
  drain(): Record<string, unknown>[] {
    const out = this.events.slice(this.read);
    this.read = this.events.length;
    return out;
  }
}

/** One `responses.create` call, as the primary (and only the primary) sees it. */
export interface ResponsesCall {
  /** The OpenAI client to call: the wrapped one, or a clone made with `withOptions()`. */
  client: object;
  /** The app's own params (without `stream`): what the primary is sent. */
  body: Record<string, unknown>;
  /** Whether the app asked for a stream. */
  stream: boolean;
  /** The neutral messages `body` stands for; other messages (a continuation) replace its input. */
  messages: Message[];
  /** Headers from the call's request options (they may carry OpenAI credentials: primary only). */
  headers?: Record<string, string>;
  /** The call's `timeout` request option, in ms: caps the primary's attempts. */
  timeoutMs?: number;
  /** A call only the primary can serve: every output event counts as progress (see convertResponsesStream). */
  progressIsContent: boolean;
  /** One tape per streamed attempt on the primary, in order. */
  tapes: ResponsesTape[];
}

const responsesCallKey = Symbol("ai-failover.responses-call");

/**
 * Attaches a call's `ResponsesCall` to the (empty) body-fields object given as
 * `providerOptions[primary]`: the engine hands that object to the primary only, request validation
 * ignores a non-enumerable symbol, and it can never be serialized into any request body.
 */
export const attachResponsesCall = <T extends object>(carrier: T, call: ResponsesCall): T => {
  Object.defineProperty(carrier, responsesCallKey, { value: call, enumerable: false });
  return carrier;
};

/** The `ResponsesCall` riding on an attempt's `extra`, if this is a Responses call. */
export const getResponsesCall = (extra: unknown): ResponsesCall | undefined =>
  typeof extra === "object" && extra !== null
    ? ((extra as Record<symbol, ResponsesCall | undefined>)[responsesCallKey] ?? undefined)
    : undefined;
