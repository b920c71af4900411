/**
 * ai-failover: keep an app's LLM features alive when a provider goes down.
 * One chat API over OpenAI, Azure OpenAI, Anthropic, Mistral, OpenAI-compatible providers and any
 * AI SDK model, run through one resilience engine; plus `withFailover(new OpenAI())` for existing code.
 */

import type {
  FailoverAPIPromise as FailoverAPIPromiseClass,
  FailoverStream as FailoverStreamClass,
} from "./compat/openai/index.js";

export {
  type FailoverInfo,
  getFailoverClient,
  getFailoverInfo,
  type OpenAILikeClient,
  type PrimaryProviderOptions,
  type WithFailoverOptions,
  withFailover,
} from "./compat/openai/index.js";
/**
 * What `chat.completions.create()` of a `withFailover` client returns: a promise with the SDK's
 * `.withResponse()` / `.asResponse()`. A type only (the class is not exported at runtime).
 */
export type FailoverAPIPromise<T> = FailoverAPIPromiseClass<T>;
/** The stream a `withFailover` client returns for `stream: true`. A type only (the class is not exported at runtime). */
export type FailoverStream<Item> = FailoverStreamClass<Item>;
export type { ClientOptions, ProviderEntry } from "./engine/client-options.js";
export type {
  FailoverClient,
  FailoverEmbedRequest,
  FailoverRequest,
  ProviderHealth,
} from "./engine/create-client.js";
export { createClient } from "./engine/create-client.js";
export type {
  AttemptEndEvent,
  AttemptStartEvent,
  BreakerStateChangeEvent,
  BudgetExhaustedEvent,
  CallEndEvent,
  CallErrorName,
  CallOutcome,
  CallStartEvent,
  Disposable,
  EventSubscriber,
  FallbackEvent,
  HedgeEvent,
  ListenerErrorContext,
  ListenerErrorHandler,
  RetryEvent,
  SkipEvent,
} from "./engine/events.js";
export type { Unavailability } from "./engine/model-health.js";
export type {
  BackoffPolicyOptions,
  BreakerPolicyOptions,
  DeadlineOptions,
  HedgingOptions,
  PolicyOptions,
  RetryOptions,
} from "./engine/policy-options.js";
export { defaultPolicy } from "./engine/policy-options.js";
export type { ProviderCheck, VerifyOptions, VerifyReport } from "./engine/verify-providers.js";
export type { FailureAction, FailureClass, SkippedProvider } from "./errors/index.js";
export {
  AiFailoverError,
  AllProvidersFailedError,
  ConfigError,
  defaultFailureActions,
  failureClasses,
  InvalidRequestError,
  isAiFailoverError,
  isAllProvidersFailedError,
  isConfigError,
  isInvalidRequestError,
  isProviderError,
  isStreamInterruptedError,
  isStructuredOutputError,
  ProviderError,
  parseRetryAfter,
  StreamInterruptedError,
  StructuredOutputError,
} from "./errors/index.js";
export {
  type ChatStreamSource,
  ClientStalledError,
  pipeSSE,
  type ServerResponseLike,
  type SSEErrorCode,
  type SSEErrorData,
  type SSEEvent,
  type SSEEventData,
  type SSEEventName,
  type SSEOptions,
  type SSEUsage,
  toSSEResponse,
} from "./http/index.js";
export type {
  AiSdkEmbeddingModel,
  AiSdkEmbeddingsOptions,
  AiSdkLanguageModel,
  AiSdkProviderOptions,
} from "./providers/ai-sdk/index.js";
export { aiSdk } from "./providers/ai-sdk/index.js";
export type { AnthropicLikeClient } from "./providers/anthropic/anthropic-options.js";
export type { AnthropicProviderOptions } from "./providers/anthropic/index.js";
export { anthropic } from "./providers/anthropic/index.js";
export type { AzureOpenAIEmbeddingsOptions } from "./providers/azure/azure-openai-options.js";
export type { AzureOpenAIProviderOptions } from "./providers/azure/index.js";
export { azureOpenAI } from "./providers/azure/index.js";
export type { MistralProviderOptions } from "./providers/mistral/index.js";
export { mistral } from "./providers/mistral/index.js";
export type { MistralLikeClient } from "./providers/mistral/mistral-options.js";
export type { OpenAIProviderOptions } from "./providers/openai/index.js";
export { openai } from "./providers/openai/index.js";
export type {
  OpenAICompatibleProviderOptions,
  PerplexityProviderOptions,
} from "./providers/openai-compatible/index.js";
export { openaiCompatible, perplexity } from "./providers/openai-compatible/index.js";
export type { BaseProviderOptions } from "./providers/provider-options.js";
export type { EmbeddingsOptions } from "./providers/shared/embeddings-option.js";

export type * from "./spec/index.js";
export * from "./state/index.js";
export type {
  MeterProviderLike,
  TelemetryOptions,
  TracerProviderLike,
} from "./telemetry/telemetry-options.js";
