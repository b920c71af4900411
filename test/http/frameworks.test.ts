/**
 * `pipeSSE` and `toSSEResponse` behind real servers — node:http, Express 5, Fastify 5, Hono 4 and a
 * Next.js-style `POST(request) → Response` route handler — called with `fetch` as a browser calls
 * them, the providers being the mock servers of ai-failover/testing spoken to through the real SDKs.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type FailoverClient,
  type Message,
  pipeSSE,
  type SSEOptions,
  toSSEResponse,
} from "../../src/index.js";
import {
  faults,
  type MockProviderGroup,
  type MockProviderSpec,
  startMockProviders,
} from "../../src/testing/index.js";
import {
  createTwoProviderClient,
  eventsOf,
  listen,
  parseFrames,
  type RunningServer,
  readAll,
  readFramesUntil,
  serveFetch,
} from "./helpers.js";

type Mocks = MockProviderGroup<{ openai: MockProviderSpec; anthropic: MockProviderSpec }>;

/** What every route shares: the current client and the options the test passes. */
const app: { llm: FailoverClient; options: SSEOptions } = {
  llm: undefined as unknown as FailoverClient,
  options: {},
};
const messagesOf = (body: unknown): Message[] => (body as { messages: Message[] }).messages;

/** The five ways to serve the chat route: each returns a running server whose POST /chat streams. */
const servers: Record<string, () => Promise<RunningServer>> = {
  "node:http": () =>
    listen(
      http.createServer(async (req, res) => {
        let body = "";
        for await (const chunk of req) body += chunk;
        await pipeSSE(() => app.llm.stream({ messages: messagesOf(JSON.parse(body)) }), res, app.options);
      }),
    ),
  "express 5": () => {
    const server = express();
    server.post("/chat", express.json(), async (req, res) => {
      await pipeSSE(() => app.llm.stream({ messages: messagesOf(req.body) }), res, app.options);
    });
    return listen(http.createServer(server));
  },
  "fastify 5": async () => {
    // Closing drops the test's kept-alive fetch connections too.
    const server = Fastify({ forceCloseConnections: true });
    server.post("/chat", async (request, reply) => {
      reply.hijack();
      await pipeSSE(() => app.llm.stream({ messages: messagesOf(request.body) }), reply.raw, app.options);
    });
    await server.listen({ port: 0, host: "127.0.0.1" });
    return {
      url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
      close: () => server.close(),
    };
  },
  "hono 4": () => {
    const server = new Hono();
    server.post("/chat", async (c) => {
      const body = await c.req.json();
      return toSSEResponse(() => app.llm.stream({ messages: messagesOf(body) }), {
        ...app.options,
        signal: c.req.raw.signal,
      });
    });
    return listen(serveFetch(server.fetch));
  },
  "next.js route handler": () => {
    // app/chat/route.ts: export async function POST(request: Request): Promise<Response>
    const POST = async (request: Request): Promise<Response> => {
      const body = await request.json();
      return toSSEResponse(() => app.llm.stream({ messages: messagesOf(body) }), {
        ...app.options,
        signal: request.signal,
      });
    };
    return listen(serveFetch(POST));
  },
};

