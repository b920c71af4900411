/**
 * The shape of a recorded-traffic fixture and the helpers fixtures are written with.
 *
 * A fixture is one provider reply, hand-written after replies that SDK projects captured from the
 * live APIs (each fixture names what it follows in `follows`). It holds the reply as a JSON body
 * and/or as the SSE frames of the same reply streamed, and what a careful user expects the library
 * to return for it. See README.md in this folder.
 */
import type { FailureClass } from "../../src/errors/failure-class.js";
import type { FinishReason, Usage } from "../../src/spec/result.js";

/** Which adapter a fixture is replayed through (and so which SDK reads it). */
export type FixtureProvider =
  | "openai"
  | "azure"
  | "anthropic"
  | "mistral"
  | "openai-compatible"
  | "perplexity";

/** A tool call as the caller should see it: arguments parsed. */
export interface ExpectedToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

/** The provider answered: this is the reply the caller should get. */
export interface AnswerExpected {
  outcome: "answer";
  /** The model the provider reports. */
  model: string;
  /** Answer text only: never thinking, reasoning or refusal text. */
  text: string;
  /** The refusal text, when the model refused (refusals are answers, see README.md). */
  refusal?: string;
  toolCalls: ExpectedToolCall[];
  finishReason: FinishReason;
  /** What the call consumed: cached tokens counted, unreported counts `undefined` (never 0). */
  usage: Usage;
  /** Provider-specific fields the result's `raw` must carry (e.g. Perplexity's `citations`). */
  raw?: Record<string, unknown>;
}

/** The provider failed before any content: the call falls over to the next provider. */
export interface FellOverExpected {
  outcome: "fell-over";
  failureClass: FailureClass;
}

/** The provider failed after content reached the caller: a `StreamInterruptedError`. */
export interface InterruptedExpected {
  outcome: "interrupted";
  failureClass: FailureClass;
  partialText: string;
}

/** The provider's answer is a failure that does not fall over: a `ProviderError` at once. */
export interface ErrorExpected {
  outcome: "error";
  failureClass: FailureClass;
  contentFilterCategories?: string[];
}

export type Expected = AnswerExpected | FellOverExpected | InterruptedExpected | ErrorExpected;

export interface RecordedFixture {
  /** Unique, kebab-case; also the file name. */
  name: string;
  provider: FixtureProvider;
  /** The model the request names. */
  model: string;
  /** Each real shape this fixture follows: "repository path — what was taken from it". */
  follows: string[];
  /** The reply as one JSON body (non-streaming request). Omitted for stream-only shapes. */
  json?: { status?: number; body: unknown };
  /** The reply as SSE frames, each complete with its blank line. Omitted for JSON-only shapes. */
  sse?: string[];
  /** What the caller gets, for every delivery unless `expectJson` overrides it. */
  expect: Expected;
  /** What the caller gets from the JSON body, when it differs from the stream's. */
  expectJson?: Expected;
}

/** Identity, typed: keeps fixture files checked against {@link RecordedFixture}. */
export const defineFixture = (fixture: RecordedFixture): RecordedFixture => fixture;

/** A data-only SSE frame (OpenAI, Azure, Mistral and OpenAI-compatible servers). */
export const data = (json: unknown): string => `data: ${JSON.stringify(json)}\n\n`;

/** A named SSE frame (Anthropic: every frame carries an `event:` line). */
export const event = (name: string, json: unknown): string =>
  `event: ${name}\ndata: ${JSON.stringify(json)}\n\n`;

/** The end-of-stream sentinel of OpenAI-style streams. */
export const DONE = "data: [DONE]\n\n";

/** Usage with every count given (Usage fields are required but may be `undefined`). */
export const usage = (
  inputTokens: number | undefined,
  outputTokens: number | undefined,
  cachedInputTokens: number | undefined,
  totalTokens: number | undefined = inputTokens !== undefined && outputTokens !== undefined
    ? inputTokens + outputTokens
    : undefined,
): Usage => ({ inputTokens, outputTokens, cachedInputTokens, totalTokens });

/** Usage the provider did not report at all. */
export const noUsage: Usage = usage(undefined, undefined, undefined, undefined);
