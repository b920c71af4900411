export type { AzureOpenAIProviderOptions } from "./azure-openai-options.js";
export { azureOpenAI } from "./azure-openai-provider.js";
