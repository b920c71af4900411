/**
 * Recipe: stream a chat reply to the browser as server-sent events, with failover.
 *
 * `sendChatStream` writes to a Node `ServerResponse` (node:http, Express's `res`, Fastify's
 * `reply.raw`); `chatResponse` returns a Fetch-API `Response` (Hono, Next.js route handlers, Bun,
 * Deno). A `fetch` client plays the browser. Runs against local mock providers, no API keys:
 *
 *   npx tsx examples/recipes/http-streaming.ts
 *
 * See docs/recipes/http-streaming.md.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import {
  anthropic,
  type ChatStreamEvent,
  createClient,
  isAllProvidersFailedError,
  isInvalidRequestError,
  isProviderError,
  isStreamInterruptedError,
  type Message,
  openai,
} from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

const mocks = await startMockProviders({ openai: {}, anthropic: {} });

// --- the app: one client for the whole process (breakers and budgets live in it) ---
const llm = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
  // An interactive route: give up after 30 s whatever happens (the default is 10 minutes).
  deadlines: { totalMs: 30_000 },
});

const sse = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The engine's stream as SSE frames. Nothing is yielded before the stream commits to a provider,
 * so a failure before the first frame can still become a proper HTTP status.
 */
async function* chatFrames(events: AsyncIterable<ChatStreamEvent>): AsyncGenerator<string> {
  try {
    for await (const event of events) {
      if (event.type === "start") yield sse("start", { provider: event.provider, model: event.model });
      else if (event.type === "text") yield sse("text", { text: event.text });
      else if (event.type === "finish") {
        yield sse("done", { finishReason: event.finishReason.unified, usage: event.usage });
      }
    }
  } catch (error) {
    // Committed, then broken: tell the browser; what it already shows stays (never stitched).
    if (isStreamInterruptedError(error)) {
      yield sse("error", { reason: "interrupted", failureClass: error.failureClass });
      return;
    }
    throw error;
  }
}

/** An HTTP status for a failure that happened before anything was sent. */
const statusFor = (error: unknown): number => {
  if (isAllProvidersFailedError(error)) return 503; // every provider is down: tell the client to retry later
  if (isInvalidRequestError(error)) return 400; // our request was malformed; nothing was sent
  if (isProviderError(error)) return 422; // a provider refused it (bad_request, content_filter, context_length)
  return 500;
};

const sseHeaders = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "x-accel-buffering": "no", // tell nginx not to buffer the stream
};

/**
 * Streams a reply to a Node response: node:http, Express (`res`), Fastify (`reply.raw` after
 * `reply.hijack()`). The status is chosen when the stream commits, so it can still be a 503.
 */
const sendChatStream = async (messages: Message[], res: http.ServerResponse): Promise<void> => {
  const controller = new AbortController();
  // The browser went away (or the response ended): stop the provider call, free its socket.
  res.on("close", () => controller.abort());
  try {
    for await (const frame of chatFrames(llm.stream({ messages, signal: controller.signal }))) {
      if (!res.headersSent) res.writeHead(200, sseHeaders);
      res.write(frame);
    }
    res.end();
  } catch (error) {
    if (controller.signal.aborted) return; // nobody is listening any more
    if (!res.headersSent) {
      res.writeHead(statusFor(error), { "content-type": "application/json" });
      res.end(JSON.stringify({ error: errorCode(error) }));
    } else {
      res.end(sse("error", { reason: "failed" }));
    }
  }
};

/** The same for the Fetch API: Hono, Next.js route handlers, Bun, Deno, Cloudflare Workers. */
const chatResponse = async (messages: Message[], signal?: AbortSignal): Promise<Response> => {
  const frames = chatFrames(llm.stream(signal ? { messages, signal } : { messages }));
  // Wait for the first frame (= the stream committed) before choosing the status.
  let first: IteratorResult<string>;
  try {
    first = await frames.next();
  } catch (error) {
    return Response.json({ error: errorCode(error) }, { status: statusFor(error) });
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      try {
        const next = await frames.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await frames.return(undefined); // the client went away: ends the engine stream and its request
    },
  });
  return new Response(body, { headers: sseHeaders });
};

const errorCode = (error: unknown): string =>
  isAllProvidersFailedError(error)
    ? "all_providers_failed"
    : isProviderError(error)
      ? error.failureClass
      : isInvalidRequestError(error)
        ? "invalid_request"
        : "internal_error";

const readBody = async (req: http.IncomingMessage): Promise<string> => {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
};

// Routing with node:http. Express: app.post("/chat", express.json(), (req, res) => sendChatStream(req.body.messages, res))
const server = http.createServer(async (req, res) => {
  if (req.method !== "POST" || req.url !== "/chat") return void res.writeHead(404).end();
  const { messages } = JSON.parse(await readBody(req)) as { messages: Message[] };
  await sendChatStream(messages, res);
});
// --- end of the app ---

await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;

