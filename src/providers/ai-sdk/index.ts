export type { AiSdkEmbeddingModel, AiSdkLanguageModel } from "./ai-sdk-model.js";
export type { AiSdkEmbeddingsOptions, AiSdkProviderOptions } from "./ai-sdk-options.js";
export { aiSdk } from "./ai-sdk-provider.js";
