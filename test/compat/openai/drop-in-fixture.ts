import Anthropic from "@anthropic-ai/sdk";
import OpenAI, { AzureOpenAI } from "openai";
import { Stream } from "openai/streaming";
import { VERSION } from "openai/version";
import OpenAI6, { AzureOpenAI as AzureOpenAI6 } from "openai6";
import { Stream as Stream6 } from "openai6/streaming";
import { VERSION as VERSION6 } from "openai6/version";
import { withFailover } from "../../../src/compat/openai/index.js";
import type { WithFailoverOptions } from "../../../src/compat/openai/with-failover-options.js";
import { anthropic } from "../../../src/providers/anthropic/index.js";
import { type MockProviderGroup, startMockProviders } from "../../../src/testing/index.js";

/**
 * One supported major of the `openai` SDK (peer range `^6 || ^7`): the drop-in suites run once per
 * entry of {@link sdks}. The classes are typed as openai 7's so one test body serves both majors;
 * openai 6's own types are checked in with-failover.types.test.ts, its runtime here.
 */
export interface Sdk {
  major: 6 | 7;
  /** The installed package's version, e.g. `6.49.0`. */
  version: string;
  OpenAI: typeof OpenAI;
  AzureOpenAI: typeof AzureOpenAI;
  Stream: typeof Stream;
}

export const sdks: Sdk[] = [
  { major: 7, version: VERSION, OpenAI, AzureOpenAI, Stream },
  {
    major: 6,
    version: VERSION6,
    // openai 6 is installed as the `openai6` alias. TypeScript will not take its classes as 7's
    // (6 lacks resources 7 added, such as `Safety` and `Live`, and has its own `#private` members);
    // the tests use only the surface both majors share.
    OpenAI: OpenAI6 as unknown as typeof OpenAI,
    AzureOpenAI: AzureOpenAI6 as unknown as typeof AzureOpenAI,
    Stream: Stream6 as unknown as typeof Stream,
  },
];

export type DropInMocks = MockProviderGroup<{ openai: object; anthropic: object }>;

/** Starts an OpenAI and an Anthropic mock. */
export const startDropInMocks = (): Promise<DropInMocks> => startMockProviders({ openai: {}, anthropic: {} });

/** A plain OpenAI client of the given SDK major pointed at the mock (no SDK retries, as an app might configure it). */
export const openAIClient = (mocks: DropInMocks, sdk: Sdk, options: { maxRetries?: number } = {}): OpenAI =>
  new sdk.OpenAI({
    apiKey: "sk-test-key-0001",
    baseURL: mocks.openai.baseURL,
    maxRetries: options.maxRetries ?? 2,
  });

/**
 * `withFailover(new OpenAI())` with Anthropic as the fallback and `gpt-4.1` mapped to
 * `claude-mapped`; short deadlines so black holes are found fast, no same-provider retries.
 */
export const wrappedClient = (
  mocks: DropInMocks,
  sdk: Sdk,
  options: Partial<WithFailoverOptions> = {},
): OpenAI =>
  withFailover(openAIClient(mocks, sdk), {
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
