import { StringDecoder } from "node:string_decoder";

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
const BOM = 0xfeff;
const doneLine = /^data: ?\[DONE\]$/;

/**
 * Reads server-sent events from a response body, one read at a time (no read-ahead beyond the
 * chunk in hand): `nextBatch()` gives the events each read completed, `next()` one event at a
 * time. Lines may end in LF, CR or CRLF, split anywhere across chunks; comments (`: keep-alive`)
 * are skipped.
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
  /**
   * Node's UTF-8 decoder, which keeps a character split across chunks for the next one, as a
   * streaming `TextDecoder` does, at ~40 % of its cost per chunk (one call per network read).
   */
  private readonly decoder = new StringDecoder("utf8");
  /** Nothing decoded yet: a leading byte order mark is dropped (as `TextDecoder` and the SSE spec do). */
  private atStart = true;
  private readonly read: () => Promise<IteratorResult<Uint8Array | string>>;
  private readonly release: () => unknown;
  private partial = "";
  private skipLineFeed = false;
  private eventName: string | undefined;
  private data: string | undefined;
  /** Where completed events go while a chunk is parsed. */
  private out: SseEvent[] = [];
  /** What `next()` has left of the last batch. */
  private queue: readonly SseEvent[] = [];
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
      const batch = await this.nextBatch();
      if (batch === undefined) return undefined;
      this.queue = batch;
      this.head = 0;
    }
    return this.queue[this.head++];
  }

  /**
   * Reads once: the events that read completed (often one, possibly none), or undefined at the
   * end of the body (or after `cancel()`).
   */
  async nextBatch(): Promise<readonly SseEvent[] | undefined> {
    if (this.ended) return undefined;
    const chunk = await this.read();
    if (this.cancelled) return undefined;
    const out: SseEvent[] = [];
    this.out = out;
    if (chunk.done) {
      this.ended = true;
      this.flush();
    } else {
      const { value } = chunk;
      this.push(typeof value === "string" ? value : this.decode(value));
    }
    return out;
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

  private decode(bytes: Uint8Array): string {
    let text = this.decoder.write(bytes);
    if (this.atStart && text !== "") {
      this.atStart = false;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    return text;
  }

  private push(text: string): void {
    let start = 0;
    if (this.skipLineFeed) {
      this.skipLineFeed = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    const { length } = text;
    // Servers end lines with LF alone almost always: then the lines are found by indexOf.
    if (text.indexOf("\r", start) === -1) {
      for (let end = text.indexOf("\n", start); end !== -1; end = text.indexOf("\n", start)) {
        this.endLine(text.slice(start, end));
        start = end + 1;
      }
    } else {
      for (let i = start; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code !== LF && code !== CR) continue;
        this.endLine(text.slice(start, i));
        if (code === CR) {
          if (i + 1 < length) {
            if (text.charCodeAt(i + 1) === LF) i++;
          } else {
            this.skipLineFeed = true;
          }
        }
        start = i + 1;
      }
    }
    if (start < length) this.partial += text.slice(start);
  }

  /** A line ended: with what came before it in earlier chunks, if anything. */
  private endLine(piece: string): void {
    const line = this.partial === "" ? piece : this.partial + piece;
    this.partial = "";
    this.line(line);
  }

  private flush(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = "";
    if (doneLine.test(rest)) this.line(rest);
    this.line("");
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data !== undefined) this.out.push({ event: this.eventName, data: this.data });
      this.data = undefined;
      this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === COLON) return;
    // The common line first: `data: <payload>`.
    if (line.startsWith("data: ")) {
      const value = line.slice(6);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
      return;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    if (field === "data") this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    else if (field === "event") this.eventName = value;
  }
}