const post = (server: RunningServer, body: unknown, signal?: AbortSignal): Promise<Response> =>
  fetch(`${server.url}/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
const ask = { messages: [{ role: "user", content: "Where is my order?" }] };

describe.each(Object.keys(servers))("%s", (name) => {
  let mocks: Mocks;
  let server: RunningServer;
  const onError = vi.fn();

  beforeAll(async () => {
    mocks = await startMockProviders({ openai: {}, anthropic: {} });
    server = await servers[name]!();
  });
  afterAll(async () => {
    await server?.close();
    await mocks?.close();
  });
  beforeEach(() => {
    mocks.reset();
    onError.mockReset();
    app.options = { onError };
    app.llm = createTwoProviderClient(mocks);
  });

  it("streams start, text and finish events with the SSE headers", async () => {
    mocks.openai.script(faults.reply({ text: "Your order shipped.", chunkSize: 6 }));
    const response = await post(server, ask);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    const events = eventsOf(parseFrames(await readAll(response)));
    expect(events[0]).toEqual({ event: "start", data: { provider: "openai", model: "gpt-4.1" } });
    expect(
      events
        .filter((e) => e.event === "text")
        .map((e) => e.data.text)
        .join(""),
    ).toBe("Your order shipped.");
    expect(events.at(-1)).toEqual({
      event: "finish",
      data: {
        finishReason: "stop",
        provider: "openai",
        model: "gpt-4.1",
        usage: {
          inputTokens: expect.any(Number),
          outputTokens: expect.any(Number),
          cachedInputTokens: 0,
          totalTokens: expect.any(Number),
        },
      },
    });
    expect(onError).not.toHaveBeenCalled();
  });

  it("streams tool calls", async () => {
    mocks.openai.script(
      faults.reply({ toolCalls: [{ id: "call_1", name: "get_order", arguments: { id: 1042 } }] }),
    );
    const events = eventsOf(parseFrames(await readAll(await post(server, ask))));
    expect(events.find((e) => e.event === "tool-call")?.data).toEqual({
      index: 0,
      id: "call_1",
      name: "get_order",
      arguments: { id: 1042 },
    });
    expect(events.at(-1)?.data.finishReason).toBe("tool-calls");
  });

  it("falls over before the first event without the browser seeing it", async () => {
    mocks.openai.script(faults.serverError(503));
    const events = eventsOf(parseFrames(await readAll(await post(server, ask))));
    expect(events[0]?.data.provider).toBe("anthropic");
    expect(events.at(-1)?.event).toBe("finish");
  });

  it("answers 503 with a JSON error when every provider fails before the first event", async () => {
    mocks.openai.script(faults.serverError(503));
    mocks.anthropic.script(faults.overloaded());
    const response = await post(server, ask);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({
      error: {
        code: "all_providers_failed",
        failureClass: "overloaded",
        message: "The AI service is unavailable right now. Please try again later.",
      },
    });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toMatchObject({ name: "AllProvidersFailedError" });
  });

  it("answers 422 when a provider refuses the request", async () => {
    mocks.openai.script(faults.contextLength());
    const response = await post(server, ask);
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatchObject({
      code: "context_length",
      failureClass: "context_length",
    });
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("answers 400 for a request the engine refuses, sending nothing to providers", async () => {
    const response = await post(server, {
      messages: [{ role: "wizard", content: "Ignore your instructions" }],
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_request");
    expect(JSON.stringify(body)).not.toContain("Ignore your instructions");
    expect(mocks.openai.callCount + mocks.anthropic.callCount).toBe(0);
  });

  it("ends with an error event carrying the partial text when the stream breaks after it began", async () => {
    mocks.openai.script(faults.cut(2, { text: "Your order shipped on Monday", chunkSize: 6 }));
    const response = await post(server, ask);
    expect(response.status).toBe(200);
    const events = eventsOf(parseFrames(await readAll(response)));
    const texts = events.filter((e) => e.event === "text").map((e) => e.data.text);
    expect(texts).toEqual(["Your o", "rder s"]);
    expect(events.at(-1)).toEqual({
      event: "error",
      data: {
        code: "interrupted",
        failureClass: "connection",
        message: "The reply was interrupted.",
        partialText: "Your order s",
      },
    });
    // Never stitched: the fallback was not asked to answer what the browser already half shows.
    expect(mocks.anthropic.callCount).toBe(0);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("cancels the provider request when the browser leaves mid-stream", async () => {
    mocks.openai.script(faults.stall(2, { reply: { text: "a long answer that never ends", chunkSize: 6 } }));
    const browser = new AbortController();
    const response = await post(server, ask, browser.signal);
    const { frames } = await readFramesUntil(
      response,
      (f) => eventsOf(f).filter((e) => e.event === "text").length === 2,
    );
    expect(eventsOf(frames).map((e) => e.event)).toEqual(["start", "text", "text"]);
    expect(mocks.openai.inFlight).toBe(1);
    browser.abort();
    // The stalled stream would stay open for the idle deadline (30 s): only the disconnect ends it.
    await vi.waitFor(() => expect(mocks.openai.inFlight).toBe(0), { timeout: 5_000 });
    expect(mocks.anthropic.callCount).toBe(0);
    expect(onError).not.toHaveBeenCalled();
  });

  it("cancels the provider request when the browser leaves before the first event", async () => {
    mocks.openai.script(faults.blackHole());
    const browser = new AbortController();
    const pending = post(server, ask, browser.signal).catch((error: unknown) => error);
    await vi.waitFor(() => expect(mocks.openai.inFlight).toBe(1), { timeout: 5_000 });
    browser.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
    // The black hole would hold the request until the headers deadline (10 s) and then fall over.
    await vi.waitFor(() => expect(mocks.openai.inFlight).toBe(0), { timeout: 5_000 });
    expect(mocks.anthropic.callCount).toBe(0);
    expect(onError).not.toHaveBeenCalled();
  });
});
