/**
 * ai-failover/redis: provider health shared by a fleet through Redis (node-redis or ioredis, both
 * optional peer dependencies: the store duck-types the client you pass and imports neither).
 */
export type {
  FleetView,
  HealthOrigin,
  StoreStatus,
} from "../health-link.js";
export type {
  SharedHealthStore,
  SharedHealthStoreOptions,
  SharedStoreStats,
} from "../shared-health-store.js";
export { StoreTimeoutError } from "../shared-health-store.js";
export type { StoreErrorEvent, StoreStatusEvent, StoreSubscription } from "../store-events.js";
export { RedisNotReadyError, RedisReplyError } from "./redis-backend.js";
export type { IORedisLikeClient, NodeRedisLikeClient, RedisLikeClient } from "./redis-connection.js";
export { type RedisStoreOptions, redisStore } from "./redis-store.js";
