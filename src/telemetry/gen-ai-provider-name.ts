import type { ProviderAdapter } from "../spec/provider.js";

/** The conventions' well-known `gen_ai.provider.name` values for each adapter kind with one vendor. */
const byKind: Partial<Record<ProviderAdapter["kind"], string>> = {
  openai: "openai",
  "azure-openai": "azure.ai.openai",
  anthropic: "anthropic",
  mistral: "mistral_ai",
};

/**
 * Provider names (ours, or derived from an AI SDK model's `provider` string) that name a vendor with
 * a well-known value. The conventions say a well-known value MUST be used when one applies.
 */
const byName: Record<string, string> = {
  openai: "openai",
  azure: "azure.ai.openai",
  "azure-openai": "azure.ai.openai",
  anthropic: "anthropic",
  mistral: "mistral_ai",
  google: "gcp.gemini",
  gemini: "gcp.gemini",
  vertex: "gcp.vertex_ai",
  "vertex-anthropic": "gcp.vertex_ai",
  bedrock: "aws.bedrock",
  groq: "groq",
  deepseek: "deepseek",
  perplexity: "perplexity",
  xai: "x_ai",
  cohere: "cohere",
  moonshotai: "moonshot_ai",
  moonshot: "moonshot_ai",
};

/**
 * `gen_ai.provider.name` for an adapter: the vendor its kind speaks to (OpenAI, Azure OpenAI,
 * Anthropic, Mistral), else the vendor its name says (an OpenAI-compatible "groq", an AI SDK
 * "google" model), else its name as given (a custom value, as the conventions allow).
 */
export const genAiProviderName = (adapter: Pick<ProviderAdapter, "kind" | "name">): string =>
  byKind[adapter.kind] ?? byName[adapter.name.toLowerCase()] ?? adapter.name;
