/** One server-sent event: its `event:` name (if any) and its joined `data:` lines. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** A response body as fetch (a web `ReadableStream`) or a Node-style fetch (an async iterable) gives it. */
export type SseBody = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const doneLine = /^data: ?\[DONE\]$/;

/**
 * Reads server-sent events from a response body, one `next()` at a time (no read-ahead beyond the
 * chunk in hand). Lines may end in LF, CR or CRLF, split anywhere across chunks; comments
 * (`: keep-alive`) are skipped.
 *
 * Why not the SDK's stream: openai-node hides whether `data: [DONE]` arrived — its iterator ends
 * the same way on `[DONE]` and on a connection closed early — and the `[DONE]` sentinel is the only
 * terminal event some OpenAI-compatible servers send (they never set `finish_reason`).
 *
 * At the end of the body an event whose lines all arrived is delivered even without its blank line;
 * a half-received last line is dropped (it is a cut, which the caller sees as a missing terminal
 * event) unless it is the `[DONE]` sentinel.
 */
export class SseEventReader {
  /** True once `cancel()` was called: the consumer stopped reading. */
  cancelled = false;
  private readonly decoder = new TextDecoder();
  private readonly read: () => Promise<IteratorResult<Uint8Array | string>>;
  private readonly release: () => unknown;
  private partial = "";
  private skipLineFeed = false;
  private eventName: string | undefined;
  private data: string | undefined;
  private queue: SseEvent[] = [];
  private head = 0;
  private ended = false;

  constructor(body: SseBody) {
    if (typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
      const reader = (body as ReadableStream<Uint8Array>).getReader();
      this.read = () => reader.read() as Promise<IteratorResult<Uint8Array>>;
      this.release = () => reader.cancel();
    } else {
      const iterator = (body as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
      this.read = () => iterator.next();
      this.release = () => iterator.return?.();
    }
  }

  /** The next event, or undefined at the end of the body (or after `cancel()`). */
  async next(): Promise<SseEvent | undefined> {
    while (this.head === this.queue.length) {
      if (this.ended) return undefined;
      this.queue = [];
      this.head = 0;
      const chunk = await this.read();
      if (this.cancelled) return undefined;
      if (chunk.done) {
        this.ended = true;
        this.flush();
      } else {
        const { value } = chunk;
        this.push(typeof value === "string" ? value : this.decoder.decode(value, { stream: true }));
      }
    }
    return this.queue[this.head++];
  }

  /** Stops reading and releases the body (closing the connection). Idempotent. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const wasEnded = this.ended;
    this.ended = true;
    if (wasEnded) return;
    try {
      Promise.resolve(this.release()).catch(() => {});
    } catch {
      // A body that cannot be cancelled is left to the garbage collector.
    }
  }

  private push(text: string): void {
    let start = 0;
    if (this.skipLineFeed) {
      this.skipLineFeed = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    const { length } = text;
    for (let i = start; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code !== LF && code !== CR) continue;
      const piece = text.slice(start, i);
      const line = this.partial === "" ? piece : this.partial + piece;
      this.partial = "";
      this.line(line);
      if (code === CR) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          this.skipLineFeed = true;
        }
      }
      start = i + 1;
    }
    if (start < length) this.partial += text.slice(start);
  }

  private flush(): void {
    const rest = this.partial + this.decoder.decode();
    this.partial = "";
    if (doneLine.test(rest)) this.line(rest);
    this.line("");
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data !== undefined) this.queue.push({ event: this.eventName, data: this.data });
      this.data = undefined;
      this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === COLON) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    if (field === "data") this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    else if (field === "event") this.eventName = value;
  }
}
