/**
 * The failover model over real adapters (the real OpenAI and Anthropic SDKs) pointed at the
 * project's mock servers: faults are injected on the wire.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { failoverModel } from "../../../src/compat/ai-sdk/index.js";
import type { PolicyOptions } from "../../../src/engine/policy-options.js";
import { anthropic, createClient, type FailoverClient, openai } from "../../../src/index.js";
import { type MockProvider, startMockProviders } from "../../../src/testing/index.js";

// The AI SDK logs every warning to the console unless told not to.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export const OPENAI_MODEL = "gpt-4.1";
export const ANTHROPIC_MODEL = "claude-sonnet-4-6";
/** A prompt that must never appear in an error. */
export const PROMPT = "PROMPT-CANARY-77aa: what is in the vault?";

export interface Mocks {
  openai: MockProvider;
  anthropic: MockProvider;
  reset(): void;
  close(): Promise<void>;
}

export const startMocks = async (): Promise<Mocks> => {
  const mocks = await startMockProviders({
    openai: { defaultText: "Hello from openai, streamed in small pieces." },
    anthropic: { defaultText: "Hello from anthropic, streamed in small pieces." },
  });
  return mocks;
};

/** A fresh client (fresh breakers) over both mocks, OpenAI first. */
export const clientFor = (mocks: Mocks, policy: PolicyOptions = {}): FailoverClient =>
  createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: "sk-test-key", baseURL: mocks.openai.baseURL }),
        model: OPENAI_MODEL,
      }),
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-test-key", baseURL: mocks.anthropic.baseURL }),
        model: ANTHROPIC_MODEL,
      }),
    ],
    ...policy,
  });

export const modelFor = (mocks: Mocks, policy: PolicyOptions = {}) => failoverModel(clientFor(mocks, policy));
