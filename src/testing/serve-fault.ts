import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { CallScope } from "./call-scope.js";
import { buildErrorResponse, htmlErrorPage } from "./error-responses.js";
import { type ReplyContext, resolveReply } from "./reply.js";
import { type StreamPlan, sseData } from "./sse.js";
import type { MockFault, MockProviderKind, MockReply } from "./types.js";
import type { WireFormat } from "./wire/types.js";

/** Everything needed to answer one call. */
export interface ServeContext {
  kind: MockProviderKind;
  wire: WireFormat;
  res: ServerResponse;
  socket: Socket;
  scope: CallScope;
  /** Whether the request asked for a stream. */
  stream: boolean;
  reply: ReplyContext;
  defaultText: string;
  requestBytes: number;
}

const JSON_TYPE = "application/json";
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

function writeHead(ctx: ServeContext, status: number, headers: Record<string, string>): void {
  ctx.res.writeHead(status, { ...ctx.wire.responseHeaders(), ...headers });
}

/** Sends a complete JSON response (`content-type: application/json`, exact: Mistral's SDK checks it). */
function sendJson(ctx: ServeContext, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  writeHead(ctx, status, {
    "content-type": JSON_TYPE,
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  ctx.res.end(text);
}

/**
 * Writes stream units, `eventIntervalMs` apart (all in one write when 0).
 * Returns false if the call closed meanwhile.
 */
async function writeUnits(
  ctx: ServeContext,
  units: string[],
  intervalMs: number,
  prefix = "",
): Promise<boolean> {
  if (intervalMs <= 0 || units.length === 0) {
    const text = prefix + units.join("");
    if (text) ctx.res.write(text);
    return !ctx.scope.closed;
  }
  if (prefix) ctx.res.write(prefix);
  for (let i = 0; i < units.length; i++) {
    if (i > 0 && !(await ctx.scope.sleep(intervalMs))) return false;
    ctx.res.write(units[i]);
  }
  return !ctx.scope.closed;
}

/** Sends a whole stream: head, units, then `end` (the tail, or another ending). */
async function sendStream(
  ctx: ServeContext,
  plan: StreamPlan,
  units: string[],
  intervalMs: number,
  end: string,
) {
  writeHead(ctx, 200, SSE_HEADERS);
  if (intervalMs <= 0) {
    ctx.res.end(plan.head + units.join("") + end);
    return;
  }
  if (await writeUnits(ctx, units, intervalMs, plan.head)) ctx.res.end(end);
}

/** Destroys the socket once `data` has been flushed to it. */
function writeThenDestroy(ctx: ServeContext, data: string): void {
  ctx.scope.markCutByServer();
  if (data) ctx.res.write(data, () => ctx.socket.destroy());
  else ctx.socket.destroy();
}

function resolve(ctx: ServeContext, reply: MockReply | undefined) {
  return resolveReply(reply, ctx.kind, ctx.defaultText, ctx.requestBytes);
}

/** Answers one call as `fault` says. Resolves when done (or when the call is left hanging). */
export async function serveFault(ctx: ServeContext, fault: MockFault): Promise<void> {
  const { res, wire } = ctx;
  switch (fault.type) {
    case "reply":
    case "no-terminal": {
      const reply = resolve(ctx, fault.reply);
      if (!ctx.stream) return sendJson(ctx, 200, wire.replyBody(reply, ctx.reply));
      const plan = wire.replyStream(reply, ctx.reply);
      return sendStream(
        ctx,
        plan,
        plan.units,
        reply.eventIntervalMs,
        fault.type === "reply" ? plan.tail : "",
      );
    }
    case "status": {
      const isText = typeof fault.body === "string" || fault.body === undefined;
      const text =
        fault.body === undefined ? "" : isText ? (fault.body as string) : JSON.stringify(fault.body);
      writeHead(ctx, fault.status, {
        ...(isText ? {} : { "content-type": JSON_TYPE }),
        "content-length": String(Buffer.byteLength(text)),
        ...fault.headers,
      });
      res.end(text);
      return;
    }
    case "error": {
      const { status, headers, body } = buildErrorResponse(ctx.kind, fault, ctx.reply.model);
      if (status === 200 && ctx.stream) {
        // A refusal sent as a reply (Gemini's blocked prompt): a stream carries it as its one frame.
        writeHead(ctx, 200, { ...SSE_HEADERS, ...headers });
        res.end(sseData(body));
        return;
      }
      return sendJson(ctx, status, body, headers);
    }
    case "html": {
      const status = fault.status ?? 502;
      const page = htmlErrorPage(status);
      res.writeHead(status, {
        "content-type": "text/html; charset=UTF-8",
        "content-length": String(Buffer.byteLength(page)),
        server: "cloudflare",
        "cf-ray": `${randomBytes(8).toString("hex")}-CDG`,
      });
      res.end(page);
      return;
    }
    case "reset":
      ctx.scope.markCutByServer();
      ctx.socket.resetAndDestroy();
      return;
    case "black-hole":
      return;
    case "slow-headers":
      if (await ctx.scope.sleep(fault.delayMs)) await serveFault(ctx, fault.then ?? { type: "reply" });
      return;
    case "slow-first-token": {
      const reply = resolve(ctx, fault.reply);
      if (!ctx.stream) {
        writeHead(ctx, 200, { "content-type": JSON_TYPE });
        res.flushHeaders();
        if (await ctx.scope.sleep(fault.delayMs)) res.end(JSON.stringify(wire.replyBody(reply, ctx.reply)));
        return;
      }
      const plan = wire.replyStream(reply, ctx.reply);
      writeHead(ctx, 200, SSE_HEADERS);
      res.write(plan.head);
      if (!(await ctx.scope.sleep(fault.delayMs))) return;
      if (await writeUnits(ctx, plan.units, reply.eventIntervalMs)) res.end(plan.tail);
      return;
    }
    case "stall": {
      if (!ctx.stream) {
        writeHead(ctx, 200, { "content-type": JSON_TYPE });
        res.flushHeaders();
        return;
      }
      const reply = resolve(ctx, fault.reply);
      const plan = wire.replyStream(reply, ctx.reply);
      writeHead(ctx, 200, SSE_HEADERS);
      if (!(await writeUnits(ctx, plan.units.slice(0, fault.afterEvents), reply.eventIntervalMs, plan.head)))
        return;
      if (fault.pingIntervalMs && fault.pingIntervalMs > 0) {
        ctx.scope.every(fault.pingIntervalMs, () => res.write(wire.keepAlive));
      }
      return;
    }
    case "cut": {
      const reply = resolve(ctx, fault.reply);
      if (!ctx.stream) {
        const text = JSON.stringify(wire.replyBody(reply, ctx.reply));
        writeHead(ctx, 200, { "content-type": JSON_TYPE, "content-length": String(Buffer.byteLength(text)) });
        writeThenDestroy(ctx, text.slice(0, Math.floor(text.length / 2)));
        return;
      }
      const plan = wire.replyStream(reply, ctx.reply);
      writeHead(ctx, 200, SSE_HEADERS);
      const units = plan.units.slice(0, fault.afterEvents);
      const interval = reply.eventIntervalMs;
      if (interval <= 0 || units.length < 2) return writeThenDestroy(ctx, plan.head + units.join(""));
      if (!(await writeUnits(ctx, units.slice(0, -1), interval, plan.head))) return;
      if (await ctx.scope.sleep(interval)) writeThenDestroy(ctx, units[units.length - 1]!);
      return;
    }
    case "malformed": {
      const reply = resolve(ctx, fault.reply);
      if (!ctx.stream) {
        const text = JSON.stringify(wire.replyBody(reply, ctx.reply));
        const truncated = text.slice(0, Math.floor(text.length / 2));
        writeHead(ctx, 200, {
          "content-type": JSON_TYPE,
          "content-length": String(Buffer.byteLength(truncated)),
        });
        res.end(truncated);
        return;
      }
      const plan = wire.replyStream(reply, ctx.reply);
      const units = plan.units.slice(0, fault.afterEvents ?? 0);
      return sendStream(ctx, plan, units, reply.eventIntervalMs, wire.malformedFrame(ctx.reply));
    }
    case "in-band-error": {
      if (!ctx.stream) return sendJson(ctx, 200, wire.inBandErrorBody(fault, ctx.reply));
      const reply = resolve(ctx, fault.reply);
      const plan = wire.replyStream(reply, ctx.reply);
      const units = plan.units.slice(0, fault.afterEvents ?? 0);
      return sendStream(ctx, plan, units, reply.eventIntervalMs, wire.inBandErrorFrames(fault, ctx.reply));
    }
    case "content-filter-stream": {
      const reply = resolve(ctx, fault.reply);
      if (!ctx.stream) return sendJson(ctx, 200, wire.filteredBody(reply, ctx.reply, fault));
      const plan = wire.filteredStream(reply, ctx.reply, fault);
      return sendStream(ctx, plan, plan.units, reply.eventIntervalMs, plan.tail);
    }
    default: {
      const unknown: never = fault;
      throw new TypeError(`Unknown mock fault type: ${(unknown as { type?: unknown }).type}`);
    }
  }
}
