import { z } from "zod";
import type { ToolCall } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import { createFinishReasonError } from "../shared/create-finish-reason-error.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { parseToolArguments } from "../shared/parse-tool-arguments.js";
import { convertOpenAIUsage } from "./convert-openai-usage.js";
import { getContentFilterCategories } from "./get-content-filter-categories.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import { convertOpenAIInBandError, type OpenAIErrorContext } from "./openai-error.js";

/**
 * The part of a chat completion we read: deliberately partial and tolerant (`nullish` everywhere,
 * unknown fields ignored), so a provider adding or omitting a field does not break parsing.
 */
const responseSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.object({
        index: z.number().nullish(),
        message: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  id: z.string().nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        content_filter_results: z.unknown().optional(),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().nullish(),
      completion_tokens: z.number().nullish(),
      total_tokens: z.number().nullish(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
    })
    .nullish()
    .catch(undefined),
});

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
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "the response is not a chat completion",
    });
  }
  const response = parsed.data;
  // `min(1)` above guarantees a first choice.
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
    return {
      id: call.id || `call_${index}`,
      name: call.function?.name ?? "",
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
    usage: convertOpenAIUsage(response.usage),
    model,
    ...(response.id ? { id: response.id } : {}),
    raw: body,
  };
};
