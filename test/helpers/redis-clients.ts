/**
 * The two Redis clients the store supports, connected the way an app connects them — with their
 * default settings (an offline queue, reconnection, no command timeout for ioredis): the store must
 * protect calls from those defaults itself.
 */
import { Redis } from "ioredis";
import { createClient } from "redis";
import type { RedisLikeClient } from "../../src/state/redis/redis-connection.js";

export const redisClientKinds = ["node-redis", "ioredis"] as const;
export type RedisClientKind = (typeof redisClientKinds)[number];

export interface ConnectedRedis {
  client: RedisLikeClient;
  /** Errors the client emitted (an app logs them; without a listener node-redis would crash the process). */
  errors: unknown[];
  close(): Promise<void>;
}

export const connectRedis = async (kind: RedisClientKind, url: string): Promise<ConnectedRedis> => {
  const errors: unknown[] = [];
  if (kind === "node-redis") {
    const client = createClient({ url });
    client.on("error", (error: unknown) => errors.push(error));
    await client.connect();
    return { client, errors, close: async () => client.destroy() };
  }
  const client = new Redis(url, { lazyConnect: true });
  client.on("error", (error: unknown) => errors.push(error));
  await client.connect();
  return { client, errors, close: async () => client.disconnect() };
};

/** Polls `check` every 5 ms until it holds or `timeoutMs` passes; resolves with the time it took. */
export const waitFor = async (check: () => boolean, timeoutMs = 2_000, what = ""): Promise<number> => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms${what ? `: ${what}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
};
