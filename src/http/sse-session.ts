import { isThenable } from "../internal/is-thenable.js";
import type { ChatStream, ChatStreamEvent } from "../spec/chat.js";
import { defaultSSEErrorMessage, describeSSEError } from "./describe-sse-error.js";
import type { SSEOptions } from "./sse-options.js";
import { formatSSEFrame, keepAliveFrame, type SSEErrorData, toSSEFrame } from "./sse-protocol.js";

/** A `ChatStream`, or a function that starts one (so a request it refuses becomes a 400, not a throw). */
export type ChatStreamSource = ChatStream | (() => ChatStream);

/** How the response begins: the stream committed (frames to send), or it failed before that. */
export type SSEOpening =
  | { committed: true; frames: string }
  | { committed: false; status: number; error: SSEErrorData }
  | { committed: false; cancelled: true };

const noop = (): void => {};

/** The headers of an SSE response; `extra` wins. */
export const sseHeaders = (extra: Record<string, string> | undefined): Record<string, string> => ({
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform: compressing proxies (and `compression` middleware honouring it) must not buffer.
  "cache-control": "no-cache, no-transform",
  // nginx buffers proxied responses unless told not to.
  "x-accel-buffering": "no",
  ...extra,
});

/** The headers of a JSON error response; `extra` wins. */
export const jsonHeaders = (extra: Record<string, string> | undefined): Record<string, string> => ({
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  ...extra,
});

/**
 * Tells the app (`options.onError`) about a failure. Whatever the callback throws, or rejects with
 * when async, is ignored: the app's logger failing must not break the response or the process.
 */
export const tellApp = (options: SSEOptions, error: unknown): void => {
  try {
    const returned: unknown = options.onError?.(error);
    if (isThenable(returned)) returned.then(undefined, noop);
  } catch {
    // The app's logger failed: the client still gets its answer.
  }
};

/**
 * One client's view of one `ChatStream`, shared by the Fetch-API and Node writers: waits for the
 * stream to commit (so a failure before that can still be an HTTP status), then hands out frames
 * one read at a time — never throws, turns a failure after the commit into an `error` event, and
 * sends keep-alive comments while the stream is silent. `cancel()` aborts the call.
 */
export class SSESession {
  #iterator: AsyncIterator<ChatStreamEvent> | undefined;
  #stream: ChatStream | undefined;
  #pending: Promise<IteratorResult<ChatStreamEvent>> | undefined;
  #done = false;
  #cancelled = false;
  #sentText = "";
  readonly #options: SSEOptions;
  readonly #keepAliveMs: number;
  readonly #toolCallDeltas: boolean;
  #detachSignal: () => void = noop;

  constructor(source: ChatStreamSource, options: SSEOptions = {}) {
    this.#options = options;
    this.#keepAliveMs = options.keepAliveMs ?? 15_000;
    this.#toolCallDeltas = options.toolCallDeltas ?? false;
    try {
      this.#stream = typeof source === "function" ? source() : source;
      this.#iterator = this.#stream[Symbol.asyncIterator]();
    } catch (error) {
      this.#pending = Promise.reject(error);
      this.#pending.catch(noop);
    }
    const { signal } = options;
    if (signal) {
      const onAbort = (): void => this.cancel();
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        this.#detachSignal = () => signal.removeEventListener("abort", onAbort);
      }
    }
  }

  /** True once the client went away (`cancel()`): nothing more is worth writing. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Waits for the first event: the stream committed, or failed before sending anything. */
  async open(): Promise<SSEOpening> {
    let frames = "";
    try {
      // Events the protocol leaves out (tool-call deltas) do not decide the status: only a frame does.
      while (frames === "") {
        const next = await this.#next();
        if (next.done) {
          this.#finish();
          return { committed: true, frames };
        }
        frames = this.#frame(next.value);
      }
      return { committed: true, frames };
    } catch (error) {
      this.#finish();
      if (this.#cancelled) return { committed: false, cancelled: true };
      const { status, ...description } = describeSSEError(error);
      return {
        committed: false,
        status,
        error: { ...description, message: this.#report(error, description.code) },
      };
    }
  }

  /** The next text to write — frames or a keep-alive comment — or `undefined` at the end. Never throws. */
  async read(): Promise<string | undefined> {
    // Events the protocol leaves out (tool-call deltas) are silence to the client and its proxies too.
    const silentSince = Date.now();
    while (!this.#done) {
      try {
        const next = await this.#nextOrKeepAlive(silentSince);
        if (next === "keep-alive") return keepAliveFrame;
        if (next.done) {
          this.#finish();
          return undefined;
        }
        const frame = this.#frame(next.value);
        if (frame !== "") return frame;
      } catch (error) {
        this.#finish();
        if (this.#cancelled) return undefined;
        const { status: _status, ...description } = describeSSEError(error);
        return formatSSEFrame("error", {
          ...description,
          message: this.#report(error, description.code),
          partialText: this.#sentText,
        });
      }
    }
    return undefined;
  }

  /** The client went away: abort the call (the provider request is cancelled too). */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#detachSignal();
    if (!this.#done) this.#stream?.abort(new DOMException("The client disconnected.", "AbortError"));
    this.#done = true;
  }

  #next(): Promise<IteratorResult<ChatStreamEvent>> {
    if (this.#pending) {
      const pending = this.#pending;
      this.#pending = undefined;
      return pending;
    }
    return this.#iterator!.next();
  }

  /**
   * The next event, or "keep-alive" when none came within `keepAliveMs` of `silentSince` (the event
   * is then kept for the next read).
   */
  async #nextOrKeepAlive(silentSince: number): Promise<IteratorResult<ChatStreamEvent> | "keep-alive"> {
    const next = this.#next();
    if (this.#keepAliveMs <= 0) return next;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silence = new Promise<"keep-alive">((resolve) => {
      timer = setTimeout(
        () => resolve("keep-alive"),
        Math.max(0, silentSince + this.#keepAliveMs - Date.now()),
      );
    });
    try {
      const winner = await Promise.race([next, silence]);
      if (winner === "keep-alive") {
        this.#pending = next;
        // Observed later by the next read; if none comes (the client left), never an unhandled rejection.
        next.catch(noop);
      }
      return winner;
    } finally {
      clearTimeout(timer);
    }
  }

  #frame(event: ChatStreamEvent): string {
    if (event.type === "text") this.#sentText += event.text;
    return toSSEFrame(event, this.#toolCallDeltas);
  }

  #finish(): void {
    this.#done = true;
    this.#detachSignal();
  }

  /** Tells the app (`onError`) and picks the client's message; neither callback can break the stream. */
  #report(error: unknown, code: SSEErrorData["code"]): string {
    tellApp(this.#options, error);
    if (this.#options.getErrorMessage) {
      try {
        const message = this.#options.getErrorMessage(error);
        if (typeof message === "string") return message;
      } catch {
        // Fall back to the default message.
      }
    }
    return defaultSSEErrorMessage(code);
  }
}
