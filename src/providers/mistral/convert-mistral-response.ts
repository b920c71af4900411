import type { ChatCompletionResponse } from "@mistralai/mistralai/models/components";
import type { ToolCall } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import { unnamedToolCall } from "../shared/accumulate-tool-call-deltas.js";
import { createFinishReasonError } from "../shared/create-finish-reason-error.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { convertMistralToolCall } from "./convert-mistral-tool-call.js";
import { convertMistralUsage } from "./convert-mistral-usage.js";
import { extractMistralText } from "./extract-mistral-text.js";
import { mapMistralFinishReason } from "./map-mistral-finish-reason.js";
import type { MistralErrorContext } from "./mistral-error.js";

/**
 * Converts a Mistral chat completion (as the SDK parsed it: camelCase) into a `ProviderResponse`.
 * `raw` is that SDK object: the SDK does not expose the untouched body, and its schema drops
 * top-level fields it does not know.
 * Throws a `ProviderError` for `finish_reason` `error` / `content_filter`, and `invalid_response`
 * for a reply without choices.
 */
export const convertMistralResponse = (
  response: ChatCompletionResponse,
  context: MistralErrorContext,
): ProviderResponse => {
  const choice = response.choices[0];
  if (!choice) {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "the reply has no choices",
    });
  }
  const finishError = createFinishReasonError(choice.finishReason, context);
  if (finishError) throw finishError;
  const message = choice.message;
  const toolCalls: ToolCall[] = message?.toolCalls?.map(convertMistralToolCall) ?? [];
  if (toolCalls.some((call) => call.name === "")) throw unnamedToolCall(context);
  return {
    text: extractMistralText(message?.content),
    toolCalls,
    finishReason: mapMistralFinishReason(choice.finishReason),
    usage: convertMistralUsage(response.usage),
    model: response.model,
    id: response.id,
    raw: response,
  };
};
