/**
 * What went wrong when something that is not a provider was passed where one belongs, and the fix —
 * or undefined when the value is nothing recognizable. Structural checks only: no SDK is imported.
 * The value itself is never echoed (an SDK client holds its key).
 */
export const describeProviderMistake = (value: unknown): string | undefined => {
  if (typeof value === "function") return describeFunction(value);
  if (typeof value !== "object" || value === null) return undefined;
  const sdk = sdkClientKind(value);
  if (sdk) return `got ${sdk.article} ${sdk.label} SDK client; wrap it: ${sdk.wrap}`;
  const v = value as Record<string, unknown>;
  if (typeof v.specificationVersion === "string" && typeof v.doGenerate === "function")
    return "got an AI SDK model; wrap it: aiSdk({ model })";
  if (typeof v.then === "function")
    return "got a promise; a provider factory returns its provider synchronously (no await needed)";
  if (typeof v.model === "string" && !("provider" in v))
    return "got a plain options object; pass it to a provider factory: openai({ ... }), anthropic({ ... }), …";
  return undefined;
};

const factories: Record<string, string> = {
  openai: 'openai({ model: "…" })',
  azureOpenAI: 'azureOpenAI({ endpoint, model: "…" })',
  anthropic: 'anthropic({ model: "…" })',
  mistral: 'mistral({ model: "…" })',
  openaiCompatible: 'openaiCompatible({ name, baseURL, model: "…" })',
  perplexity: 'perplexity({ model: "…" })',
  aiSdk: "aiSdk({ model })",
};

const sdkClasses: Record<string, string> = {
  OpenAI: 'openai({ client: new OpenAI(), model: "…" })',
  AzureOpenAI: 'azureOpenAI({ client: new AzureOpenAI({ … }), model: "…" })',
  Anthropic: 'anthropic({ client: new Anthropic(), model: "…" })',
  Mistral: 'mistral({ client: new Mistral(), model: "…" })',
};

const describeFunction = (fn: object): string => {
  const name = (fn as { name?: unknown }).name;
  if (typeof name === "string" && Object.hasOwn(factories, name))
    return `got the factory \`${name}\` itself, not called; call it: ${factories[name]}`;
  if (typeof name === "string" && Object.hasOwn(sdkClasses, name))
    return `got the ${name} class; pass a provider: ${sdkClasses[name]}`;
  return "got a function; expected a provider from openai(), azureOpenAI(), anthropic(), mistral(), openaiCompatible() or aiSdk() (a factory that was not called?)";
};

interface SdkKind {
  article: "a" | "an";
  label: string;
  wrap: string;
}

const hasMethod = (value: unknown, ...path: string[]): boolean => {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === "function";
};

/** Which provider SDK's client `value` is, read from its shape (and class name for Azure). */
export const sdkClientKind = (value: object): SdkKind | undefined => {
  if (hasMethod(value, "chat", "completions", "create")) {
    const v = value as { apiVersion?: unknown; deploymentName?: unknown };
    const azure =
      typeof v.apiVersion === "string" ||
      typeof v.deploymentName === "string" ||
      value.constructor?.name === "AzureOpenAI";
    return azure
      ? { article: "an", label: "AzureOpenAI", wrap: 'azureOpenAI({ client, model: "…" })' }
      : {
          article: "an",
          label: "OpenAI",
          wrap: 'openai({ client, model: "…" }) (or openaiCompatible({ name, baseURL, client, model }) for another server)',
        };
  }
  if (hasMethod(value, "messages", "create"))
    return { article: "an", label: "Anthropic", wrap: 'anthropic({ client, model: "…" })' };
  if (hasMethod(value, "chat", "complete") && hasMethod(value, "chat", "stream"))
    return { article: "a", label: "Mistral", wrap: 'mistral({ client, model: "…" })' };
  return undefined;
};
