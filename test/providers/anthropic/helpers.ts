import Anthropic from "@anthropic-ai/sdk";
import type { AnthropicProviderOptions } from "../../../src/providers/anthropic/index.js";
import { anthropic } from "../../../src/providers/anthropic/index.js";
import type { AttemptContext, ProviderAdapter } from "../../../src/spec/provider.js";
import type { ProviderRequest } from "../../../src/spec/request.js";
import type { FinishPart, StreamPart } from "../../../src/spec/stream.js";
import { type MockProvider, startMockProvider } from "../../../src/testing/index.js";

export const API_KEY = "sk-ant-test-SECRET-key";
export const MODEL = "claude-sonnet-5-5";

/** An attempt context with a generous timeout; pass a signal to abort. */
export const attempt = (
  signal: AbortSignal = new AbortController().signal,
  timeoutMs = 10_000,
): AttemptContext => ({
  signal,
  timeoutMs,
});

export const request = (overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: MODEL,
  messages: [{ role: "user", content: "Hi there" }],
  ...overrides,
});

export const startAnthropicMock = (): Promise<MockProvider> =>
  startMockProvider({ kind: "anthropic", apiKey: API_KEY });

/** A provider built from plain options, pointed at the mock. */
export const providerFor = (
  mock: MockProvider,
  options: Partial<AnthropicProviderOptions> = {},
): ProviderAdapter => anthropic({ apiKey: API_KEY, baseURL: mock.baseURL, model: MODEL, ...options });

/** A provider over a user-built SDK client (with SDK retries left on, to prove they are disabled). */
export const providerWithClient = (mock: MockProvider, options: Partial<AnthropicProviderOptions> = {}) =>
  anthropic({
    client: new Anthropic({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 3 }),
    model: MODEL,
    ...options,
  });

/** Reads a whole stream: its parts, the text, and the finish part (if any). */
export const collect = async (
  iterable: AsyncIterable<StreamPart>,
): Promise<{ parts: StreamPart[]; text: string; finish: FinishPart | undefined }> => {
  const parts: StreamPart[] = [];
  for await (const part of iterable) parts.push(part);
  const text = parts.map((p) => (p.type === "text" ? p.text : "")).join("");
  const finish = parts.find((p): p is FinishPart => p.type === "finish");
  return { parts, text, finish };
};

/** Reads a stream until it throws; returns the parts seen before and the error. */
export const collectUntilError = async (
  iterable: AsyncIterable<StreamPart>,
): Promise<{ parts: StreamPart[]; error: any }> => {
  const parts: StreamPart[] = [];
  try {
    for await (const part of iterable) parts.push(part);
  } catch (error) {
    return { parts, error };
  }
  return { parts, error: undefined };
};

/** Runs `fn`, expecting it to throw; returns what it threw. */
export const caught = async (fn: () => Promise<unknown>): Promise<any> => {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
};

export const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
