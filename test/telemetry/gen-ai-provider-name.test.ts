import { describe, expect, it } from "vitest";
import type { ProviderKind } from "../../src/spec/provider.js";
import { genAiProviderName } from "../../src/telemetry/gen-ai-provider-name.js";

describe("genAiProviderName", () => {
  it.each<[ProviderKind, string, string]>([
    // The kind decides when it names one vendor, whatever the provider was called.
    ["openai", "openai", "openai"],
    ["openai", "openai-eu", "openai"],
    ["azure-openai", "azure-openai", "azure.ai.openai"],
    ["anthropic", "claude-backup", "anthropic"],
    ["mistral", "mistral", "mistral_ai"],
    // OpenAI-compatible servers and AI SDK models: the vendor the name says, when well known.
    ["openai-compatible", "groq", "groq"],
    ["openai-compatible", "DeepSeek", "deepseek"],
    ["openai-compatible", "perplexity", "perplexity"],
    ["ai-sdk", "google", "gcp.gemini"],
    ["ai-sdk", "vertex", "gcp.vertex_ai"],
    ["ai-sdk", "vertex-anthropic", "gcp.vertex_ai"],
    ["ai-sdk", "bedrock", "aws.bedrock"],
    ["ai-sdk", "xai", "x_ai"],
    ["ai-sdk", "azure", "azure.ai.openai"],
    // Otherwise the configured name, a custom value the conventions allow.
    ["openai-compatible", "ollama", "ollama"],
    ["ai-sdk", "custom", "custom"],
  ])("%s named %j → %j", (kind, name, expected) => {
    expect(genAiProviderName({ kind, name })).toBe(expected);
  });
});
