import { getFailoverInfo } from "../failover-info.js";
import { FailoverStream } from "../failover-stream.js";

/**
 * The synthesized `Response` of `asResponse()` / `withResponse()` for a Responses call (see
 * `FailoverAPIPromise`): the response object as JSON, or the stream as server-sent events in the
 * Responses API's own framing (`event: <type>` then `data: <json>`, no `[DONE]`), which the SDK's
 * `Stream` reads back. Headers say who answered; `x-request-id` is OpenAI's own when the primary
 * answered with one.
 */
export const synthesizeResponsesResponse = (data: unknown, consume: boolean): Response => {
  const headers = new Headers({ "x-ai-failover-synthesized": "true" });
  const info = getFailoverInfo(data);
  if (info) {
    headers.set("x-ai-failover-provider", info.provider);
    headers.set("x-ai-failover-model", info.model);
    headers.set("x-ai-failover-attempts", String(info.attempts.length));
  }
  if (data instanceof FailoverStream) {
    headers.set("content-type", "text/event-stream");
    return new Response(consume ? toServerSentEvents(data) : null, { status: 200, headers });
  }
  headers.set("content-type", "application/json");
  // The primary's response carries OpenAI's request id (non-enumerable), as the SDK's parsed bodies do.
  const requestId = (data as { _request_id?: unknown } | null)?._request_id;
  if (typeof requestId === "string") headers.set("x-request-id", requestId);
  return new Response(JSON.stringify(data), { status: 200, headers });
};

const toServerSentEvents = (stream: FailoverStream<unknown>): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<unknown> | undefined;
  return new ReadableStream<Uint8Array>({
    start: () => {
      iterator = stream[Symbol.asyncIterator]();
    },
    pull: async (controller) => {
      try {
        const { value, done } = await iterator!.next();
        if (done) {
          controller.close();
          return;
        }
        const type = (value as { type?: unknown }).type;
        controller.enqueue(encoder.encode(`event: ${String(type)}\ndata: ${JSON.stringify(value)}\n\n`));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel: async () => {
      await iterator?.return?.();
    },
  });
};
