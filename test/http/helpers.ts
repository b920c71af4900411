/** Real servers and a real SSE reader for the HTTP helpers' tests. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { anthropic, createClient, type FailoverClient, openai } from "../../src/index.js";

/** One parsed SSE frame: a named event with JSON data, or a comment (`: keep-alive`). */
export type Frame = { event: string; data: any } | { comment: string };

/** Splits SSE text into frames, as a browser's reader does (tolerates CRLF, ignores a partial tail). */
export const parseFrames = (text: string): Frame[] =>
  text
    .replaceAll("\r\n", "\n")
    .split("\n\n")
    .slice(0, -1)
    .map((block): Frame => {
      if (block.startsWith(":")) return { comment: block.slice(1).trim() };
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return { event, data: data === undefined ? undefined : JSON.parse(data) };
    });

/** The named events of `frames`, comments left out. */
export const eventsOf = (frames: Frame[]): { event: string; data: any }[] =>
  frames.filter((frame): frame is { event: string; data: any } => "event" in frame);

/** Reads a whole response body as text. */
export const readAll = async (response: Response): Promise<string> => {
  let text = "";
  for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) text += chunk;
  return text;
};

/**
 * Reads frames until `stop(frames)` holds, then stops reading; `cancel()` then cancels the body (as a
 * runtime does when the client goes away).
 */
export const readFramesUntil = async (
  response: Response,
  stop: (frames: Frame[]) => boolean,
): Promise<{ frames: Frame[]; cancel: () => Promise<void> }> => {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const cancel = (): Promise<void> => reader.cancel();
  let text = "";
  for (;;) {
    const frames = parseFrames(text);
    if (stop(frames)) return { frames, cancel };
    const { value, done } = await reader.read();
    if (done) return { frames: parseFrames(text), cancel };
    text += value;
  }
};

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1; `close()` also drops kept-alive sockets. */
export const listen = async (server: http.Server): Promise<RunningServer> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/**
 * Serves a Fetch-API handler (`(request) => Response`, as Hono's `app.fetch` or a Next.js route
 * handler) over node:http, the way @hono/node-server and Next.js do: the request's `signal` aborts
 * when the client disconnects, and the response body is cancelled when the connection closes.
 */
export const serveFetch = (handler: (request: Request) => Response | Promise<Response>): http.Server =>
  http.createServer(async (req, res) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method!,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      signal: controller.signal,
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    res.on("close", () => {
      if (!res.writableFinished) reader.cancel().catch(() => {});
    });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!res.write(value)) {
          await new Promise((resolve) => {
            res.once("drain", resolve);
            res.once("close", resolve);
          });
        }
      }
      res.end();
    } catch {
      res.destroy();
    }
  });

/**
 * The client the HTTP helpers' tests stream from: OpenAI, then Anthropic, both through their real
 * SDKs to the mocks; one request per provider (the tests count them).
 */
export const createTwoProviderClient = (mocks: {
  openai: { baseURL: string };
  anthropic: { baseURL: string };
}): FailoverClient =>
  createClient({
    providers: [
      openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
        model: "claude-sonnet-4-6",
      }),
    ],
    retry: { maxRetries: 0 },
  });
