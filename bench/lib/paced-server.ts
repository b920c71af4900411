/**
 * A mock provider that answers every request paced like a real one (see pacing.ts), built for
 * measuring the client: the bytes of each reply are rendered once (by the `ai-failover/testing`
 * wire builders, so they are the providers' real shapes) and one timer drives every open reply,
 * so thousands of concurrent streams cost the mock little. It runs in the mock-host child process.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { type ReplyContext, resolveReply } from "../../src/testing/reply.js";
import type { MockProviderKind } from "../../src/testing/types.js";
import { createAnthropicWire } from "../../src/testing/wire/anthropic.js";
import { createMistralWire } from "../../src/testing/wire/mistral.js";
import { createOpenAIWire } from "../../src/testing/wire/openai.js";
import type { WireFormat } from "../../src/testing/wire/types.js";
import { jsonDelayMs, type Pacing, replyText } from "./pacing.js";

export type PacedKind = Extract<MockProviderKind, "openai" | "anthropic" | "mistral">;

const wireFor = (kind: PacedKind): WireFormat =>
  kind === "anthropic"
    ? createAnthropicWire()
    : kind === "mistral"
      ? createMistralWire()
      : createOpenAIWire(false);

/** The rendered bytes of one reply shape. */
interface Rendered {
  json: string;
  head: string;
  units: string[];
  tail: string;
}

/** One reply in progress: what it writes next, and when. */
interface Pending {
  res: ServerResponse;
  dueAt: number;
  /** Write at `dueAt` exactly (see `Pacing.preciseFirstToken`); cleared once written. */
  precise?: boolean;
  /** Writes what is due; returns true when the reply is complete. */
  step(): boolean;
}

/** How early a precise write's timer fires: more than the timer grid's jitter. */
const SPIN_MS = 1.5;

/** Fires every pending reply's next write at its time, from one timer. */
class Scheduler {
  private readonly pending = new Set<Pending>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  add(item: Pending): void {
    item.res.once("close", () => this.pending.delete(item));
    this.schedule(item);
  }

  private schedule(item: Pending): void {
    this.pending.add(item);
    this.arm(item.precise ? item.dueAt - SPIN_MS : item.dueAt);
  }

  get size(): number {
    return this.pending.size;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.pending.clear();
  }

  private arm(at: number): void {
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - performance.now()));
  }

  private tick(): void {
    this.timerAt = Number.POSITIVE_INFINITY;
    // Node timers have a 1 ms resolution: what falls due within half of it is written now.
    const now = performance.now() + 0.5;
    let next = Number.POSITIVE_INFINITY;
    for (const item of this.pending) {
      if (item.precise) {
        if (item.dueAt - SPIN_MS <= now) {
          this.pending.delete(item);
          this.spin(item);
          continue;
        }
        if (item.dueAt - SPIN_MS < next) next = item.dueAt - SPIN_MS;
        continue;
      }
      if (item.dueAt <= now) {
        if (item.res.destroyed || item.step()) {
          this.pending.delete(item);
          continue;
        }
      }
      if (item.dueAt < next) next = item.dueAt;
    }
    if (next < Number.POSITIVE_INFINITY) this.arm(next);
  }

  /** Writes a precise item at its time: the loop keeps turning (other replies go on) meanwhile. */
  private spin(item: Pending): void {
    if (item.res.destroyed) return;
    if (performance.now() < item.dueAt) {
      setImmediate(() => this.spin(item));
      return;
    }
    item.precise = false;
    if (!item.step()) this.schedule(item);
  }
}

export interface PacedServer {
  readonly url: string;
  /** What to hand the SDK (`baseURL` / `serverURL`). */
  readonly baseURL: string;
  /** Requests answered so far, and replies still being written. */
  stats(): { calls: number; inFlight: number };
  setPacing(pacing: Pacing): void;
  close(): Promise<void>;
}

export const startPacedServer = async (kind: PacedKind, initial: Pacing): Promise<PacedServer> => {
  const wire = wireFor(kind);
  const scheduler = new Scheduler();
  let pacing = initial;
  let rendered = new Map<string, Rendered>();
  let calls = 0;

  const render = (model: string, includeUsage: boolean, requestBytes: number): Rendered => {
    const key = `${model}\u0000${includeUsage}\u0000${requestBytes}`;
    let found = rendered.get(key);
    if (!found) {
      const reply = resolveReply(
        { text: replyText(pacing), chunkSize: pacing.chunkSize },
        kind,
        "",
        requestBytes,
      );
      const ctx: ReplyContext = {
        kind,
        model,
        id: wire.newId(),
        created: Math.floor(Date.now() / 1000),
        includeUsage,
      };
      const plan = wire.replyStream(reply, ctx);
      if (plan.units.length !== pacing.events)
        throw new Error(`paced mock: ${plan.units.length} units for ${pacing.events} events`);
      found = { json: JSON.stringify(wire.replyBody(reply, ctx)), ...plan };
      rendered.set(key, found);
    }
    return found;
  };

  const answer = (res: ServerResponse, raw: string): void => {
    calls++;
    const received = performance.now();
    let body: { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } };
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":{"message":"not JSON"}}');
      return;
    }
    const model = typeof body.model === "string" ? body.model : "mock-model";
    const stream = body.stream === true;
    const reply = render(model, stream && body.stream_options?.include_usage === true, raw.length);
    const headers = wire.responseHeaders();
    if (!stream) {
      scheduler.add({
        res,
        dueAt: received + jsonDelayMs(pacing),
        step: () => {
          res.writeHead(200, {
            ...headers,
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(reply.json)),
          });
          res.end(reply.json);
          return true;
        },
      });
      return;
    }
    res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    });
    res.write(reply.head);
    const { intervalMs } = pacing;
    let index = 0;
    const item: Pending = {
      res,
      dueAt: received + pacing.firstTokenMs,
      precise: pacing.preciseFirstToken === true,
      step: () => {
        const unit = reply.units[index++]!;
        if (index === reply.units.length) {
          res.end(unit + reply.tail);
          return true;
        }
        res.write(unit);
        item.dueAt += intervalMs;
        return false;
      },
    };
    scheduler.add(item);
  };

  const server: Server = createServer((req, res) => {
    res.on("error", () => {});
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => answer(res, Buffer.concat(chunks).toString("utf8")));
  });
  // Node's default (5 s) would drop idle keep-alive connections between two benchmark phases.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseURL: kind === "openai" ? `${url}/v1` : url,
    stats: () => ({ calls, inFlight: scheduler.size }),
    setPacing(next) {
      pacing = next;
      rendered = new Map();
    },
    close: async () => {
      scheduler.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
