import { ProviderError } from "../../errors/provider-error.js";
import type { ToolCall } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import {
  type AiSdkErrorContext,
  convertAiSdkFinishFailure,
  convertAiSdkInBandError,
} from "./ai-sdk-error.js";
import {
  convertAiSdkUsage,
  parseToolInput,
  readAiSdkFinishReason,
  toFinishReason,
} from "./convert-ai-sdk-result-parts.js";

type Fields = Record<string, unknown>;
const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;

/**
 * A `doGenerate` result → our response: its text parts joined, its (client-executed) tool calls,
 * finish reason, usage, the model and id from `response`, and `response.body` as `raw`.
 * Reasoning, files, sources and provider-executed tools have no place in our result and are left
 * out. A finish that is a failure (content filter, error) throws it; one that says the provider gave
 * no finish reason (see `readAiSdkFinishReason`) is a truncation;
 * a `response.body` that is an error object (sent with HTTP 200) throws that error.
 * A result without a `content` array is an `invalid_response`.
 */
export const convertAiSdkResponse = (
  result: unknown,
  version: string,
  context: AiSdkErrorContext,
): ProviderResponse => {
  if (!isRecord(result) || !Array.isArray(result.content)) {
    throw new ProviderError({
      failureClass: "invalid_response",
      provider: context.provider,
      model: context.model,
      message: "the model returned no content array",
    });
  }
  const response = isRecord(result.response) ? result.response : {};
  // Some providers (Gemini, OpenAI-compatible gateways) can answer an error object with HTTP 200,
  // which a tolerant model reads as an empty reply.
  if (isRecord(response.body) && isRecord(response.body.error)) {
    throw convertAiSdkInBandError(response.body.error, context);
  }
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const part of result.content) {
    if (!isRecord(part)) continue;
    if (part.type === "text" && typeof part.text === "string") text += part.text;
    else if (part.type === "tool-call" && part.providerExecuted !== true) {
      const input = typeof part.input === "string" ? part.input : JSON.stringify(part.input ?? {});
      toolCalls.push({
        id: String(part.toolCallId ?? ""),
        name: String(part.toolName ?? ""),
        arguments: parseToolInput(input),
        rawArguments: input,
      });
    }
  }
  const { unified, raw, interrupted } = readAiSdkFinishReason(result.finishReason, version);
  const failure = convertAiSdkFinishFailure(unified, raw, result.providerMetadata, context);
  if (failure) throw failure;
  if (interrupted) {
    throw new ProviderError({
      failureClass: "truncated",
      provider: context.provider,
      model: context.model,
      message: "the reply ended without its completion signal",
    });
  }
  return {
    text,
    toolCalls,
    finishReason: toFinishReason(unified, raw),
    usage: convertAiSdkUsage(result.usage),
    model: typeof response.modelId === "string" && response.modelId !== "" ? response.modelId : context.model,
    ...(typeof response.id === "string" ? { id: response.id } : {}),
    raw: response.body ?? result,
  };
};
