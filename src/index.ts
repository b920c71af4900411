/**
 * ai-failover: keep an app's LLM features alive when a provider goes down.
 * One chat API over OpenAI, Azure OpenAI, Anthropic, Mistral and OpenAI-compatible providers,
 * run through one resilience engine; plus `withFailover(new OpenAI())` for existing code.
 */

// The native face
export { createClient } from "./engine/create-client.js";
export type { FailoverClient, FailoverRequest, ProviderHealth } from "./engine/create-client.js";
export type { ClientOptions, ProviderEntry } from "./engine/client-options.js";
export type {
  BackoffPolicyOptions,
  BreakerPolicyOptions,
  DeadlineOptions,
  HedgingOptions,
  PolicyOptions,
  RetryOptions,
} from "./engine/policy-options.js";
export { defaultPolicy } from "./engine/policy-options.js";
export type {
  AttemptEndEvent,
  AttemptStartEvent,
  BreakerStateChangeEvent,
  BudgetExhaustedEvent,
  Disposable,
  EventSubscriber,
  FallbackEvent,
  HedgeEvent,
  RetryEvent,
  SkipEvent,
} from "./engine/events.js";

// Providers
export { anthropic } from "./providers/anthropic/index.js";
export type { AnthropicProviderOptions } from "./providers/anthropic/index.js";
export { azureOpenAI } from "./providers/azure/index.js";
export type { AzureOpenAIProviderOptions } from "./providers/azure/index.js";
export { mistral } from "./providers/mistral/index.js";
export type { MistralProviderOptions } from "./providers/mistral/index.js";
export { openai } from "./providers/openai/index.js";
export type { OpenAIProviderOptions } from "./providers/openai/index.js";
export { openaiCompatible, perplexity } from "./providers/openai-compatible/index.js";
export type { OpenAICompatibleProviderOptions, PerplexityProviderOptions } from "./providers/openai-compatible/index.js";
export type { BaseProviderOptions } from "./providers/provider-options.js";

// Errors
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
  parseRetryAfter,
  ProviderError,
  StreamInterruptedError,
  StructuredOutputError,
} from "./errors/index.js";
export type { FailureAction, FailureClass } from "./errors/index.js";

// Provider-neutral types (also what custom adapters implement)
export type * from "./spec/index.js";
