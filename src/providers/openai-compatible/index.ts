export type { OpenAICompatibleProviderOptions } from "./openai-compatible-options.js";
export { openaiCompatible } from "./openai-compatible-provider.js";
export type { PerplexityProviderOptions } from "./perplexity-provider.js";
export { perplexity } from "./perplexity-provider.js";
