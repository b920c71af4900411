/**
 * `ai-failover/testing`: a fault-injecting mock LLM provider server speaking the real wire formats
 * of OpenAI, Azure OpenAI, Anthropic, Mistral and Google Gemini. Point any SDK at it. Imports
 * nothing but `node:`.
 */
export {
  buildErrorResponse,
  formatOpenAIDuration,
  htmlErrorPage,
  type MockErrorResponse,
} from "./error-responses.js";
export { type ErrorFaultBuilder, type ErrorFaultOptions, faults, type MockFaults } from "./faults.js";
export { type MockDefault, type MockProvider, startMockProvider } from "./mock-provider.js";
export { type MockProviderGroup, type MockProviderSpec, startMockProviders } from "./mock-providers.js";
export { REDACTED } from "./redact.js";
export type {
  MockBlackHoleFault,
  MockCall,
  MockContentFilterStreamFault,
  MockCutFault,
  MockEmbeddingReply,
  MockErrorFault,
  MockErrorKind,
  MockFault,
  MockHtmlFault,
  MockInBandErrorFault,
  MockMalformedFault,
  MockNoTerminalFault,
  MockProviderKind,
  MockProviderOptions,
  MockReply,
  MockReplyFault,
  MockResetFault,
  MockSlowFirstTokenFault,
  MockSlowHeadersFault,
  MockStallFault,
  MockStatusFault,
  MockToolCall,
  MockUsage,
  RecordedRequest,
} from "./types.js";
export { mockEmbedding } from "./wire/embeddings.js";
