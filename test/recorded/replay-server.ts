/**
 * A raw `node:http` server that replays one fixture at a time, in one of three deliveries:
 *
 * - `json`: the fixture's JSON body, to a non-streaming request;
 * - `sse`: the fixture's SSE frames, one write per frame with a pause between them;
 * - `sse-fragmented`: the same frames with CRLF line endings, cut at awkward places (between every
 *   CR and its LF, inside every multi-byte UTF-8 character, right after each `data:` field name and
 *   every 23 bytes), one write per piece with a pause between them.
 *
 * It answers every POST (any path: OpenAI, Azure, Anthropic and Mistral SDKs all work) and records
 * what each request asked for, so a test can check the delivery it meant was the one served.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedFixture } from "./fixture.js";

export type Delivery = "json" | "sse" | "sse-fragmented";
export const deliveries: readonly Delivery[] = ["json", "sse", "sse-fragmented"];

/** The deliveries a fixture can be replayed in (it may be JSON-only or stream-only). */
export const deliveriesOf = (fixture: RecordedFixture): Delivery[] =>
  deliveries.filter((delivery) => (delivery === "json" ? fixture.json : fixture.sse) !== undefined);

export interface ServedRequest {
  method: string;
  path: string;
  /** The request body asked for a stream (`"stream": true`). */
  stream: boolean;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Serves `fixture` in `delivery` from now on (and forgets the requests served so far). */
  play(fixture: RecordedFixture, delivery: Delivery): void;
  /** The requests served since the last `play()`. */
  readonly served: readonly ServedRequest[];
  close(): Promise<void>;
}

const CR = 0x0d;
const LF = 0x0a;
const PAUSE_BETWEEN_FRAMES_MS = 2;
const PAUSE_BETWEEN_PIECES_MS = 1;
/** Longest piece of a fragmented stream, so every line is cut somewhere in its middle. */
const MAX_PIECE_BYTES = 23;

/** The frames as one byte string with every line ending turned into CRLF. */
export const toCrlfBytes = (frames: readonly string[]): Buffer =>
  Buffer.from(frames.join("").replace(/\r?\n/g, "\r\n"), "utf8");

/**
 * Cuts SSE bytes at awkward boundaries: between every CR and the LF after it, after the first byte
 * of every multi-byte UTF-8 character, right after every `data:` field name, and so that no piece
 * is longer than 23 bytes. The pieces concatenate to the input.
 */
export const fragmentBytes = (bytes: Buffer): Buffer[] => {
  const cuts = new Set<number>();
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === CR && bytes[i + 1] === LF) cuts.add(i + 1);
    // A UTF-8 lead byte of a 2-, 3- or 4-byte sequence: cut right after it.
    if (byte >= 0xc0 && byte < 0xf8) cuts.add(i + 1);
  }
  for (let at = bytes.indexOf("data:"); at !== -1; at = bytes.indexOf("data:", at + 1)) cuts.add(at + 5);
  const sorted = [...cuts].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of [...sorted, bytes.length]) {
    while (cut - start > MAX_PIECE_BYTES) {
      pieces.push(bytes.subarray(start, start + MAX_PIECE_BYTES));
      start += MAX_PIECE_BYTES;
    }
    if (cut > start) pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  return pieces;
};

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

const asksForStream = (body: string): boolean => {
  try {
    return (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
};

/** Writes `pieces` one at a time, pausing between them; stops quietly if the client went away. */
const writePieces = async (res: ServerResponse, pieces: readonly (string | Buffer)[], pauseMs: number) => {
  for (const piece of pieces) {
    if (res.destroyed) return;
    res.write(piece);
    await pause(pauseMs);
  }
  res.end();
};

export const startReplayServer = async (): Promise<ReplayServer> => {
  let current: { fixture: RecordedFixture; delivery: Delivery } | undefined;
  let served: ServedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const stream = asksForStream(await readBody(req));
    served.push({ method: req.method ?? "", path: req.url ?? "", stream });
    res.socket?.setNoDelay(true);
    if (req.method !== "POST" || current === undefined) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "no fixture is playing", type: "not_found" } }));
      return;
    }
    const { fixture, delivery } = current;
    if (delivery === "json") {
      if (!fixture.json) throw new Error(`${fixture.name} has no JSON body`);
      res.writeHead(fixture.json.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(fixture.json.body));
      return;
    }
    if (!fixture.sse) throw new Error(`${fixture.name} has no SSE frames`);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    if (delivery === "sse") await writePieces(res, fixture.sse, PAUSE_BETWEEN_FRAMES_MS);
    else await writePieces(res, fragmentBytes(toCrlfBytes(fixture.sse)), PAUSE_BETWEEN_PIECES_MS);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A fixture bug: make it loud on the client side too.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    play(fixture, delivery) {
      current = { fixture, delivery };
      served = [];
    },
    get served() {
      return served;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
};
