import type {
  ChatCompletionRequest,
  ChatCompletionRequestToolChoice,
  ResponseFormat,
} from "@mistralai/mistralai/models/components";
import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import type { ProviderRequest, ToolChoice } from "../../spec/request.js";
import { convertToMistralMessages } from "./convert-to-mistral-messages.js";

/**
 * Builds the Mistral SDK request (camelCase; the SDK writes snake_case on the wire).
 * `extra` (the provider's defaults, then the request's) is merged last; see `mergeMistralExtra`.
 */
export const convertToMistralRequest = (
  request: ProviderRequest,
  defaults: Record<string, unknown> | undefined,
  knownKeys: ReadonlySet<string> | undefined,
): ChatCompletionRequest => {
  const body: ChatCompletionRequest = {
    model: request.model,
    messages: convertToMistralMessages(request.messages),
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.topP = request.topP;
  if (request.maxTokens !== undefined) body.maxTokens = request.maxTokens;
  if (request.stop?.length) body.stop = request.stop;
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }));
  }
  if (request.toolChoice !== undefined) body.toolChoice = convertToolChoice(request.toolChoice);
  if (request.responseFormat) body.responseFormat = convertResponseFormat(request.responseFormat);
  mergeMistralExtra(body, defaults, knownKeys);
  mergeMistralExtra(body, request.extra, knownKeys);
  return body;
};

const convertToolChoice = (choice: ToolChoice): ChatCompletionRequestToolChoice => {
  if (typeof choice === "object") return { type: "function", function: { name: choice.name } };
  // Mistral's own word for "must call a tool" is "any" ("required" is a later alias).
  return choice === "required" ? "any" : choice;
};

const convertResponseFormat = (format: NonNullable<ProviderRequest["responseFormat"]>): ResponseFormat => {
  if (format.type === "json") return { type: "json_object" };
  return {
    type: "json_schema",
    jsonSchema: {
      name: format.name,
      schemaDefinition: format.schema,
      ...(format.strict !== undefined ? { strict: format.strict } : {}),
    },
  };
};

const snakeToCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Merges extra body fields. The Mistral SDK validates requests with a zod object that DROPS unknown
 * keys and expects its camelCase names (`randomSeed`, `safePrompt`): snake_case wire names
 * (`random_seed`) are accepted and renamed, and a key the installed SDK does not know is an error
 * rather than a field silently lost. Nested values must use the SDK's (camelCase) shapes.
 */
export const mergeMistralExtra = (
  body: ChatCompletionRequest,
  extra: Record<string, unknown> | undefined,
  knownKeys: ReadonlySet<string> | undefined,
): void => {
  if (!extra) return;
  const unknown: string[] = [];
  const target = body as Record<string, unknown>;
  for (const [rawKey, value] of Object.entries(extra)) {
    const key = snakeToCamel(rawKey);
    if (knownKeys && !knownKeys.has(key)) unknown.push(rawKey);
    else if (value === undefined) delete target[key];
    else target[key] = value;
  }
  if (unknown.length > 0) {
    throw new InvalidRequestError([
      `extra: field(s) not supported by the installed Mistral SDK, which would drop them: ${unknown.join(", ")}`,
    ]);
  }
};
