export type { AnthropicProviderOptions } from "./anthropic-options.js";
export { anthropic } from "./anthropic-provider.js";
