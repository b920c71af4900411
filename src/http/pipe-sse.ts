import type { SSEOptions } from "./sse-options.js";
import { formatSSEFrame } from "./sse-protocol.js";
import { type ChatStreamSource, jsonHeaders, SSESession, sseHeaders } from "./sse-session.js";

/**
 * The part of a Node `http.ServerResponse` that {@link pipeSSE} uses: node:http's `res`, Express's
 * `res`, Fastify's `reply.raw`, Koa's `ctx.res`. Structural, so no Node types are needed to use it.
 */
export interface ServerResponseLike {
  readonly headersSent: boolean;
  /** The socket is gone (Node's `res.destroyed`). */
  readonly destroyed?: boolean;
  readonly writableEnded?: boolean;
  writeHead(statusCode: number, headers: Record<string, string>): unknown;
  /** Returns `false` when the socket's buffer is full: writing resumes on `drain`. */
  write(chunk: string): boolean;
  end(chunk?: string): unknown;
  on(event: "close" | "drain", listener: () => void): unknown;
  off(event: "close" | "drain", listener: () => void): unknown;
  /** Added by the `compression` middleware: pushes what it buffered to the client. */
  flush?: () => void;
}

/** Resolves on `drain`, or on `close` (then nothing more will be written). */
const drained = (res: ServerResponseLike): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });

/**
 * Streams `client.stream(...)` to a Node `ServerResponse` as server-sent events: node:http,
 * Express (`res`), Fastify (`reply.raw`, after `reply.hijack()`), Koa (`ctx.res`).
 *
 * ```ts
 * app.post("/chat", express.json(), async (req, res) => {
 *   await pipeSSE(llm.stream({ messages: req.body.messages }), res);
 * });
 * ```
 *
 * Nothing is written until the stream commits to a provider (its first event), so that a failure
 * before that is a real status with a JSON body `{ error: { code, message } }`: 503 when every
 * provider failed, 422 when a provider refused the request, 400 for a request the engine refused
 * (pass a function, `() => llm.stream(...)`, to have that one answered instead of thrown), 500
 * otherwise. After that it writes a 200 `text/event-stream` of `start`, `text`, `tool-call`, `finish`
 * events — or an `error` event with the partial text when the stream breaks — and ends the response.
 * The events are described in docs/recipes/http-streaming.md.
 *
 * When the client goes away (the response closes before it ended) the call is cancelled, provider
 * request included. Writing waits for `drain` when the client reads slowly. The promise resolves
 * when the response is over, whatever happened (failures go to `options.onError`); it rejects only
 * if the response itself throws (e.g. an invalid header in `options.headers`).
 */
export const pipeSSE = async (
  source: ChatStreamSource,
  res: ServerResponseLike,
  options: SSEOptions = {},
): Promise<void> => {
  const session = new SSESession(source, options);
  let ended = false;
  const onClose = (): void => {
    if (!ended) session.cancel();
  };
  res.on("close", onClose);
  if (res.destroyed === true || res.writableEnded === true) session.cancel();
  const write = async (text: string): Promise<void> => {
    if (text === "") return;
    const ok = res.write(text);
    res.flush?.();
    if (!ok) await drained(res);
  };
  try {
    const opening = await session.open();
    if (!opening.committed) {
      if ("cancelled" in opening) return;
      ended = true;
      if (res.headersSent) {
        res.end(formatSSEFrame("error", opening.error));
      } else {
        res.writeHead(opening.status, jsonHeaders(options.headers));
        res.end(JSON.stringify({ error: opening.error }));
      }
      return;
    }
    if (!res.headersSent) res.writeHead(200, sseHeaders(options.headers));
    await write(opening.frames);
    while (!session.cancelled) {
      const text = await session.read();
      if (text === undefined || session.cancelled) break;
      await write(text);
    }
    if (!session.cancelled) {
      ended = true;
      res.end();
    }
  } catch (error) {
    // The response itself failed: stop the call rather than leave it streaming to nobody.
    session.cancel();
    throw error;
  } finally {
    res.off("close", onClose);
  }
};
