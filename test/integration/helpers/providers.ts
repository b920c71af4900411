/**
 * Real SDK clients pointed at the fault-injecting mock servers, wrapped in the library's adapters.
 * Every key is distinctive so a leak into an error, attempt or event is easy to spot.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import { aiSdk, anthropic, azureOpenAI, mistral, openai, openaiCompatible } from "../../../src/index.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";
import { type MockProvider, type MockProviderKind, startMockProvider } from "../../../src/testing/index.js";

/**
 * The adapter kinds the matrix covers; "openai-compatible" talks to an OpenAI-shaped mock; the
 * "ai-sdk-*" kinds are aiSdk() over the real @ai-sdk/openai (Chat Completions), @ai-sdk/anthropic
 * and @ai-sdk/google packages.
 */
export type AdapterKind =
  | "openai"
  | "azure"
  | "anthropic"
  | "mistral"
  | "openai-compatible"
  | "ai-sdk-openai"
  | "ai-sdk-anthropic"
  | "ai-sdk-google";

export const ADAPTER_KINDS: readonly AdapterKind[] = ["openai", "azure", "anthropic", "mistral"];

/** The aiSdk() kinds (their own matrix file: fault-matrix.ai-sdk.test.ts). */
export const AI_SDK_KINDS: readonly AdapterKind[] = ["ai-sdk-openai", "ai-sdk-anthropic", "ai-sdk-google"];

/** Distinctive fake keys: none of them may ever appear in an error message, attempt or event. */
export const API_KEYS: Record<AdapterKind, string> = {
  openai: "sk-test-SECRETKEY123-openai",
  azure: "azure-SECRETKEY123-key",
  anthropic: "sk-ant-test-SECRETKEY123",
  mistral: "mistral-SECRETKEY123-key",
  "openai-compatible": "gsk-SECRETKEY123-compat",
  "ai-sdk-openai": "sk-test-SECRETKEY123-aisdk-openai",
  "ai-sdk-anthropic": "sk-ant-test-SECRETKEY123-aisdk",
  "ai-sdk-google": "AIza-SECRETKEY123-aisdk-google",
};

/** The part of every key above that must never leak. */
export const KEY_MARKER = "SECRETKEY123";

/** A prompt nobody else would write: it must never appear in an error message, attempt or event. */
export const PROMPT = "PROMPT-CANARY-4f1e: summarise the purple elephant ledger";

/**
 * A loopback address of its own for each mock: "connection refused" rows take a mock down, and on a
 * shared 127.0.0.1 another test's new mock could be given the freed port and answer instead.
 */
const uniqueLoopback = (): string =>
  `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/** Non-deprecated model names. */
export const MODELS: Record<AdapterKind, string> = {
  openai: "gpt-4.1",
  azure: "gpt-4.1",
  anthropic: "claude-sonnet-4-6",
  mistral: "mistral-large-latest",
  "openai-compatible": "llama-3.3-70b-versatile",
  "ai-sdk-openai": "gpt-4.1",
  "ai-sdk-anthropic": "claude-sonnet-4-6",
  "ai-sdk-google": "gemini-2.5-flash",
};

/** The provider name each adapter reports (its default name). */
export const PROVIDER_NAMES: Record<AdapterKind, string> = {
  openai: "openai",
  azure: "azure-openai",
  anthropic: "anthropic",
  mistral: "mistral",
  "openai-compatible": "groq",
  // aiSdk()'s default names, from the models' provider strings.
  "ai-sdk-openai": "openai",
  "ai-sdk-anthropic": "anthropic",
  "ai-sdk-google": "google",
};

const MOCK_KINDS: Record<AdapterKind, MockProviderKind> = {
  openai: "openai",
  azure: "azure",
  anthropic: "anthropic",
  mistral: "mistral",
  "openai-compatible": "openai",
  "ai-sdk-openai": "openai",
  "ai-sdk-anthropic": "anthropic",
  "ai-sdk-google": "google",
};

export const mockKindOf = (kind: AdapterKind): MockProviderKind => MOCK_KINDS[kind];

/** A reply long enough to span many stream chunks (8 characters each by default). */
export const replyText = (kind: AdapterKind): string =>
  `Reply from ${kind}: the quick brown fox jumps over the lazy dog, twice over.`;

/** Starts a mock speaking `kind`'s wire format, with a distinctive default reply. */
export const startMock = (kind: AdapterKind): Promise<MockProvider> =>
  startMockProvider({
    kind: mockKindOf(kind),
    name: kind,
    defaultText: replyText(kind),
    host: uniqueLoopback(),
  });

/** The library adapter for `kind`, built over the real SDK client pointed at `mock`. */
export const adapterFor = (
  kind: AdapterKind,
  mock: Pick<MockProvider, "baseURL">,
  options: { contextWindow?: number } = {},
): ProviderAdapter => {
  const apiKey = API_KEYS[kind];
  const model = MODELS[kind];
  const extra = options.contextWindow !== undefined ? { contextWindow: options.contextWindow } : {};
  switch (kind) {
    case "openai":
      return openai({ client: new OpenAI({ apiKey, baseURL: mock.baseURL }), model, ...extra });
    case "azure":
      return azureOpenAI({
        client: new AzureOpenAI({
          endpoint: mock.baseURL,
          apiKey,
          deployment: "gpt-41-prod",
          apiVersion: "2024-10-21",
        }),
        model,
        ...extra,
      });
    case "anthropic":
      return anthropic({ client: new Anthropic({ apiKey, baseURL: mock.baseURL }), model, ...extra });
    case "mistral":
      return mistral({ client: new Mistral({ apiKey, serverURL: mock.baseURL }), model, ...extra });
    case "openai-compatible":
      return openaiCompatible({
        name: PROVIDER_NAMES[kind],
        baseURL: mock.baseURL,
        apiKey,
        model,
        ...extra,
      });
    case "ai-sdk-openai":
      return aiSdk({ model: createOpenAI({ apiKey, baseURL: mock.baseURL }).chat(model), ...extra });
    case "ai-sdk-anthropic":
      return aiSdk({ model: createAnthropic({ apiKey, baseURL: `${mock.baseURL}/v1` })(model), ...extra });
    case "ai-sdk-google":
      return aiSdk({ model: createGoogleGenerativeAI({ apiKey, baseURL: mock.baseURL })(model), ...extra });
  }
};
