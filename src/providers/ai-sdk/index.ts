export type { AiSdkLanguageModel } from "./ai-sdk-model.js";
export type { AiSdkProviderOptions } from "./ai-sdk-options.js";
export { aiSdk } from "./ai-sdk-provider.js";
