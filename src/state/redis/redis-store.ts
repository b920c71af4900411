import { ConfigError } from "../../errors/config-error.js";
import { findUnknownOptions } from "../../internal/find-unknown-options.js";
import {
  describeValue,
  readSharedStoreOptions,
  sharedStoreOptionKeys,
  throwIssues,
} from "../read-store-options.js";
import {
  createCheckedStore,
  type SharedHealthStore,
  type SharedHealthStoreOptions,
} from "../shared-health-store.js";
import { createRedisBackend } from "./redis-backend.js";
import {
  connectionFor,
  isIORedisClient,
  isNodeRedisClient,
  type RedisLikeClient,
} from "./redis-connection.js";

/** Options of {@link redisStore}. */
export interface RedisStoreOptions extends SharedHealthStoreOptions {
  /**
   * A node-redis (`redis` 5 or 6, `createClient(...).connect()`) or ioredis client, connected by you.
   * The store sends its commands on it only while it is ready (never into its offline queue), with
   * its own timeout, and subscribes on a duplicate connection it opens and closes itself.
   */
  client: RedisLikeClient;
  /**
   * Prefix of the store's Redis key (`<keyPrefix>health`, one hash) and pub/sub channel
   * (`<keyPrefix>health:changes`). Instances share health when they share the prefix.
   * @default "ai-failover:"
   */
  keyPrefix?: string;
  /**
   * Push changes to the other instances through Redis pub/sub (they are seen in milliseconds); the
   * poll every `syncIntervalMs` remains the backstop. `false`: polling only.
   * @default true
   */
  pubsub?: boolean;
}

/**
 * A health store shared by every instance that uses the same Redis and `keyPrefix`: breakers opened,
 * coolings and disabled providers are seen fleet-wide within a second (milliseconds with pub/sub),
 * and one probe per fleet tests a provider after a break. A call never waits for Redis: a Redis that
 * is slow, down or black-holed costs calls nothing but staleness (see docs/concepts.md, "Fleet").
 *
 * @example
 * import { createClient as createRedis } from "redis";
 * import { redisStore } from "ai-failover/redis";
 * const redis = await createRedis({ url: process.env.REDIS_URL }).connect();
 * const client = createClient({ providers, store: redisStore({ client: redis, keyPrefix: "myapp:" }) });
 *
 * @throws ConfigError naming each bad or unknown option (`client` neither client, `timeoutMs` out of
 * range, `keyprefix` for `keyPrefix`…), as `createClient` does.
 */
export const redisStore = (options: RedisStoreOptions): SharedHealthStore => {
  const label = "redisStore";
  if (typeof options !== "object" || options === null)
    throw new ConfigError([`${label}(options): expected { client, keyPrefix? }`]);
  const issues = findUnknownOptions(label, options, redisStoreOptionKeys);
  const { client, keyPrefix = "ai-failover:", pubsub = true } = options;
  if (!isNodeRedisClient(client) && !isIORedisClient(client))
    issues.push(`${label}.client: expected a node-redis client (redis 5+) or an ioredis client`);
  if (typeof keyPrefix !== "string")
    issues.push(`${label}.keyPrefix: expected a string, got ${describeValue(keyPrefix)}`);
  if (typeof pubsub !== "boolean")
    issues.push(`${label}.pubsub: expected a boolean, got ${describeValue(pubsub)}`);
  const storeOptions = readSharedStoreOptions(label, options, issues);
  throwIssues(issues);
  const backend = createRedisBackend(connectionFor(client), keyPrefix);
  return createCheckedStore(pubsub ? backend : { exchange: backend.exchange }, storeOptions);
};

const redisStoreOptionKeys = ["client", "keyPrefix", "pubsub", ...sharedStoreOptionKeys];
