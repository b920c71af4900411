import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SseEvent, SseEventReader } from "../../../src/providers/shared/read-sse-events.js";

/** A body that delivers `pieces` one chunk at a time, as bytes. */
const bodyOf = (pieces: readonly (string | Uint8Array)[]): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      for (const piece of pieces)
        controller.enqueue(typeof piece === "string" ? new TextEncoder().encode(piece) : piece);
      controller.close();
    },
  });

const readAll = async (reader: SseEventReader): Promise<SseEvent[]> => {
  const events: SseEvent[] = [];
  for (let e = await reader.next(); e !== undefined; e = await reader.next()) events.push(e);
  return events;
};

const read = (...pieces: (string | Uint8Array)[]) => readAll(new SseEventReader(bodyOf(pieces)));

describe("SseEventReader", () => {
  it("reads data frames, named events, multi-line data; skips comments and other fields", async () => {
    expect(
      await read(
        ': keep-alive\n\ndata: {"a":1}\n\nevent: error\ndata: {"b":2}\n\ndata: one\ndata: two\nid: 7\nretry: 10\n\ndata:[DONE]\n\n',
      ),
    ).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: "error", data: '{"b":2}' },
      { event: undefined, data: "one\ntwo" },
      { event: undefined, data: "[DONE]" },
    ]);
  });

  it("accepts LF, CR and CRLF line ends, split across chunks", async () => {
    expect(await read("data: a\r", "\n\r", "\ndata: b\r\rdata: c\n", "\n")).toEqual([
      { event: undefined, data: "a" },
      { event: undefined, data: "b" },
      { event: undefined, data: "c" },
    ]);
  });

  it("decodes UTF-8 split inside a character", async () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo 👋"}\n\n');
    const cut = bytes.indexOf(0xf0) + 2;
    expect(await read(bytes.slice(0, 9), bytes.slice(9, cut), bytes.slice(cut))).toEqual([
      { event: undefined, data: '{"t":"héllo 👋"}' },
    ]);
  });

  it("drops a leading byte order mark, even split across chunks, and only the leading one", async () => {
    const bytes = new TextEncoder().encode("\uFEFFdata: a\n\ndata: \uFEFFb\n\n");
    expect(await read(bytes.slice(0, 1), bytes.slice(1, 2), bytes.slice(2))).toEqual([
      { event: undefined, data: "a" },
      { event: undefined, data: "\uFEFFb" },
    ]);
  });

  it("decodes any bytes, split anywhere, as a streaming TextDecoder does (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (payload, cuts) => {
          // Invalid sequences and characters cut at the end included: U+FFFD where TextDecoder puts one.
          const bytes = new Uint8Array([
            ...new TextEncoder().encode("data: "),
            ...payload.map((b) => (b === 10 || b === 13 ? 32 : b)),
            10,
            10,
          ]);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const pieces: Uint8Array[] = [];
          let start = 0;
          for (const p of [...points, bytes.length]) {
            pieces.push(bytes.slice(start, p));
            start = p;
          }
          const decoder = new TextDecoder();
          const expected =
            pieces.map((piece) => decoder.decode(piece, { stream: true })).join("") + decoder.decode();
          const events = await read(...pieces);
          expect(events.map((e) => e.data)).toEqual([expected.slice("data: ".length, -2)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("at the end: delivers an event whose lines arrived, drops a half line unless it is [DONE]", async () => {
    expect(await read('data: {"a":1}\n')).toEqual([{ event: undefined, data: '{"a":1}' }]);
    expect(await read('data: {"a":1}\n\ndata: {"b"')).toEqual([{ event: undefined, data: '{"a":1}' }]);
    expect(await read('data: {"a":1}\n\ndata: [DONE]')).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: undefined, data: "[DONE]" },
    ]);
  });

  it("reads an async-iterable body (node-fetch style)", async () => {
    async function* body() {
      yield "data: x\n";
      yield new TextEncoder().encode("\ndata: y\n\n");
    }
    expect(await readAll(new SseEventReader(body()))).toEqual([
      { event: undefined, data: "x" },
      { event: undefined, data: "y" },
    ]);
  });

  it("cancel() ends reading and releases the body", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("data: a\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    const reader = new SseEventReader(body);
    expect(await reader.next()).toEqual({ event: undefined, data: "a" });
    const pending = reader.next();
    reader.cancel();
    expect(await pending).toBeUndefined();
    expect(await reader.next()).toBeUndefined();
    expect(cancelled).toBe(true);
    expect(reader.cancelled).toBe(true);
  });

  it("gives the same events however the bytes are split (property)", async () => {
    const frame = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, "")),
      fc.constantFrom("[DONE]", '{"choices":[]}'),
    );
    const newline = fc.constantFrom("\n", "\r\n", "\r");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(frame, newline), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (frames, cuts) => {
          const text = frames.map(([data, nl]) => `data: ${data}${nl}${nl}`).join("");
          const bytes = new TextEncoder().encode(text);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const pieces: Uint8Array[] = [];
          let start = 0;
          for (const p of [...points, bytes.length]) {
            pieces.push(bytes.slice(start, p));
            start = p;
          }
          const events = await read(...pieces);
          expect(events.map((e) => e.data)).toEqual(frames.map(([data]) => data));
        },
      ),
      { numRuns: 200 },
    );
  });
});
