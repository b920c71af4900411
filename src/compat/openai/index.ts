export type { FailoverAPIPromise } from "./failover-api-promise.js";
export { type FailoverInfo, getFailoverInfo } from "./failover-info.js";
export type { FailoverStream } from "./failover-stream.js";
export { getFailoverClient, type OpenAILikeClient, withFailover } from "./with-failover.js";
export type { PrimaryProviderOptions, WithFailoverOptions } from "./with-failover-options.js";
