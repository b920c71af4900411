import type {
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  SharedV4Warning,
} from "@ai-sdk/provider";
import type { ChatResult } from "../../spec/chat.js";
import type { ToolCall } from "../../spec/request.js";
import { convertToAiSdkFinishReason, convertToAiSdkUsage } from "./convert-to-ai-sdk-usage.js";
import { createFailoverMetadata } from "./failover-metadata.js";

/** A tool call's input as JSON text: as the provider sent it, `{}` for none. */
export const toolInputText = (call: ToolCall): string =>
  call.rawArguments.trim() !== "" ? call.rawArguments : JSON.stringify(call.arguments ?? {});

/**
 * A `chat()` result as an AI SDK generate result: text, then tool calls (their input as the JSON
 * text the provider sent), finish reason, usage, the model that actually answered in
 * `response.modelId`, and who served and every attempt in `providerMetadata.aiFailover`.
 */
export const convertToAiSdkResult = (
  result: ChatResult,
  warnings: SharedV4Warning[],
): LanguageModelV4GenerateResult => {
  const content: LanguageModelV4Content[] = [];
  if (result.text !== "") content.push({ type: "text", text: result.text });
  // A refusal is text the model wrote, as the AI SDK's own OpenAI provider reports it.
  if (result.refusal) content.push({ type: "text", text: result.refusal });
  for (const call of result.toolCalls) {
    content.push({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: toolInputText(call) });
  }
  return {
    content,
    finishReason: convertToAiSdkFinishReason(result.finishReason),
    usage: convertToAiSdkUsage(result.usage),
    providerMetadata: createFailoverMetadata(result.attempts, {
      provider: result.provider,
      model: result.model,
    }),
    response: {
      ...(result.id !== undefined ? { id: result.id } : {}),
      modelId: result.model,
    },
    warnings,
  };
};
