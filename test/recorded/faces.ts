/**
 * Runs a fixture through the library the way an app would, and reduces what came back to an
 * `Observed` value that a test compares with what the fixture expects (see `expectedFor`).
 *
 * - native face: `createClient({ providers: [<the fixture's adapter>, fallback] })`, `chat()` with
 *   `transport: "json"` for the JSON delivery, `stream()` (events and `result()`) for the streams;
 * - drop-in face: `withFailover(new OpenAI())`. When the fixture is OpenAI-shaped (OpenAI, Azure,
 *   OpenAI-compatible) the wrapped client itself reads it; otherwise the wrapped client's server is
 *   down (503) and the fixture's adapter answers as the first fallback, in ChatCompletion shape.
 *
 * Every face has a last-resort fallback ("fallback", a project mock answering "Fallback answer."),
 * so a failure that falls over is observed as such rather than as an error.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import { getFailoverInfo, withFailover } from "../../src/compat/openai/index.js";
import { createClient } from "../../src/engine/create-client.js";
import type { PolicyOptions } from "../../src/engine/policy-options.js";
import { isAllProvidersFailedError } from "../../src/errors/all-providers-failed-error.js";
import { isProviderError } from "../../src/errors/provider-error.js";
import { isStreamInterruptedError } from "../../src/errors/stream-interrupted-error.js";
import { anthropic } from "../../src/providers/anthropic/index.js";
import { azureOpenAI } from "../../src/providers/azure/index.js";
import { mistral } from "../../src/providers/mistral/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { openaiCompatible, perplexity } from "../../src/providers/openai-compatible/index.js";
import type { ChatResult } from "../../src/spec/chat.js";
import type { ProviderAdapter } from "../../src/spec/provider.js";
import type { Usage } from "../../src/spec/result.js";
import type { Expected, ExpectedToolCall, FixtureProvider, RecordedFixture } from "./fixture.js";
import type { Delivery } from "./replay-server.js";

export type Face = "native" | "drop-in";
export const faces: readonly Face[] = ["native", "drop-in"];

/** The servers a face talks to. */
export interface Endpoints {
  /** The replay server (serves the fixture). */
  replay: string;
  /** An OpenAI mock answering "Fallback answer." */
  fallback: string;
  /** An OpenAI mock answering 503 to everything (the drop-in's primary for non-OpenAI fixtures). */
  down: string;
}

export const FALLBACK_TEXT = "Fallback answer.";
const API_KEY = "sk-test-recorded-0001";
const AZURE_DEPLOYMENT = "recorded-deployment";

/** The name each adapter answers under (`result.provider`, attempts). */
export const providerName: Record<FixtureProvider, string> = {
  openai: "openai",
  azure: "azure-openai",
  anthropic: "anthropic",
  mistral: "mistral",
  "openai-compatible": "compatible",
  perplexity: "perplexity",
};

/** Fixtures the drop-in's wrapped OpenAI client can read itself. */
export const isOpenAIShaped = (provider: FixtureProvider): boolean =>
  provider !== "anthropic" && provider !== "mistral";

const policyFor = (delivery: Delivery): PolicyOptions => ({
  transport: delivery === "json" ? "json" : "stream",
  retry: { maxRetries: 0 },
  // Generous: fragmented replays pause between pieces. Deadlines are not what this suite tests.
  deadlines: { headersMs: 10_000, firstContentMs: 15_000, idleMs: 15_000, totalMs: 30_000 },
});

const openAIClient = (baseURL: string): OpenAI => new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0 });

const azureClient = (endpoint: string): AzureOpenAI =>
  new AzureOpenAI({
    apiKey: API_KEY,
    endpoint,
    deployment: AZURE_DEPLOYMENT,
    apiVersion: "2024-10-21",
    maxRetries: 0,
  });

