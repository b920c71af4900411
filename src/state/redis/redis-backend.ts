import type { HealthBackend, HealthChange, HealthRecord, HealthSnapshot } from "../health-backend.js";
import { exchangeScript, exchangeScriptSha } from "./exchange-script.js";
import type { RedisConnection } from "./redis-connection.js";

/** The Redis client is not connected: the store does not queue commands behind it. */
export class RedisNotReadyError extends Error {
  override readonly name = "RedisNotReadyError";
}

/** Redis answered something the store cannot read (another program writes the same key?). */
export class RedisReplyError extends Error {
  override readonly name = "RedisReplyError";
}

/** A `HealthBackend` over one Redis hash, one Lua script and one pub/sub channel. */
export const createRedisBackend = (connection: RedisConnection, keyPrefix: string): HealthBackend => {
  const key = `${keyPrefix}health`;
  const channel = `${keyPrefix}health:changes`;
  return {
    async exchange(request, signal) {
      if (!connection.ready()) throw new RedisNotReadyError("the Redis client is not connected");
      const json = JSON.stringify(request);
      let reply: unknown;
      try {
        reply = await connection.send(["EVALSHA", exchangeScriptSha, "1", key, json, channel], signal);
      } catch (error) {
        if (!String((error as Error | undefined)?.message).startsWith("NOSCRIPT")) throw error;
        // First use, or Redis restarted: EVAL loads the script.
        reply = await connection.send(["EVAL", exchangeScript, "1", key, json, channel], signal);
      }
      return parseSnapshot(reply);
    },
    subscribe(onChange, handlers) {
      return connection.subscribe(
        channel,
        (message) => {
          let change: HealthChange;
          try {
            change = parseChange(message);
          } catch (error) {
            handlers.onError(error);
            return;
          }
          onChange(change);
        },
        handlers,
      );
    },
  };
};

interface RawRecord {
  b?: { s: string; u?: number; l?: number; r?: string; st?: number; by: string; v: number; lr?: boolean };
  c?: { s: string; u?: number; cap?: boolean; st?: number; by: string; v: number };
  l?: { o: string; u: number };
  s?: { n: number; u: number };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const parseJson = (reply: unknown): Record<string, unknown> => {
  const text =
    typeof reply === "string" ? reply : Buffer.isBuffer(reply) ? reply.toString("utf8") : undefined;
  if (text === undefined) throw new RedisReplyError("the health script's reply is not a string");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RedisReplyError("the health script's reply is not JSON");
  }
  if (!isObject(parsed) || typeof parsed.g !== "string" || typeof parsed.n !== "number")
    throw new RedisReplyError("the health script's reply has no generation or time");
  return parsed;
};

const parseSnapshot = (reply: unknown): HealthSnapshot => {
  const parsed = parseJson(reply);
  return { generation: parsed.g as string, records: parseRecords(parsed.r, parsed.n as number) };
};

const parseChange = (message: string): HealthChange => {
  const parsed = parseJson(message);
  if (typeof parsed.by !== "string") throw new RedisReplyError("a health change names no instance");
  return {
    generation: parsed.g as string,
    by: parsed.by,
    records: parseRecords(parsed.r, parsed.n as number),
  };
};

/** Records with server times made durations (`leftMs`) against the server's `now`. */
const parseRecords = (raw: unknown, now: number): Record<string, HealthRecord> => {
  const records: Record<string, HealthRecord> = {};
  if (!isObject(raw)) return records;
  for (const [id, value] of Object.entries(raw)) {
    if (!isObject(value)) continue;
    records[id] = parseRecord(value as RawRecord, now);
  }
  return records;
};

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

const parseRecord = ({ b, c, l, s }: RawRecord, now: number): HealthRecord => {
  const record: HealthRecord = {};
  if (isObject(b) && typeof b.by === "string" && typeof b.v === "number") {
    if (b.s === "closed") record.breaker = { state: "closed", setBy: b.by, version: b.v };
    else if ((b.s === "open" || b.s === "disabled") && typeof b.u === "number") {
      const status = num(b.st);
      record.breaker = {
        state: b.s,
        leftMs: b.u - now,
        level: num(b.l) ?? 1,
        reason: typeof b.r === "string" ? b.r : "",
        lastResortSpent: b.lr === true,
        setBy: b.by,
        version: b.v,
        ...(status !== undefined ? { status } : {}),
      };
    }
  }
  if (isObject(c) && typeof c.by === "string" && typeof c.v === "number") {
    if (c.s === "none") record.cooling = { state: "none", setBy: c.by, version: c.v };
    else if (c.s === "cooling" && typeof c.u === "number") {
      const status = num(c.st);
      record.cooling = {
        state: "cooling",
        leftMs: c.u - now,
        capped: c.cap === true,
        setBy: c.by,
        version: c.v,
        ...(status !== undefined ? { status } : {}),
      };
    }
  }
  if (isObject(l) && typeof l.o === "string" && typeof l.u === "number")
    record.lease = { holder: l.o, leftMs: l.u - now };
  if (isObject(s) && typeof s.n === "number") record.strikes = s.n;
  return record;
};
