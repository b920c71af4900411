/**
 * `ai-failover/ai-sdk`: the failover engine as an AI SDK language model. Needs `ai` (or just
 * `@ai-sdk/provider`) installed; the root entry point never loads either.
 */
export type { FailoverErrorData } from "./convert-to-ai-sdk-error.js";
export type { FailoverProviderOptions } from "./convert-to-failover-request.js";
export type { FailoverAttemptMetadata, FailoverMetadata } from "./failover-metadata.js";
export { type FailoverModelOptions, failoverModel } from "./failover-model.js";