/** The real adapter (with its real SDK) for the fixture's provider, pointed at `url`. */
const fixtureAdapter = (fixture: RecordedFixture, url: string): ProviderAdapter => {
  const { model } = fixture;
  switch (fixture.provider) {
    case "openai":
      return openai({ client: openAIClient(`${url}/v1`), model });
    case "azure":
      return azureOpenAI({ client: azureClient(url), model });
    case "anthropic":
      return anthropic({ client: new Anthropic({ apiKey: API_KEY, baseURL: url, maxRetries: 0 }), model });
    case "mistral":
      return mistral({ client: new Mistral({ apiKey: API_KEY, serverURL: url }), model });
    case "openai-compatible":
      return openaiCompatible({
        name: providerName["openai-compatible"],
        baseURL: `${url}/v1`,
        apiKey: API_KEY,
        model,
      });
    case "perplexity":
      return perplexity({ baseURL: url, apiKey: API_KEY, model });
  }
};

const fallbackAdapter = (url: string): ProviderAdapter =>
  openaiCompatible({ name: "fallback", baseURL: `${url}/v1`, apiKey: API_KEY, model: "fallback-model" });

const messages = [{ role: "user" as const, content: "Hello?" }];

// ---------------------------------------------------------------------------------------------
// What a test compares

/** The library's answer, reduced to what the fixture's expectation speaks about. */
export type Observed =
  | {
      outcome: "answer";
      answeredBy: string;
      model: string;
      text: string;
      /** Text as the stream's content events delivered it (stream deliveries only). */
      streamedText?: string;
      /** The native stream's `tool-call` events (native stream deliveries only). */
      streamedToolCalls?: ExpectedToolCall[];
      refusal?: string | undefined;
      toolCalls: ExpectedToolCall[];
      /** Native face: `{ unified, raw }`; drop-in face: the ChatCompletion's `finish_reason`. */
      finishReason: unknown;
      usage: Usage;
      raw?: Record<string, unknown>;
    }
  | { outcome: "fell-over"; failureClass: string | undefined; answeredBy: string; streamedText?: string }
  | { outcome: "interrupted"; failureClass: string; partialText: string; streamedText?: string }
  | { outcome: "error"; failureClass: string; contentFilterCategories?: string[] | undefined }
  | { outcome: "all-failed"; attempts: string[] }
  | { outcome: "unexpected-error"; error: string };

const openAIFinishReasons = new Set(["stop", "length", "tool_calls", "content_filter", "function_call"]);

/** The ChatCompletion `finish_reason` a drop-in user should see for a unified finish reason. */
const dropInFinishReason = (
  fixture: RecordedFixture,
  finish: { unified: string; raw: string | undefined },
) => {
  // The wrapped client answered: what OpenAI (or the compatible server) said, untouched.
  if (isOpenAIShaped(fixture.provider) && finish.raw !== undefined && openAIFinishReasons.has(finish.raw))
    return finish.raw;
  switch (finish.unified) {
    case "length":
      return "length";
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    default:
      return "stop";
  }
};

/** What a test expects to observe for `fixture` through `face` in `delivery`. */
export const expectedFor = (fixture: RecordedFixture, face: Face, delivery: Delivery): Observed => {
  const expected: Expected = (delivery === "json" ? fixture.expectJson : undefined) ?? fixture.expect;
  const streamed = delivery !== "json";
  const answeredBy =
    face === "drop-in" && isOpenAIShaped(fixture.provider)
      ? fixture.provider === "azure"
        ? "azure-openai"
        : "openai"
      : providerName[fixture.provider];
  switch (expected.outcome) {
    case "answer":
      return {
        outcome: "answer",
        answeredBy,
        model: expected.model,
        text: expected.text,
        ...(streamed ? { streamedText: expected.text } : {}),
        refusal: expected.refusal,
        toolCalls: expected.toolCalls,
        ...(streamed && face === "native" ? { streamedToolCalls: expected.toolCalls } : {}),
        finishReason:
          face === "native" ? expected.finishReason : dropInFinishReason(fixture, expected.finishReason),
        usage: expected.usage,
        ...(expected.raw && face === "native" ? { raw: expected.raw } : {}),
      };
    case "fell-over":
      return {
        outcome: "fell-over",
        failureClass: expected.failureClass,
        answeredBy: "fallback",
        ...(streamed ? { streamedText: FALLBACK_TEXT } : {}),
      };
    case "interrupted":
      return {
        outcome: "interrupted",
        failureClass: expected.failureClass,
        partialText: expected.partialText,
        ...(streamed ? { streamedText: expected.partialText } : {}),
      };
    case "error":
      return {
        outcome: "error",
        failureClass: expected.failureClass,
        contentFilterCategories: expected.contentFilterCategories,
      };
  }
};

