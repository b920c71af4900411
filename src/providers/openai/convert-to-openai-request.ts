import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ProviderRequest, ToolChoice } from "../../spec/request.js";
import { convertToOpenAIMessages } from "./convert-to-openai-messages.js";

/** How a provider of the Chat Completions family wants a few request fields spelt. */
export interface OpenAIRequestSettings {
  /**
   * The field that carries `maxTokens`. OpenAI deprecated `max_tokens` for `max_completion_tokens`
   * (reasoning models reject `max_tokens`); many OpenAI-compatible servers only know `max_tokens`.
   */
  maxTokensField: "max_completion_tokens" | "max_tokens";
  /** Ask for the final usage chunk on streams (`stream_options.include_usage`). */
  includeStreamUsage: boolean;
  /** Body fields from the provider's options, merged before the request's own `extra`. */
  extra: Record<string, unknown> | undefined;
}

/** A Chat Completions request body: the SDK's params plus whatever `extra` adds. */
export type OpenAIRequestBody = ChatCompletionCreateParamsBase & Record<string, unknown>;

/**
 * Builds a Chat Completions request body from a provider-neutral request. Only fields the request
 * sets are sent; the provider's `extra`, then the request's `extra`, are merged in last so they
 * can add or override anything.
 */
export const convertToOpenAIRequest = (
  request: ProviderRequest,
  settings: OpenAIRequestSettings,
  stream: boolean,
): OpenAIRequestBody => {
  const body: OpenAIRequestBody = {
    model: request.model,
    messages: convertToOpenAIMessages(request.messages),
  };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }));
  }
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body[settings.maxTokensField] = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  const format = request.responseFormat;
  if (format?.type === "json_schema") {
    body.response_format = {
      type: "json_schema",
      json_schema: {
        name: format.name,
        schema: format.schema,
        ...(format.strict !== undefined ? { strict: format.strict } : {}),
      },
    };
  } else if (format?.type === "json") {
    body.response_format = { type: "json_object" };
  }
  if (stream) {
    body.stream = true;
    if (settings.includeStreamUsage) body.stream_options = { include_usage: true };
  }
  if (settings.extra) Object.assign(body, settings.extra);
  if (request.extra) Object.assign(body, request.extra);
  return body;
};

const convertToolChoice = (choice: ToolChoice): ChatCompletionToolChoiceOption =>
  typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
