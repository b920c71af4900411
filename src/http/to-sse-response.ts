import type { SSEOptions } from "./sse-options.js";
import { type ChatStreamSource, jsonHeaders, SSESession, sseHeaders } from "./sse-session.js";

/** "Client Closed Request" (nginx's code): the client left before the response began. */
const clientClosedRequest = 499;

/**
 * Streams `client.stream(...)` to the browser as server-sent events, as a Fetch-API `Response`:
 * for Hono, Next.js route handlers, Bun, Deno, Cloudflare Workers — any `(request) => Response` server.
 *
 * ```ts
 * app.post("/chat", async (c) => {
 *   const { messages } = await c.req.json();
 *   return toSSEResponse(llm.stream({ messages }), { signal: c.req.raw.signal });
 * });
 * ```
 *
 * Resolves once the stream commits to a provider (its first event), so that a failure before that
 * is a real status with a JSON body `{ error: { code, message } }`: 503 when every provider failed,
 * 422 when a provider refused the request, 400 for a request the engine refused (pass a function,
 * `() => llm.stream(...)`, to have that one answered instead of thrown), 500 otherwise. After that the
 * response is a 200 `text/event-stream` of `start`, `text`, `tool-call`, `finish` events — or an
 * `error` event with the partial text when the stream breaks. The events are described in
 * docs/recipes/http-streaming.md.
 *
 * When the client goes away the call is cancelled, provider request included: through the body's
 * cancellation once streaming, and through `options.signal` before that.
 */
export const toSSEResponse = async (
  source: ChatStreamSource,
  options: SSEOptions = {},
): Promise<Response> => {
  const session = new SSESession(source, options);
  const opening = await session.open();
  if (!opening.committed) {
    if ("cancelled" in opening) return new Response(null, { status: clientClosedRequest });
    return new Response(JSON.stringify({ error: opening.error }), {
      status: opening.status,
      headers: jsonHeaders(options.headers),
    });
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (opening.frames !== "") controller.enqueue(encoder.encode(opening.frames));
      },
      async pull(controller) {
        const text = await session.read();
        if (session.cancelled) {
          // The client went away (`options.signal`, or the body was cancelled: then this is a no-op).
          controller.error(new DOMException("The client disconnected.", "AbortError"));
          return;
        }
        if (text === undefined) controller.close();
        else controller.enqueue(encoder.encode(text));
      },
      cancel() {
        session.cancel();
      },
    },
    // Pull-based: the provider's stream is read only as fast as the client reads.
    { highWaterMark: 0 },
  );
  return new Response(body, { status: 200, headers: sseHeaders(options.headers) });
};