// ---------------------------------------------------------------------------------------------
// Native face

const observeNativeResult = (
  fixture: RecordedFixture,
  result: ChatResult,
  expectedRawKeys: readonly string[],
): Observed => {
  if (result.provider === "fallback") {
    const failed = result.attempts.find((attempt) => attempt.provider === providerName[fixture.provider]);
    return { outcome: "fell-over", failureClass: failed?.outcome, answeredBy: "fallback" };
  }
  const raw = result.raw as Record<string, unknown> | undefined;
  return {
    outcome: "answer",
    answeredBy: result.provider,
    model: result.model,
    text: result.text,
    // `refusal` is not part of ChatResult yet (the lead decided refusals are answers with a
    // `refusal` text field; the adapters branch adds it): read it without relying on the type.
    refusal: (result as { refusal?: string }).refusal,
    toolCalls: result.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments })),
    finishReason: result.finishReason,
    usage: result.usage,
    ...(expectedRawKeys.length > 0
      ? { raw: Object.fromEntries(expectedRawKeys.map((key) => [key, raw?.[key]])) }
      : {}),
  };
};

const observeError = (error: unknown, streamedText: string): Observed => {
  if (isStreamInterruptedError(error))
    return {
      outcome: "interrupted",
      failureClass: error.failureClass,
      partialText: error.partialText,
      streamedText,
    };
  if (isProviderError(error))
    return {
      outcome: "error",
      failureClass: error.failureClass,
      contentFilterCategories: error.contentFilterCategories,
    };
  if (isAllProvidersFailedError(error))
    return { outcome: "all-failed", attempts: error.attempts.map((a) => `${a.provider}:${a.outcome}`) };
  return { outcome: "unexpected-error", error: String(error) };
};

const rawKeysOf = (fixture: RecordedFixture): string[] =>
  fixture.expect.outcome === "answer" && fixture.expect.raw ? Object.keys(fixture.expect.raw) : [];

export const runNative = async (
  fixture: RecordedFixture,
  delivery: Delivery,
  endpoints: Endpoints,
): Promise<Observed> => {
  const client = createClient({
    providers: [fixtureAdapter(fixture, endpoints.replay), fallbackAdapter(endpoints.fallback)],
    ...policyFor(delivery),
  });
  const request = { messages, maxTokens: 1024 };
  if (delivery === "json") {
    try {
      return observeNativeResult(fixture, await client.chat(request), rawKeysOf(fixture));
    } catch (error) {
      return observeError(error, "");
    }
  }
  const stream = client.stream(request);
  let streamedText = "";
  const streamedCalls: ExpectedToolCall[] = [];
  try {
    for await (const event of stream) {
      if (event.type === "text") streamedText += event.text;
      if (event.type === "tool-call") {
        const { id, name, arguments: args } = event.toolCall;
        streamedCalls.push({ id, name, arguments: args });
      }
    }
    const observed = observeNativeResult(fixture, await stream.result(), rawKeysOf(fixture));
    if (observed.outcome === "fell-over") return { ...observed, streamedText };
    if (observed.outcome !== "answer") return observed;
    return { ...observed, streamedText, streamedToolCalls: streamedCalls };
  } catch (error) {
    return observeError(error, streamedText);
  }
};

// ---------------------------------------------------------------------------------------------
// Drop-in face

const dropInClient = (fixture: RecordedFixture, delivery: Delivery, endpoints: Endpoints): OpenAI => {
  const fallback = fallbackAdapter(endpoints.fallback);
  const policy = policyFor(delivery);
  if (fixture.provider === "azure")
    return withFailover(azureClient(endpoints.replay), { fallbacks: [fallback], ...policy });
  if (isOpenAIShaped(fixture.provider))
    return withFailover(openAIClient(`${endpoints.replay}/v1`), { fallbacks: [fallback], ...policy });
  return withFailover(openAIClient(`${endpoints.down}/v1`), {
    fallbacks: [fixtureAdapter(fixture, endpoints.replay), fallback],
    ...policy,
  });
};

