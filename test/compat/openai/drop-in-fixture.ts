import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { withFailover } from "../../../src/compat/openai/index.js";
import type { WithFailoverOptions } from "../../../src/compat/openai/with-failover-options.js";
import { anthropic } from "../../../src/providers/anthropic/index.js";
import { type MockProviderGroup, startMockProviders } from "../../../src/testing/index.js";

export type DropInMocks = MockProviderGroup<{ openai: object; anthropic: object }>;

/** Starts an OpenAI and an Anthropic mock. */
export const startDropInMocks = (): Promise<DropInMocks> => startMockProviders({ openai: {}, anthropic: {} });

/** A plain OpenAI client pointed at the mock (no SDK retries, as an app might configure it). */
export const openAIClient = (mocks: DropInMocks, options: { maxRetries?: number } = {}): OpenAI =>
  new OpenAI({
    apiKey: "sk-test-key-0001",
    baseURL: mocks.openai.baseURL,
    maxRetries: options.maxRetries ?? 2,
  });

/**
 * `withFailover(new OpenAI())` with Anthropic as the fallback and `gpt-4.1` mapped to
 * `claude-mapped`; short deadlines so black holes are found fast, no same-provider retries.
 */
export const wrappedClient = (mocks: DropInMocks, options: Partial<WithFailoverOptions> = {}): OpenAI =>
  withFailover(openAIClient(mocks), {
    fallbacks: [
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-test-0001", baseURL: mocks.anthropic.baseURL }),
        model: "claude-default",
      }),
    ],
    models: { "gpt-4.1": { anthropic: "claude-mapped" } },
    deadlines: { headersMs: 500, firstContentMs: 2_000 },
    retry: { maxRetries: 0 },
    ...options,
  });

export const userMessage = (content = "Hello?") => [{ role: "user" as const, content }];

export const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};

/** Collects a stream's items. */
export const collect = async <T>(stream: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
};
