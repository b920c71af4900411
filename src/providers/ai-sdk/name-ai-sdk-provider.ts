/**
 * Default provider names and failure domains from an AI SDK model's `provider` string
 * (`"openai.chat"`, `"google.generative-ai"`, `"google.vertex.chat"`, `"amazon-bedrock"`…).
 *
 * The domain is the cloud the model runs on, because a cloud outage takes everything on it down
 * together: an `@ai-sdk/openai` or `@ai-sdk/azure` model is in the "openai" domain with the native
 * OpenAI and Azure adapters; Gemini and Vertex (Anthropic on Vertex included) are "google";
 * Bedrock is "aws", whichever vendor's model it serves.
 */
interface Naming {
  name: string;
  domain: string;
}

const rules: [RegExp, Naming][] = [
  [/^google\.vertex\.anthropic\b|^vertex\.anthropic\b/, { name: "vertex-anthropic", domain: "google" }],
  [/^google\.vertex\b|^vertex\b/, { name: "vertex", domain: "google" }],
  [/^google\b/, { name: "google", domain: "google" }],
  [/^amazon-bedrock\b|^bedrock\b/, { name: "bedrock", domain: "aws" }],
  [/^azure\b/, { name: "azure", domain: "openai" }],
  [/^openai\b/, { name: "openai", domain: "openai" }],
];

const cleanName = (provider: string): string => {
  const first = provider.split(".")[0] ?? "";
  const cleaned = first.replace(/[^A-Za-z0-9._:-]/g, "-").replace(/^-+|-+$/g, "");
  return cleaned === "" ? "ai-sdk" : cleaned;
};

/** The default `name` and `domain` for a model whose `provider` is `provider`. */
export const nameAiSdkProvider = (provider: string): Naming => {
  for (const [pattern, naming] of rules) if (pattern.test(provider)) return naming;
  const name = cleanName(provider);
  return { name, domain: name };
};