/** `usage` of a ChatCompletion(Chunk) as the library's Usage: absent counts stay `undefined`. */
const usageOf = (wire: ChatCompletion["usage"] | null | undefined): Usage => ({
  inputTokens: wire?.prompt_tokens,
  outputTokens: wire?.completion_tokens,
  cachedInputTokens: wire?.prompt_tokens_details?.cached_tokens ?? undefined,
  totalTokens: wire?.total_tokens,
});

const parseArguments = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const observeDropIn = (
  fixture: RecordedFixture,
  reply: {
    provider: string | undefined;
    attempts: { provider: string; outcome: string }[];
    model: string;
    content: string | null | undefined;
    refusal: string | null | undefined;
    toolCalls: { id: string; name: string; arguments: string }[];
    finishReason: unknown;
    usage: ChatCompletion["usage"] | null | undefined;
  },
): Observed => {
  if (reply.provider === "fallback") {
    const failed = reply.attempts.find((attempt) => attempt.provider === providerName[fixture.provider]);
    const primaryFailed = reply.attempts.find((attempt) => attempt.outcome !== "ok");
    return {
      outcome: "fell-over",
      failureClass: (isOpenAIShaped(fixture.provider) ? primaryFailed : failed)?.outcome,
      answeredBy: "fallback",
    };
  }
  return {
    outcome: "answer",
    answeredBy: reply.provider ?? "(no failover info)",
    model: reply.model,
    text: reply.content ?? "",
    refusal: reply.refusal ?? undefined,
    toolCalls: reply.toolCalls.map((call) => ({
      id: call.id,
      name: call.name,
      arguments: parseArguments(call.arguments),
    })),
    finishReason: reply.finishReason,
    usage: usageOf(reply.usage),
  };
};

export const runDropIn = async (
  fixture: RecordedFixture,
  delivery: Delivery,
  endpoints: Endpoints,
): Promise<Observed> => {
  const client = dropInClient(fixture, delivery, endpoints);
  if (delivery === "json") {
    try {
      const completion = await client.chat.completions.create({ model: fixture.model, messages });
      const info = getFailoverInfo(completion);
      const choice = completion.choices[0];
      return observeDropIn(fixture, {
        provider: info?.provider,
        attempts: info?.attempts ?? [],
        model: completion.model,
        content: choice?.message.content,
        refusal: choice?.message.refusal,
        toolCalls: (choice?.message.tool_calls ?? []).flatMap((call) =>
          call.type === "function"
            ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
            : [],
        ),
        finishReason: choice?.finish_reason,
        usage: completion.usage,
      });
    } catch (error) {
      return observeError(error, "");
    }
  }
  let content = "";
  try {
    const stream = await client.chat.completions.create({
      model: fixture.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let refusal: string | undefined;
    let model = "";
    let finishReason: unknown;
    let usage: ChatCompletionChunk["usage"];
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for await (const chunk of stream) {
      // Azure's filter annotations have an empty model and a choice without a delta: an app that
      // reads Azure streams skips them, with or without withFailover (the wrapped client's chunks
      // reach it as they came).
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice?.delta) continue;
      if (choice.delta.content) content += choice.delta.content;
      if (choice.delta.refusal) refusal = (refusal ?? "") + choice.delta.refusal;
      for (const piece of choice.delta.tool_calls ?? []) {
        const call = calls.get(piece.index) ?? { id: "", name: "", arguments: "" };
        if (piece.id) call.id = piece.id;
        // As openai-node's ChatCompletionStream accumulates: the name is set, the arguments appended.
        if (piece.function?.name) call.name = piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
        calls.set(piece.index, call);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    const info = getFailoverInfo(stream);
    const observed = observeDropIn(fixture, {
      provider: info?.provider,
      attempts: info?.attempts ?? [],
      model,
      content,
      refusal,
      toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
      finishReason,
      usage,
    });
    if (observed.outcome === "fell-over" || observed.outcome === "answer")
      return { ...observed, streamedText: content };
    return observed;
  } catch (error) {
    return observeError(error, content);
  }
};

export const run = (face: Face, fixture: RecordedFixture, delivery: Delivery, endpoints: Endpoints) =>
  face === "native" ? runNative(fixture, delivery, endpoints) : runDropIn(fixture, delivery, endpoints);
