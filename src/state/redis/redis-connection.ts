/*
 * The two Redis clients people run, seen through the few members the store uses (duck-typed: the
 * library never imports either at runtime). Both stall callers by default while Redis is down (an
 * offline queue; ioredis has no command timeout), so the store guards itself: it sends only while
 * the client says it is ready, races every command against its own timeout (node-redis also gets
 * `timeout` + `rejectInFlight`, so the command leaves its queue), and subscribes on a connection of
 * its own, duplicated from yours.
 */

import { untilAborted } from "../../internal/until-aborted.js";

/** The members of a node-redis (`redis` 5 or 6) client the store uses. */
export interface NodeRedisLikeClient {
  readonly isReady: boolean;
  sendCommand(args: readonly string[], options?: object): Promise<unknown>;
  duplicate(overrides?: object): NodeRedisLikeSubscriber;
}

interface NodeRedisLikeSubscriber {
  on(event: string, listener: (...args: any[]) => void): unknown;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  destroy(): void;
}

/** The members of an ioredis (5 or 6) client the store uses. */
export interface IORedisLikeClient {
  readonly status: string;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  duplicate(override?: object): IORedisLikeSubscriber;
}

interface IORedisLikeSubscriber {
  on(event: string, listener: (...args: any[]) => void): unknown;
  subscribe(channel: string): Promise<unknown>;
  disconnect(): void;
}

/** A node-redis or ioredis client, connected (or connecting) by you. */
export type RedisLikeClient = NodeRedisLikeClient | IORedisLikeClient;

/** What the store needs from either client. */
export interface RedisConnection {
  readonly kind: "node-redis" | "ioredis";
  /** Whether a command sent now goes out at once (no offline queue). */
  ready(): boolean;
  /** Sends one command; rejects when `signal` aborts (the store's timeout). */
  send(args: readonly string[], signal: AbortSignal): Promise<unknown>;
  /** Subscribes on a duplicate connection of the store's own. Returns the closer. */
  subscribe(
    channel: string,
    onMessage: (message: string) => void,
    handlers: { onError(error: unknown): void; onReady(): void },
  ): () => Promise<void>;
}

export const isNodeRedisClient = (client: unknown): client is NodeRedisLikeClient =>
  typeof client === "object" &&
  client !== null &&
  typeof (client as NodeRedisLikeClient).sendCommand === "function" &&
  typeof (client as NodeRedisLikeClient).isReady === "boolean" &&
  typeof (client as NodeRedisLikeClient).duplicate === "function";

export const isIORedisClient = (client: unknown): client is IORedisLikeClient =>
  typeof client === "object" &&
  client !== null &&
  typeof (client as IORedisLikeClient).call === "function" &&
  typeof (client as IORedisLikeClient).status === "string" &&
  typeof (client as IORedisLikeClient).duplicate === "function";

/** Wraps a client. @throws TypeError when `client` is neither a node-redis nor an ioredis client. */
export const connectionFor = (client: unknown): RedisConnection => {
  if (isNodeRedisClient(client)) {
    return {
      kind: "node-redis",
      ready: () => client.isReady,
      send: (args, signal) =>
        untilAborted(client.sendCommand(args, { abortSignal: signal, rejectInFlight: true }), signal),
      subscribe(channel, onMessage, { onError, onReady }) {
        // Commands wait for the connection here: the subscriber sends one SUBSCRIBE, nothing else.
        const subscriber = client.duplicate();
        subscriber.on("error", onError);
        subscriber.on("ready", onReady);
        subscriber
          .connect()
          .then(() => subscriber.subscribe(channel, onMessage))
          .catch(onError);
        return async () => subscriber.destroy();
      },
    };
  }
  if (isIORedisClient(client)) {
    return {
      kind: "ioredis",
      ready: () => client.status === "ready",
      send: (args, signal) => {
        const [command, ...rest] = args;
        return untilAborted(client.call(command!, ...rest), signal);
      },
      subscribe(channel, onMessage, { onError, onReady }) {
        const subscriber = client.duplicate({ lazyConnect: false, autoResubscribe: true });
        subscriber.on("error", onError);
        subscriber.on("ready", onReady);
        subscriber.on("message", (from: string, message: string) => {
          if (from === channel) onMessage(message);
        });
        subscriber.subscribe(channel).catch(onError);
        return async () => subscriber.disconnect();
      },
    };
  }
  throw new TypeError("expected a node-redis client (redis 5+) or an ioredis client");
};
