import { AiFailoverError } from "../errors/ai-failover-error.js";
import { maxTimerMs } from "../internal/abortable-delay.js";
import type { SSEOptions } from "./sse-options.js";
import { formatSSEFrame } from "./sse-protocol.js";
import { type ChatStreamSource, jsonHeaders, SSESession, sseHeaders, tellApp } from "./sse-session.js";

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
  /** Closes the socket at once (Node's `res.destroy()`): for a client that stopped reading. */
  destroy?: (error?: Error) => unknown;
}

/**
 * Resolves true on `drain` or `close` (then nothing more will be written), false when neither came
 * within `timeoutMs`: the client is connected but stopped reading.
 */
const drained = (res: ServerResponseLike, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      res.off("drain", done);
      res.off("close", done);
      clearTimeout(timer);
      resolve(ok);
    };
    const done = (): void => finish(true);
    const timer = setTimeout(() => finish(false), timeoutMs);
    res.on("drain", done);
    res.on("close", done);
  });

/** What `pipeSSE` tells `onError` when the client stopped reading for `stalledClientMs`. */
export class ClientStalledError extends AiFailoverError {
  override name = "ClientStalledError";
  constructor(readonly stalledMs: number) {
    super(
      `the client read nothing for ${stalledMs} ms with its socket buffer full: the response was given up`,
    );
  }
}

/** `stalledClientMs` as a timer delay: positive, within the timer's range, 30 s when not a number. */
const stallLimit = (value: number | undefined): number =>
  value === undefined || !(value > 0) ? 30_000 : Math.min(value, maxTimerMs);

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
 * request included. Writing waits for `drain` when the client reads slowly, at most
 * `options.stalledClientMs` (30 s): a client connected but no longer reading is then given up
 * (call cancelled, socket destroyed, a `ClientStalledError` to `onError`). The promise resolves
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
  const stalledMs = stallLimit(options.stalledClientMs);
  let stalled = false;
  const write = async (text: string): Promise<void> => {
    if (text === "" || stalled) return;
    const ok = res.write(text);
    res.flush?.();
    if (!ok && !(await drained(res, stalledMs))) {
      stalled = true;
      ended = true;
      session.cancel();
      res.destroy?.();
      tellApp(options, new ClientStalledError(stalledMs));
    }
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
    while (!session.cancelled && !stalled) {
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