/** Parses an SSE response body into events, as the browser's code would. */
async function* readSse(response: Response): AsyncGenerator<{ event: string; data: any }> {
  let buffer = "";
  for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? "message";
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? "null");
      yield { event, data };
      end = buffer.indexOf("\n\n");
    }
  }
}

/** The browser: POST, then render frames until done (or stop after `stopAfterText` text frames). */
const browser = async (
  label: string,
  send: (init: RequestInit) => Promise<Response>,
  stopAfterText?: number,
): Promise<string> => {
  const controller = new AbortController();
  const response = await send({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "Where is my order?" }] }),
    signal: controller.signal,
  });
  if (!response.ok) {
    const line = `${label}: HTTP ${response.status} ${JSON.stringify(await response.json())}`;
    console.log(line);
    return line;
  }
  let line = `${label}: HTTP ${response.status}`;
  let texts = 0;
  for await (const { event, data } of readSse(response)) {
    if (event === "start") line += ` [${data.provider}]`;
    if (event === "text") line += ` ${JSON.stringify(data.text)}`;
    if (event === "done") line += ` done(${data.finishReason})`;
    if (event === "error") line += ` error(${data.reason}, ${data.failureClass})`;
    if (event === "text" && ++texts === stopAfterText) {
      controller.abort(); // the user closed the tab
      line += " …closed by the browser";
      break;
    }
  }
  console.log(line);
  return line;
};
const viaNodeHttp = (init: RequestInit) => fetch(url, init);
// The Fetch-API route, called as Hono or Next.js would: (request) => chatResponse(messages, request.signal)
const viaFetchApi = async (init: RequestInit) => {
  const request = new Request("http://app.local/chat", init);
  const { messages } = (await request.json()) as { messages: Message[] };
  return chatResponse(messages, request.signal);
};
const seen: string[] = [];

// 1. Healthy: OpenAI answers.
seen.push(await browser("healthy", viaNodeHttp));

// 2. OpenAI returns 503 before its first token: the browser never knows, Anthropic answers.
mocks.openai.script(faults.serverError(503));
seen.push(await browser("openai 503", viaNodeHttp));

// 3. OpenAI's stream is cut after two chunks: the browser keeps what it has and gets an error frame.
mocks.openai.script(faults.cut(2, { text: "Your order shipped on Monday and should arrive", chunkSize: 12 }));
seen.push(await browser("cut mid-stream", viaNodeHttp));

// 4. Every provider down: a real 503 status, because nothing was sent yet.
mocks.openai.script(faults.serverError(503));
mocks.anthropic.script(faults.overloaded(), faults.overloaded(), faults.overloaded());
seen.push(await browser("all down", viaNodeHttp));

// 5. The browser disconnects mid-stream: the provider request is cancelled too.
mocks.openai.script(faults.reply({ text: "a long answer ".repeat(20), chunkSize: 14, eventIntervalMs: 50 }));
seen.push(await browser("browser leaves", viaNodeHttp, 2));
await new Promise((resolve) => setTimeout(resolve, 200));
const leftOpen = [mocks.openai.inFlight];
console.log(`openai requests still open after the browser left: ${mocks.openai.inFlight}`);

// 6. The Fetch-API handler, OpenAI down.
mocks.openai.script(faults.serverError(503));
seen.push(await browser("fetch api", viaFetchApi));

// 7. The Fetch-API handler, the browser leaves mid-stream.
mocks.openai.script(faults.reply({ text: "a long answer ".repeat(20), chunkSize: 14, eventIntervalMs: 50 }));
seen.push(await browser("fetch api, browser leaves", viaFetchApi, 2));
await new Promise((resolve) => setTimeout(resolve, 200));
leftOpen.push(mocks.openai.inFlight);
console.log(`openai requests still open after the browser left (fetch api): ${mocks.openai.inFlight}`);

server.closeAllConnections(); // the fetch client's pooled keep-alive sockets
await new Promise<void>((resolve) => server.close(() => resolve()));
await mocks.close();

const expected = [
  /^healthy: HTTP 200 \[openai\] .*done\(stop\)$/,
  /^openai 503: HTTP 200 \[anthropic\] .*done\(stop\)$/,
  /^cut mid-stream: HTTP 200 \[openai\] "Your order s" "hipped on Mo" error\(interrupted, connection\)$/,
  /^all down: HTTP 503 \{"error":"all_providers_failed"\}$/,
  /^browser leaves: HTTP 200 \[openai\] .*…closed by the browser$/,
  /^fetch api: HTTP 200 \[anthropic\] .*done\(stop\)$/,
  /^fetch api, browser leaves: HTTP 200 \[openai\] .*…closed by the browser$/,
];
const bad = expected.filter((pattern, i) => !pattern.test(seen[i] ?? ""));
if (bad.length > 0 || leftOpen.some((n) => n !== 0)) {
  console.error(`unexpected output: ${bad.join(", ")}`);
  process.exit(1);
}
