import { Mistral } from "@mistralai/mistralai";
import { mistral } from "../../../src/providers/mistral/index.js";
import type { AttemptContext, ProviderAdapter } from "../../../src/spec/provider.js";
import type { ProviderRequest } from "../../../src/spec/request.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import type { MockProvider } from "../../../src/testing/index.js";

export const API_KEY = "mistral-test-key-0123456789";

/** An adapter over a real `Mistral` client pointed at the mock. */
export const adapterFor = (
  mock: MockProvider,
  options: Partial<Parameters<typeof mistral>[0]> = {},
): ProviderAdapter =>
  mistral({
    client: new Mistral({ apiKey: API_KEY, serverURL: mock.baseURL }),
    model: "mistral-small-latest",
    ...options,
  });

export const attempt = (overrides: Partial<AttemptContext> = {}): AttemptContext => ({
  signal: new AbortController().signal,
  timeoutMs: 10_000,
  ...overrides,
});

export const hello = (overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: "mistral-small-latest",
  messages: [{ role: "user", content: "Say hello" }],
  ...overrides,
});

export const collect = async (iterable: AsyncIterable<StreamPart>): Promise<StreamPart[]> => {
  const parts: StreamPart[] = [];
  for await (const part of iterable) parts.push(part);
  return parts;
};

/** Collects parts until the stream throws; returns both. */
export const collectUntilError = async (
  iterable: AsyncIterable<StreamPart>,
): Promise<{ parts: StreamPart[]; error: unknown }> => {
  const parts: StreamPart[] = [];
  try {
    for await (const part of iterable) parts.push(part);
  } catch (error) {
    return { parts, error };
  }
  return { parts, error: undefined };
};

export const textOf = (parts: StreamPart[]): string =>
  parts.map((part) => (part.type === "text" ? part.text : "")).join("");
