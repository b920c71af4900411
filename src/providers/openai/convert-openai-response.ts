import type { ToolCall } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import { unnamedToolCall } from "../shared/accumulate-tool-call-deltas.js";
import { createFinishReasonError } from "../shared/create-finish-reason-error.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { parseToolArguments } from "../shared/parse-tool-arguments.js";
import { isArrayOf, isNullishString, isWireObject, wireCount } from "../shared/wire-fields.js";
import { convertOpenAIUsage } from "./convert-openai-usage.js";
import { getContentFilterCategories } from "./get-content-filter-categories.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import { convertOpenAIInBandError, type OpenAIErrorContext } from "./openai-error.js";

/**
 * The part of a chat completion we read: deliberately partial and tolerant (null or absent anywhere,
 * unknown fields ignored), so a provider adding or omitting a field does not break parsing. A field
 * we read that has another type makes the body "not a chat completion". `usage` is read as the
 * stream's last chunk is (`convertOpenAIUsage` takes each count that is a number).
 */
interface WireCompletion {
  id?: string | null;
  model?: string | null;
  choices: WireChoice[];
  usage?: unknown;
}

interface WireChoice {
  index?: number | null;
  message?: {
    content?: string | null;
    refusal?: string | null;
    tool_calls?: Array<{
      id?: string | null;
      function?: { name?: string | null; arguments?: string | null } | null;
    }> | null;
  } | null;
  finish_reason?: string | null;
  content_filter_results?: unknown;
}

const isNullishNumber = (value: unknown): boolean => value == null || wireCount(value) !== undefined;
/** Absent, null, or an array whose every item passes `test`. */
const isNullishArrayOf = (value: unknown, test: (item: unknown) => boolean): boolean =>
  value == null || isArrayOf(value, test);

const isToolCall = (call: unknown): boolean =>
  isWireObject(call) &&
  isNullishString(call.id) &&
  (call.function == null ||
    (isWireObject(call.function) &&
      isNullishString(call.function.name) &&
      isNullishString(call.function.arguments)));

const isChoice = (choice: unknown): boolean => {
  if (!isWireObject(choice) || !isNullishNumber(choice.index) || !isNullishString(choice.finish_reason))
    return false;
  const { message } = choice;
  return (
    message == null ||
    (isWireObject(message) &&
      isNullishString(message.content) &&
      isNullishString(message.refusal) &&
      isNullishArrayOf(message.tool_calls, isToolCall))
  );
};

/**
 * The body as a completion, or undefined when it is not one. Checked by hand, not with a schema
 * library: a JSON call crosses this once, and on a real call it runs cold (the process idled while
 * the provider generated the reply), where a zod parse of this shape cost ~75 µs here
 * (`bench/cold-paths.ts` explains the measure).
 */
export const readCompletion = (body: unknown): WireCompletion | undefined =>
  isWireObject(body) &&
  isNullishString(body.id) &&
  isNullishString(body.model) &&
  Array.isArray(body.choices) &&
  body.choices.length > 0 &&
  isArrayOf(body.choices, isChoice)
    ? (body as unknown as WireCompletion)
    : undefined;

/** Who answered: used in errors (with the secrets to keep out of them) and as the fallback model name. */
export type OpenAIResponseContext = OpenAIErrorContext;

/**
 * Converts a chat completion to a `ProviderResponse` (first choice only). Throws a `ProviderError`:
 * `invalid_response` when the body is not a completion (no choices, a string, empty), the error's
 * own class when it is an error object sent with HTTP 200 (also beside `choices`, as some gateways
 * send it), `server_error` for `finish_reason: "error"`, `content_filter` with Azure's categories
 * when the finish reason is `content_filter`. A refusal (`message.refusal`) is an answer: it is
 * returned as `refusal`, with the finish reason's unified value `content-filter`.
 * `raw` is the untouched body (Perplexity's `citations` / `search_results` live there).
 */
export const convertOpenAIResponse = (body: unknown, context: OpenAIResponseContext): ProviderResponse => {
  const inBand = (body as { error?: unknown } | null | undefined)?.error;
  if (inBand) throw convertOpenAIInBandError(inBand, context);
  const response = readCompletion(body);
  if (!response) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "the response is not a chat completion",
    });
  }
  // `readCompletion` guarantees a first choice.
  const choice = response.choices.find((c) => (c.index ?? 0) === 0) ?? response.choices[0]!;
  const model = response.model || context.model;
  const finishError = createFinishReasonError(
    choice.finish_reason,
    { ...context, model },
    getContentFilterCategories(choice.content_filter_results),
  );
  if (finishError) throw finishError;
  const toolCalls = (choice.message?.tool_calls ?? []).map((call, index): ToolCall => {
    const rawArguments = call.function?.arguments ?? "";
    const name = call.function?.name;
    if (!name) throw unnamedToolCall({ ...context, model });
    return {
      id: call.id || `call_${index}`,
      name,
      arguments: parseToolArguments(rawArguments),
      rawArguments,
    };
  });
  const refusal = choice.message?.refusal || undefined;
  const finishReason = mapOpenAIFinishReason(choice.finish_reason);
  return {
    text: choice.message?.content ?? "",
    ...(refusal !== undefined ? { refusal } : {}),
    toolCalls,
    finishReason: refusal !== undefined ? { unified: "content-filter", raw: finishReason.raw } : finishReason,
    usage: convertOpenAIUsage(isWireObject(response.usage) ? response.usage : undefined),
    model,
    ...(response.id ? { id: response.id } : {}),
    raw: body,
  };
};
