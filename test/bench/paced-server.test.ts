/**
 * The benchmarks' paced mock and the arithmetic their reports rest on. Lower bounds on time only
 * (a timer never fires early); no speed is asserted.
 */
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { roundOrder } from "../../bench/lib/interleave.js";
import { type PacedServer, startPacedServer } from "../../bench/lib/paced-server.js";
import { jsonDelayMs, type Pacing, replyText } from "../../bench/lib/pacing.js";
import { parseEvents } from "../../bench/lib/providers.js";
import { fitCpu } from "../../bench/overhead.js";
import { safeJsonDeadlineMs } from "../../bench/transport.js";

const pacing: Pacing = { firstTokenMs: 30, intervalMs: 5, events: 12, chunkSize: 4 };
let server: PacedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the paced mock", () => {
  it("streams the reply event by event, and sends the JSON reply no earlier than the stream's last event", async () => {
    server = await startPacedServer("openai", pacing);
    const client = new OpenAI({ apiKey: "sk-test", baseURL: server.baseURL, maxRetries: 0 });
    const messages = [{ role: "user" as const, content: "hi" }];

    const started = performance.now();
    const completion = await client.chat.completions.create({ model: "gpt-4.1", messages });
    expect(performance.now() - started).toBeGreaterThanOrEqual(jsonDelayMs(pacing) - 1);
    expect(completion.choices[0]?.message.content).toBe(replyText(pacing));

    const streamStarted = performance.now();
    const response = await client.chat.completions
      .create({ model: "gpt-4.1", messages, stream: true, stream_options: { include_usage: true } })
      .asResponse();
    const reader = response.body!.getReader();
    let reads = 0;
    let body = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      reads++;
      body += new TextDecoder().decode(r.value);
    }
    // Events are written one by one on their schedule: the last one no earlier than the JSON reply.
    expect(performance.now() - streamStarted).toBeGreaterThanOrEqual(jsonDelayMs(pacing) - 1);
    expect(reads).toBeGreaterThan(1);
    const texts = [...body.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join("");
    expect(texts).toBe(replyText(pacing));
    expect(body).toContain('"usage":{');
    expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(server.stats()).toEqual({ calls: 2, inFlight: 0 });
  });

  it("sends a precise first event at its time, never early, and the rest of the reply after it", async () => {
    const precise: Pacing = { ...pacing, preciseFirstToken: true };
    server = await startPacedServer("mistral", precise);
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "mistral-small-latest", messages: [], stream: true }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let body = "";
    let firstContentAt: number | undefined;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      body += decoder.decode(r.value, { stream: true });
      if (firstContentAt === undefined && /"content":"[^"]/.test(body)) firstContentAt = performance.now();
    }
    expect(firstContentAt! - started).toBeGreaterThanOrEqual(precise.firstTokenMs);
    expect(performance.now() - started).toBeGreaterThanOrEqual(jsonDelayMs(precise));
    const texts = [...body.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join("");
    expect(texts).toBe(replyText(precise));
    expect(server.stats()).toEqual({ calls: 1, inFlight: 0 });
  });

  it("changes pace for later requests", async () => {
    server = await startPacedServer("anthropic", pacing);
    server.setPacing({ ...pacing, events: 3 });
    const response = await fetch(`${server.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 10, messages: [], stream: false }),
    });
    const body = (await response.json()) as { content: { text: string }[] };
    expect(body.content[0]?.text).toBe(replyText({ ...pacing, events: 3 }));
  });
});

describe("the arithmetic of the reports", () => {
  it("rotates and reverses the order of interleaved variants, so none keeps a place", () => {
    const orders = Array.from({ length: 6 }, (_, round) => roundOrder(["a", "b", "c"], round).join(""));
    expect(orders).toEqual(["abc", "bca", "cab", "cba", "acb", "bac"]);
  });

  it("splits CPU per call into a fixed part and a part per event", () => {
    expect(fitCpu({ events: 10, cpuUs: 300 }, { events: 300, cpuUs: 6_100 })).toEqual({
      perEventUs: 20,
      fixedUs: 100,
    });
  });

  it("paces JSON like the stream's last event; a safe JSON deadline exceeds it", () => {
    expect(replyText(pacing)).toHaveLength(pacing.events * pacing.chunkSize);
    expect(jsonDelayMs(pacing)).toBe(30 + 11 * 5);
    expect(safeJsonDeadlineMs(pacing)).toBeGreaterThan(jsonDelayMs(pacing));
  });
});

describe("the parse floor's reader", () => {
  it("parses every data event once, whatever the read boundaries, and keeps an incomplete one for the next read", () => {
    const body =
      'data: {"a":1}\n\nevent: message_delta\ndata: {"b":2}\n\ndata:{"c":3}\n\n: comment\n\ndata: [DONE]\n\n';
    for (let cut = 0; cut <= body.length; cut++) {
      const parsed = { count: 0 };
      const rest = parseEvents(body.slice(0, cut), parsed);
      expect(parseEvents(rest + body.slice(cut), parsed)).toBe("");
      expect(parsed.count).toBe(3);
    }
    expect(() => parseEvents("data: {oops\n\n", { count: 0 })).toThrow(SyntaxError);
  });
});
