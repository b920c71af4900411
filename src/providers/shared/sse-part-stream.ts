import type { StreamPart } from "../../spec/stream.js";
import type { SseEvent } from "./read-sse-events.js";

export const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The read loop the adapters' part streams share: an iterator written by hand rather than an
 * async generator, so it waits once per network read (all the events a read completed are
 * converted at once, into `parts`) and its `return()` can release the connection at once, even
 * before the first `next()` or while a read is pending.
 *
 * `next()` delivers the parts in hand; then throws a recorded `failure` (after the parts before
 * it); then, once `closed`, is done; otherwise reads again. A provider's stream says what a read
 * is, how its events become parts, what the body's end means, what a read failure is, and how the
 * consumer's `return()` releases the body.
 */
export abstract class SsePartStream implements AsyncIterableIterator<StreamPart> {
  /** The parts the last read completed; `next()` delivers them from `head` on. */
  protected parts: StreamPart[] = [];
  private head = 0;
  /** No more reads: the body ended, the terminal event came, it failed, or the consumer stopped. */
  protected closed = false;
  /** A failure to throw once the parts before it were delivered. */
  protected failure: { error: unknown } | undefined;
  /** A `next()` is waiting on the network. */
  protected reading = false;

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StreamPart>> {
    while (this.head === this.parts.length) {
      if (this.failure) {
        const { error } = this.failure;
        this.failure = undefined;
        throw error;
      }
      if (this.closed) return this.done();
      this.parts = [];
      this.head = 0;
      let events: readonly SseEvent[] | undefined;
      this.reading = true;
      try {
        events = await this.read();
      } catch (error) {
        this.readFailed(error);
        continue;
      } finally {
        this.reading = false;
      }
      if (this.closed) continue; // return() while the read was pending
      if (events === undefined) this.end();
      else this.convert(events);
    }
    return { done: false, value: this.parts[this.head++]! };
  }

  abstract return(): Promise<IteratorResult<StreamPart>>;

  /** Forgets the parts not yet delivered and a failure not yet thrown: the consumer stopped. */
  protected drop(): void {
    this.parts = [];
    this.head = 0;
    this.failure = undefined;
  }

  /** What `next()` gives once closed and drained. */
  protected done(): IteratorReturnResult<undefined> {
    return DONE;
  }

  /** One read of the body: the events it completed (possibly none), undefined at its end. */
  protected abstract read(): Promise<readonly SseEvent[] | undefined>;
  /** A read threw (a reset, an abort, a deadline). */
  protected abstract readFailed(error: unknown): void;
  /** A read's events, as parts appended to `parts` (or a failure, or the terminal event). */
  protected abstract convert(events: readonly SseEvent[]): void;
  /** The body ended. */
  protected abstract end(): void;
}
