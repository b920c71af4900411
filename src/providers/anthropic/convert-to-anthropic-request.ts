import type {
  ToolChoice as AnthropicToolChoice,
  MessageCreateParamsBase,
  TextBlockParam,
  Tool,
} from "@anthropic-ai/sdk/resources/messages";
import type { ProviderRequest, ToolChoice } from "../../spec/request.js";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages.js";

/** What the request conversion needs from the provider's options. */
export interface AnthropicRequestSettings {
  /** `max_tokens` when the request sets none (Anthropic requires the field). */
  defaultMaxTokens: number;
  /** The provider's `extra` body fields, merged before the request's own `extra`. */
  extra?: Record<string, unknown> | undefined;
}

/**
 * Anthropic has no JSON mode without a schema (`output_config.format` needs one), so
 * `responseFormat: { type: "json" }` is emulated with this system instruction.
 */
export const anthropicJsonModeInstruction =
  "Respond with a single valid JSON value and nothing else: no prose before or after it, no Markdown code fences.";

/** The body of a Messages API call, without `stream`. */
export type AnthropicRequestBody = MessageCreateParamsBase & Record<string, unknown>;

/**
 * Converts a provider-neutral request to a Messages API body.
 *
 * - `maxTokens` → `max_tokens`, else `defaultMaxTokens` (the API requires it).
 * - `stop` → `stop_sequences`; tools → `tools` with `input_schema`; `toolChoice` → `tool_choice`
 *   (`required` is `any`), sent only when there are tools.
 * - `responseFormat` json_schema → `output_config.format = { type: "json_schema", schema }` (GA in
 *   API version 2026-10-21, no beta header; `name` and `strict` have no Anthropic equivalent);
 *   `json` → a system instruction ({@link anthropicJsonModeInstruction}).
 * - `temperature` and `topP` are NOT sent: API version 2026-10-21 (what SDK 1.x sends) rejects
 *   `temperature`, `top_p` and `top_k` with a 400 even at their defaults, and that 400 would stop a
 *   call that other providers could serve. Clients pinned to `anthropic-version: 2023-06-01` can
 *   send them through `extra`.
 * - `extra` (the provider's, then the request's) is merged into the body last; an `output_config`
 *   in `extra` is merged with the one built here rather than replacing it.
 */
export const convertToAnthropicRequest = (
  request: ProviderRequest,
  settings: AnthropicRequestSettings,
): AnthropicRequestBody => {
  const prompt = convertToAnthropicMessages(request.messages);
  const body: AnthropicRequestBody = {
    model: request.model,
    max_tokens: request.maxTokens ?? settings.defaultMaxTokens,
    messages: prompt.messages,
  };

  const system = prompt.system;
  if (request.responseFormat?.type === "json") system.push(anthropicJsonModeInstruction);
  if (system.length === 1) body.system = system[0]!;
  else if (system.length > 1) body.system = system.map((text): TextBlockParam => ({ type: "text", text }));

  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): Tool => ({
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        input_schema: tool.parameters as Tool.InputSchema,
      }),
    );
    if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
  }
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.responseFormat?.type === "json_schema") {
    body.output_config = { format: { type: "json_schema", schema: request.responseFormat.schema } };
  }

  mergeExtra(body, settings.extra);
  mergeExtra(body, request.extra);
  return body;
};

const convertToolChoice = (choice: ToolChoice): AnthropicToolChoice => {
  switch (choice) {
    case "auto":
      return { type: "auto" };
    case "none":
      return { type: "none" };
    case "required":
      return { type: "any" };
    default:
      return { type: "tool", name: choice.name };
  }
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const mergeExtra = (body: AnthropicRequestBody, extra: Record<string, unknown> | undefined): void => {
  if (extra === undefined) return;
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    const current = body[key];
    body[key] =
      key === "output_config" && isPlainObject(current) && isPlainObject(value)
        ? { ...current, ...value }
        : value;
  }
};
