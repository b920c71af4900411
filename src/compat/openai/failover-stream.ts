import { AiFailoverError } from "../../errors/ai-failover-error.js";
import { attachFailoverInfo, type FailoverInfo, getFailoverInfo } from "./failover-info.js";

/**
 * How a drop-in stream over an engine stream is cancelled, as the SDK's streams are:
 * `controllerOf` makes `stream.controller` when it is first asked for (most apps never do, and a
 * controller linked to the call would cost a listener in front of every request); aborting it
 * aborts the engine stream. `leftEarly()` cancels the call when the loop is left before the end.
 * Either way `cancelled` is true and the iteration ends quietly.
 */
export class StreamCancellation {
  cancelled = false;
  private controller: AbortController | undefined;

  constructor(private readonly engineStream: { abort(reason?: unknown): void }) {}

  readonly controllerOf = (): AbortController => {
    if (this.controller) return this.controller;
    const made = new AbortController();
    this.controller = made;
    // Asked for after the call was cancelled (a `break`): already aborted, as the SDK's would be.
    if (this.cancelled) made.abort();
    else made.signal.addEventListener("abort", () => this.cancel(made.signal.reason), { once: true });
    return made;
  };

  /** The loop was left before the end: its controller aborts (when made), and the call with it. */
  leftEarly(): void {
    if (this.controller) this.controller.abort();
    else this.cancel();
  }

  private cancel(reason?: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.engineStream.abort(reason);
  }
}

/**
 * What `chat.completions.create({ stream: true })` returns under `withFailover`: the same surface
 * as the SDK's `Stream<ChatCompletionChunk>` (it is typed as that).
 *
 * - `for await (const chunk of stream)` yields genuine `ChatCompletionChunk`s, once (use `tee()`
 *   for two readers); errors are thrown from the iterator, like the SDK's.
 * - `controller` is an `AbortController`: `controller.abort()` cancels the call (the in-flight
 *   attempt too) and ends the iteration quietly, like the SDK's. Leaving the loop early (`break`)
 *   also cancels it.
 * - `toReadableStream()` gives newline-delimited JSON bytes that the SDK's
 *   `Stream.fromReadableStream()` / `ChatCompletionStream.fromReadableStream()` read back.
 * - `tee()` splits it into two streams that share the controller.
 *
 * It is not an `instanceof` the SDK's `Stream` class (the SDK is an optional peer dependency and
 * is never imported at runtime).
 */
export class FailoverStream<Item> implements AsyncIterable<Item> {
  private consumed = false;

  /** @param controllerOf the stream's controller, made on first use (see `StreamCancellation`). */
  constructor(
    private readonly iterate: () => AsyncIterator<Item>,
    private readonly controllerOf: () => AbortController,
    info?: FailoverInfo,
  ) {
    if (info) attachFailoverInfo(this, info);
  }

  /** Aborting it cancels the call and every branch made with `tee()`. */
  get controller(): AbortController {
    return this.controllerOf();
  }

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    if (this.consumed) {
      throw new AiFailoverError("Cannot iterate over a consumed stream, use `.tee()` to split the stream.");
    }
    this.consumed = true;
    return this.iterate();
  }

  /** Two streams that each see every item, reading at their own pace; they share `controller`. */
  tee(): [FailoverStream<Item>, FailoverStream<Item>] {
    const source = this[Symbol.asyncIterator]();
    const queues: [Promise<IteratorResult<Item>>[], Promise<IteratorResult<Item>>[]] = [[], []];
    const closed = [false, false];
    const branch = (side: 0 | 1): (() => AsyncIterator<Item>) => {
      const own = queues[side];
      const other = queues[side === 0 ? 1 : 0];
      return () => ({
        next: () => {
          if (closed[side]) return Promise.resolve({ value: undefined, done: true });
          if (own.length === 0) {
            const result = source.next();
            own.push(result);
            if (!closed[side === 0 ? 1 : 0]) other.push(result);
          }
          return own.shift()!;
        },
        return: async () => {
          closed[side] = true;
          own.length = 0;
          if (closed[0] && closed[1]) await source.return?.();
          return { value: undefined, done: true };
        },
      });
    };
    const info = getFailoverInfo(this);
    return [
      new FailoverStream(branch(0), this.controllerOf, info),
      new FailoverStream(branch(1), this.controllerOf, info),
    ];
  }

  /**
   * Newline-delimited JSON of every item, as the SDK's `toReadableStream()` produces (send it to a
   * browser and read it back with `Stream.fromReadableStream`). Cancelling it cancels the call.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    return this.toByteStream((item) => `${JSON.stringify(item)}\n`);
  }

  /** @internal Server-sent events (`data: {…}` … `data: [DONE]`), for a synthesized `asResponse()`. */
  toSSEReadableStream(): ReadableStream<Uint8Array> {
    return this.toByteStream((item) => `data: ${JSON.stringify(item)}\n\n`, "data: [DONE]\n\n");
  }

  private toByteStream(encode: (item: Item) => string, trailer?: string): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let iterator: AsyncIterator<Item> | undefined;
    return new ReadableStream<Uint8Array>({
      start: () => {
        iterator = this[Symbol.asyncIterator]();
      },
      pull: async (controller) => {
        try {
          const { value, done } = await iterator!.next();
          if (done) {
            if (trailer) controller.enqueue(encoder.encode(trailer));
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(encode(value)));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: async () => {
        await iterator?.return?.();
      },
    });
  }
}
