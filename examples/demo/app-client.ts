/**
 * The seam between the drill and the library: builds the app's OpenAI client, wrapped with
 * `withFailover`, exactly as an app would. Everything else in the drill sees only `DemoApp`.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import {
  anthropic,
  azureOpenAI,
  type FailoverClient,
  getFailoverClient,
  getFailoverInfo,
  mistral,
  type PolicyOptions,
  type ProviderAdapter,
  withFailover,
} from "../../src/index.js";
import type { DrillMocks } from "./mocks.js";
import { realKeys } from "./real-keys.js";

/** The model the app asks for, and what each fallback uses instead. */
export const models = {
  openai: "gpt-4.1",
  anthropic: "claude-sonnet-4-6",
  mistral: "mistral-large-latest",
} as const;

/** Which provider answered a call, from the completion or stream `create()` returned. */
export interface Answer {
  provider: string;
  failedOver: boolean;
  /** Attempts the call took (1 when the first provider answered). */
  attempts: number;
  /** For a stream another provider continued after a cut: the provider that started it. */
  resumedFrom?: string;
}

export interface DemoApp {
  /** The app's client: `withFailover(new OpenAI(...))`, used exactly like `new OpenAI()`. */
  openai: OpenAI;
  /** The engine behind it, for events (`onBreakerStateChange`, …) and `health()`. */
  engine: FailoverClient;
  /** Provider names in failover order. */
  providers: readonly string[];
  /** Who answered, read from a completion or a finished stream. */
  answerOf(completionOrStream: unknown): Answer | undefined;
}

const wrap = (client: OpenAI, fallbacks: ProviderAdapter[], policy: PolicyOptions): DemoApp => {
  const openai = withFailover(client, {
    fallbacks,
    // A mapping names only configured fallbacks: one for a provider that is not there is an error.
    models: {
      [models.openai]: Object.fromEntries(
        fallbacks.map((fallback) => [fallback.name, models[fallback.name as keyof typeof models]]),
      ),
    },
    ...policy,
  });
  const engine = getFailoverClient(openai);
  if (!engine) throw new Error("withFailover returned a client without an engine");
  return {
    openai,
    engine,
    providers: engine.providers,
    answerOf(value) {
      const info = getFailoverInfo(value);
      return info && { provider: info.provider, failedOver: info.failedOver, attempts: info.attempts.length };
    },
  };
};

/** The app wired to the embedded mock servers (any key is accepted; none is real). */
export const createMockApp = (mocks: DrillMocks, policy: PolicyOptions): DemoApp => {
  const fallbacks: ProviderAdapter[] = [];
  if (mocks.azure)
    fallbacks.push(
      azureOpenAI({
        client: new AzureOpenAI({ endpoint: mocks.azure.baseURL, apiKey: "demo", apiVersion: "2024-10-21" }),
        model: models.openai,
      }),
    );
  fallbacks.push(
    anthropic({
      client: new Anthropic({ apiKey: "demo", baseURL: mocks.anthropic.baseURL }),
      model: models.anthropic,
    }),
    mistral({
      client: new Mistral({ apiKey: "demo", serverURL: mocks.mistral.baseURL }),
      model: models.mistral,
    }),
  );
  return wrap(new OpenAI({ apiKey: "demo", baseURL: mocks.openai.baseURL }), fallbacks, policy);
};

/** The app wired to the real providers; the SDKs read their keys from the environment. */
export const createRealApp = (policy: PolicyOptions): DemoApp => {
  const keys = realKeys();
  const fallbacks: ProviderAdapter[] = [];
  if (keys.anthropic) fallbacks.push(anthropic({ client: new Anthropic(), model: models.anthropic }));
  if (keys.mistral)
    fallbacks.push(
      mistral({ client: new Mistral({ apiKey: process.env.MISTRAL_API_KEY }), model: models.mistral }),
    );
  return wrap(new OpenAI(), fallbacks, policy);
};
