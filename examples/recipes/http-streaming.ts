/**
 * Recipe: stream a chat reply to the browser as server-sent events, with failover — one line per
 * route: `pipeSSE` for Node responses (node:http, Express, Fastify), `toSSEResponse` for Fetch-API
 * handlers (Hono, Next.js route handlers, Bun, Deno). A `fetch` client plays the browser. Runs
 * against local mock providers, no API keys:
 *
 *   npx tsx examples/recipes/http-streaming.ts
 *
 * See docs/recipes/http-streaming.md.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import OpenAI from "openai";
import {
  anthropic,
  createClient,
  type FailoverClient,
  type Message,
  openai,
  pipeSSE,
  type SSEEvent,
  toSSEResponse,
} from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

const mocks = await startMockProviders({ openai: {}, anthropic: {} });
const logged: string[] = [];

// --- the app ---
// One client for the whole process: breakers and budgets live in it.
const createLlm = (): FailoverClient =>
  createClient({
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
let llm = createLlm();

/** Your logger: the browser gets a code and a generic message, the full error goes here. */
const logError = (error: unknown): void => {
  logged.push(error instanceof Error ? error.name : String(error));
};

const readJson = async (req: http.IncomingMessage): Promise<any> => {
  let text = "";
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

// node:http
const nodeServer = http.createServer(async (req, res) => {
  const body = await readJson(req);
  await pipeSSE(() => llm.stream({ messages: body?.messages }), res, { onError: logError });
});

// Express
const expressApp = express();
expressApp.post("/chat", express.json(), async (req, res) => {
  await pipeSSE(() => llm.stream({ messages: req.body?.messages }), res, { onError: logError });
});

// Fastify
const fastifyApp = Fastify({ forceCloseConnections: true });
fastifyApp.post("/chat", async (request, reply) => {
  reply.hijack(); // the response is ours: Fastify sends nothing of its own
  const { messages } = request.body as { messages: Message[] };
  await pipeSSE(() => llm.stream({ messages }), reply.raw, { onError: logError });
});

// Hono
const honoApp = new Hono();
honoApp.post("/chat", async (c) => {
  const { messages } = await c.req.json();
  return toSSEResponse(() => llm.stream({ messages }), { signal: c.req.raw.signal, onError: logError });
});

// Next.js: app/api/chat/route.ts
export async function POST(request: Request): Promise<Response> {
  const { messages } = await request.json();
  return toSSEResponse(() => llm.stream({ messages }), { signal: request.signal, onError: logError });
}
// --- end of the app ---

// --- the browser ---
/** Calls `onEvent` for each event of a streamed chat response, in order. */
async function readChatEvents(response: Response, onEvent: (event: SSEEvent) => void): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) onEvent({ event, data: JSON.parse(data) } as SSEEvent); // `: keep-alive` has neither
    }
  }
}

/** POSTs a question and renders the answer as one line (or leaves after `leaveAfter` text events). */
const browser = async (
  send: (init: RequestInit) => Promise<Response>,
  leaveAfter?: number,
): Promise<string> => {
  const controller = new AbortController();
  const response = await send({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "Where is my order?" }] }),
    signal: controller.signal,
  });
  if (!response.ok) {
    const { error } = await response.json(); // { code, message }
    return `HTTP ${response.status} ${error.code}`;
  }
  let line = `HTTP ${response.status}`;
  let text = "";
  let texts = 0;
  try {
    await readChatEvents(response, (e) => {
      if (e.event === "start") line += ` [${e.data.provider}]`;
      if (e.event === "text") text += e.data.text;
      if (e.event === "finish") line += ` ${JSON.stringify(text)} finish(${e.data.finishReason})`;
      if (e.event === "error")
        line += ` ${JSON.stringify(e.data.partialText)} error(${e.data.code}, ${e.data.failureClass})`;
      if (e.event === "text" && ++texts === leaveAfter) controller.abort(); // the user closed the tab
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    line += ` ${JSON.stringify(text)} …the browser left`;
  }
  return line;
};
// --- end of the browser ---

const listen = async (server: http.Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
};
const nodeUrl = await listen(nodeServer);
const expressServer = http.createServer(expressApp);
const expressUrl = await listen(expressServer);
await fastifyApp.listen({ port: 0, host: "127.0.0.1" });
const fastifyUrl = `http://127.0.0.1:${(fastifyApp.server.address() as AddressInfo).port}/chat`;

const routes: Record<string, (init: RequestInit) => Promise<Response>> = {
  "node:http": (init) => fetch(nodeUrl, init),
  express: (init) => fetch(expressUrl, init),
  fastify: (init) => fetch(fastifyUrl, init),
  // Fetch-API handlers, called as their runtime calls them: the request's signal aborts when the browser leaves.
  hono: async (init) => honoApp.fetch(new Request("http://app.local/chat", init)),
  "next.js": (init) => POST(new Request("http://app.local/chat", init)),
};

const scenarios: [string, () => void, number?][] = [
  ["healthy", () => {}],
  // OpenAI fails before its first token: the browser never knows, Anthropic answers.
  ["openai 503", () => mocks.openai.script(faults.serverError(503))],
  // The stream breaks after two chunks: the browser keeps what it has and gets an error event.
  [
    "cut mid-stream",
    () => mocks.openai.script(faults.cut(2, { text: "Your order shipped on Monday", chunkSize: 12 })),
  ],
  // Every provider down: a real 503, because nothing was sent yet.
  [
    "all down",
    () => {
      mocks.openai.script(faults.serverError(503));
      mocks.anthropic.script(faults.overloaded(), faults.overloaded(), faults.overloaded());
    },
  ],
  // The browser leaves mid-stream: the provider request (stalled here, forever) is cancelled too.
  [
    "browser leaves",
    () => mocks.openai.script(faults.stall(2, { reply: { text: "a long answer", chunkSize: 7 } })),
    2,
  ],
];

const seen: string[] = [];
for (const [name, send] of Object.entries(routes)) {
  llm = createLlm(); // each framework's drill starts with closed breakers
  for (const [scenario, arrange, leaveAfter] of scenarios) {
    mocks.reset();
    arrange();
    let line = `${name.padEnd(9)} ${scenario.padEnd(14)} ${await browser(send, leaveAfter)}`;
    if (leaveAfter) {
      const deadline = Date.now() + 5_000;
      while (mocks.openai.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      line += `; provider requests still open: ${mocks.openai.inFlight}`;
    }
    console.log(line);
    seen.push(line);
  }
}
console.log(`logged: ${logged.join(", ")}`);

nodeServer.closeAllConnections();
expressServer.closeAllConnections();
await Promise.all([
  new Promise((resolve) => nodeServer.close(resolve)),
  new Promise((resolve) => expressServer.close(resolve)),
  fastifyApp.close(),
]);
await mocks.close();

const expected = [
  /^healthy +HTTP 200 \[openai\] "Hello from openai" finish\(stop\)$/,
  /^openai 503 +HTTP 200 \[anthropic\] "Hello from anthropic" finish\(stop\)$/,
  /^cut mid-stream +HTTP 200 \[openai\] "Your order shipped on Mo" error\(interrupted, connection\)$/,
  /^all down +HTTP 503 all_providers_failed$/,
  /^browser leaves +HTTP 200 \[openai\] "a long answer" …the browser left; provider requests still open: 0$/,
];
const bad = seen.filter((line, i) => !expected[i % expected.length]!.test(line.slice(10)));
if (seen.length !== 25 || bad.length > 0) {
  console.error(`unexpected output:\n${bad.join("\n")}`);
  process.exit(1);
}
