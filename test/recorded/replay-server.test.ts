/** The replay server delivers what the recorded-traffic suite says it does. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DONE, data, defineFixture, event } from "./fixture.js";
import { fragmentBytes, type ReplayServer, startReplayServer, toCrlfBytes } from "./replay-server.js";

const frames = [
  data({ choices: [{ index: 0, delta: { content: "Café — 🌍 東京" } }] }),
  event("ping", { type: "ping" }),
  DONE,
];
const fixture = defineFixture({
  name: "replay-server-self-test",
  provider: "openai",
  model: "m",
  follows: ["(self-test)"],
  json: { status: 201, body: { hello: "wörld" } },
  sse: frames,
  expect: { outcome: "fell-over", failureClass: "server_error" },
});

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());

const post = (stream: boolean) =>
  fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", stream }),
  });

/** Every read the client makes, as bytes. */
const reads = async (response: Response): Promise<Buffer[]> => {
  const out: Buffer[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    out.push(Buffer.from(chunk));
  return out;
};

describe("fragmentBytes", () => {
  const bytes = toCrlfBytes(frames);
  const pieces = fragmentBytes(bytes);

  it("gives back every byte, in order", () => {
    expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
  });

  it("turns every line ending into CRLF", () => {
    const text = bytes.toString("utf8");
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(text).toContain("data: [DONE]\r\n\r\n");
  });

  it("cuts between CR and LF, inside multi-byte characters and inside lines", () => {
    const ends = pieces.slice(0, -1);
    expect(ends.some((piece, i) => piece.at(-1) === 0x0d && pieces[i + 1]![0] === 0x0a)).toBe(true);
    // A piece ending on a UTF-8 lead byte: the character continues in the next piece.
    expect(ends.filter((piece) => piece.at(-1)! >= 0xc0).length).toBeGreaterThanOrEqual(4);
    expect(ends.some((piece) => piece.toString("latin1").endsWith("data:"))).toBe(true);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(23);
  });
});

describe("startReplayServer", () => {
  it("answers a non-streaming request with the JSON body and status", async () => {
    server.play(fixture, "json");
    const response = await post(false);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ hello: "wörld" });
    expect(server.served).toEqual([{ method: "POST", path: "/v1/chat/completions", stream: false }]);
  });

  it("streams the frames one write each", async () => {
    server.play(fixture, "sse");
    const response = await post(true);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const received = await reads(response);
    expect(Buffer.concat(received).toString("utf8")).toBe(frames.join(""));
    expect(server.served).toEqual([{ method: "POST", path: "/v1/chat/completions", stream: true }]);
  });

  it("streams the fragmented bytes so that the client reads them in many pieces", async () => {
    server.play(fixture, "sse-fragmented");
    const received = await reads(await post(true));
    expect(Buffer.concat(received).equals(toCrlfBytes(frames))).toBe(true);
    // The pieces are written with pauses between them: the client sees far more than one read.
    expect(received.length).toBeGreaterThan(5);
  });

  it("forgets the requests served before the next play()", async () => {
    server.play(fixture, "json");
    await (await post(false)).text();
    server.play(fixture, "sse");
    expect(server.served).toEqual([]);
  });
});
