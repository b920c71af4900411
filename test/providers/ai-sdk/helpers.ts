/**
 * Real AI SDK provider packages pointed at the project's mock servers (OpenAI Chat Completions,
 * Anthropic Messages, Gemini generateContent), wrapped in the aiSdk() adapter.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { aiSdk } from "../../../src/index.js";
import type { AttemptContext, ProviderAdapter } from "../../../src/spec/provider.js";
import type { ProviderRequest } from "../../../src/spec/request.js";
import type { FinishPart, StreamPart } from "../../../src/spec/stream.js";
import type { MockProvider, MockProviderKind } from "../../../src/testing/index.js";

export type SdkKind = "openai" | "anthropic" | "google";
export const SDK_KINDS: readonly SdkKind[] = ["openai", "anthropic", "google"];

export const KEY = "sk-test-SECRETKEY123-aisdk";
export const MODELS: Record<SdkKind, string> = {
  openai: "gpt-4.1",
  anthropic: "claude-sonnet-4-6",
  google: "gemini-2.5-flash",
};
export const NAMES: Record<SdkKind, string> = { openai: "openai", anthropic: "anthropic", google: "google" };
export const mockKind = (kind: SdkKind): MockProviderKind => kind;

/** The real AI SDK model for `kind`, talking to `mock`. OpenAI through Chat Completions (what the mock speaks). */
export const sdkModel = (kind: SdkKind, mock: Pick<MockProvider, "url" | "baseURL">): LanguageModelV4 => {
  switch (kind) {
    case "openai":
      return createOpenAI({ apiKey: KEY, baseURL: mock.baseURL }).chat(MODELS.openai);
    case "anthropic":
      return createAnthropic({ apiKey: KEY, baseURL: `${mock.url}/v1` })(MODELS.anthropic);
    case "google":
      return createGoogleGenerativeAI({ apiKey: KEY, baseURL: mock.baseURL })(MODELS.google);
  }
};

export const adapterFor = (kind: SdkKind, mock: Pick<MockProvider, "url" | "baseURL">): ProviderAdapter =>
  aiSdk({ model: sdkModel(kind, mock) });

export const attempt = (signal: AbortSignal = new AbortController().signal): AttemptContext => ({
  signal,
  timeoutMs: 10_000,
});

export const request = (kind: SdkKind, overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: MODELS[kind],
  messages: [{ role: "user", content: "PROMPT-CANARY-91: hello" }],
  ...overrides,
});

/** Reads a whole stream: its parts, the text, and the finish part (if any). */
export const collect = async (
  iterable: AsyncIterable<StreamPart>,
): Promise<{ parts: StreamPart[]; text: string; finish: FinishPart | undefined }> => {
  const parts: StreamPart[] = [];
  for await (const part of iterable) parts.push(part);
  const text = parts.map((p) => (p.type === "text" ? p.text : "")).join("");
  return { parts, text, finish: parts.find((p): p is FinishPart => p.type === "finish") };
};

/** What `fn` threw (fails when it does not throw). */
export const caught = async (fn: () => Promise<unknown>): Promise<any> => {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
};
