import type { ChatRequest } from "../../spec/chat.js";
import type { ToolChoice, ToolDefinition } from "../../spec/request.js";
import { convertOpenAIMessages } from "./convert-openai-messages.js";
import type { OpenAIChatParams, OpenAIToolParam } from "./wire-types.js";

/** What `create(params)` asked for, split into the neutral request and the drop-in's own flags. */
export interface ConvertedParams {
  request: ChatRequest;
  stream: boolean;
  /** `stream_options.include_usage`: end the stream with a usage chunk whose `choices` is empty. */
  includeUsage: boolean;
  /** Problems that make the request impossible to serve under failover (`path: message`). */
  issues: string[];
}

export interface ConvertParamsOptions {
  /** Name of the primary (wrapped client) provider. */
  primaryName: string;
  /** `withFailover`'s `models` option: OpenAI model → model per fallback provider name. */
  models: Record<string, Record<string, string>> | undefined;
}

/**
 * Translates `chat.completions.create` params to a neutral `ChatRequest`: messages, tools,
 * `tool_choice`, `temperature`, `top_p`, `max_tokens` / `max_completion_tokens`, `stop` and
 * `response_format` json_schema. Every other field (`seed`, `logprobs`, `user`, `metadata`,
 * `store`, `reasoning_effort`, `service_tier`, fields newer than this code…) reaches the primary
 * only, untouched.
 *
 * The primary (the wrapped OpenAI client) receives the app's own fields untouched through
 * `providerOptions[primaryName]`, which the OpenAI adapter merges over its mapping: while OpenAI is
 * healthy it gets exactly the body the app would have sent (developer role, `name`, image `detail`,
 * tool `strict` flags, `seed`, `logprobs`…). Fallbacks receive the neutral translation.
 */
export const convertOpenAIParams = (
  params: OpenAIChatParams,
  options: ConvertParamsOptions,
): ConvertedParams => {
  const issues: string[] = [];
  if (typeof params !== "object" || params === null) {
    return {
      request: { messages: [] },
      stream: false,
      includeUsage: false,
      issues: ["params: expected an object"],
    };
  }
  if (typeof params.model !== "string" || params.model === "") issues.push("model: required");
  // `stream: "yes"` would be read as no stream while the app iterates the answer as one.
  if (params.stream != null && typeof params.stream !== "boolean")
    issues.push("stream: expected true or false");
  if (params.n != null && params.n !== 1) {
    issues.push(
      `n: only n = 1 is supported under failover (fallback providers return one choice), got ${params.n}`,
    );
  }
  if (params.functions !== undefined || params.function_call !== undefined) {
    issues.push("functions: legacy function calling is not supported under failover; use tools");
  }
  if (params.audio != null || (Array.isArray(params.modalities) && params.modalities.includes("audio"))) {
    issues.push("modalities: audio output is not supported under failover");
  }

  const messages = convertOpenAIMessages(params.messages, issues);
  const request: ChatRequest = { messages };
  const { tools, toolChoice } = convertTools(params, issues);
  if (tools) request.tools = tools;
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  if (params.temperature != null) request.temperature = params.temperature;
  if (params.top_p != null) request.topP = params.top_p;
  const maxTokens = params.max_completion_tokens ?? params.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (typeof params.stop === "string") request.stop = [params.stop];
  else if (Array.isArray(params.stop) && params.stop.length > 0) request.stop = params.stop;
  Object.assign(request, convertResponseFormat(params, issues));

  const mapped = typeof params.model === "string" ? options.models?.[params.model] : undefined;
  request.models = { [options.primaryName]: params.model, ...mapped };
  request.providerOptions = { [options.primaryName]: primaryBody(params) };

  return {
    request,
    stream: params.stream === true,
    includeUsage: params.stream === true && params.stream_options?.include_usage === true,
    issues,
  };
};

/**
 * The app's own body fields for the primary. The adapter maps `maxTokens` to one field; the
 * other is set to `undefined` (dropped when the body is serialized) so the primary never receives
 * both `max_tokens` and `max_completion_tokens`.
 */
const primaryBody = (params: OpenAIChatParams): Record<string, unknown> => {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === "model" || key === "stream" || key === "stream_options") continue;
    if (value !== undefined) body[key] = value;
  }
  // The app's own stream options (`include_obfuscation`…) reach OpenAI; the engine needs the usage chunk.
  if (params.stream === true && typeof params.stream_options === "object" && params.stream_options !== null)
    body.stream_options = { ...params.stream_options, include_usage: true };
  if (params.max_completion_tokens == null) body.max_completion_tokens = undefined;
  if (params.max_tokens == null) body.max_tokens = undefined;
  return body;
};

const convertTools = (
  params: OpenAIChatParams,
  issues: string[],
): { tools: ToolDefinition[] | undefined; toolChoice: ToolChoice | undefined } => {
  let tools: ToolDefinition[] | undefined;
  if (params.tools != null) {
    if (!Array.isArray(params.tools)) issues.push("tools: expected an array");
    else tools = params.tools.flatMap((tool, i) => convertTool(tool, `tools[${i}]`, issues));
  }
  const choice = params.tool_choice;
  if (choice === undefined || choice === null) return { tools, toolChoice: undefined };
  if (choice === "auto" || choice === "none" || choice === "required") return { tools, toolChoice: choice };
  if (typeof choice === "object" && choice.type === "function" && typeof choice.function?.name === "string") {
    return { tools, toolChoice: { type: "tool", name: choice.function.name } };
  }
  if (typeof choice === "object" && choice.type === "allowed_tools") {
    // Fallbacks see only the allowed subset, with the mode as the choice.
    const allowed = choice.allowed_tools as
      | { mode?: unknown; tools?: { function?: { name?: unknown } }[] }
      | undefined;
    const names = new Set(
      (allowed?.tools ?? []).map((t) => t.function?.name).filter((n) => typeof n === "string"),
    );
    return {
      tools: tools?.filter((t) => names.has(t.name)),
      toolChoice: allowed?.mode === "required" ? "required" : "auto",
    };
  }
  issues.push(
    "tool_choice: only none, auto, required, a function or allowed_tools are supported under failover",
  );
  return { tools, toolChoice: undefined };
};

const convertTool = (tool: OpenAIToolParam, path: string, issues: string[]): ToolDefinition[] => {
  if (tool?.type !== "function" || typeof tool.function?.name !== "string") {
    issues.push(`${path}: only function tools are supported under failover`);
    return [];
  }
  const { name, description, parameters } = tool.function;
  return [
    {
      name,
      ...(typeof description === "string" ? { description } : {}),
      parameters: parameters ?? { type: "object", properties: {} },
    },
  ];
};

/**
 * `response_format` becomes the neutral `responseFormat`, which every provider receives in its own
 * form (json_schema → Anthropic `output_config`, Mistral `jsonSchema`; json_object → JSON mode). The
 * reply is returned as text, unparsed, exactly as OpenAI would return it: the app parses it as it
 * always did (a truncated reply stays the app's to handle, as with OpenAI).
 */
const convertResponseFormat = (params: OpenAIChatParams, issues: string[]): Partial<ChatRequest> => {
  const format = params.response_format;
  if (format == null || format.type === "text") return {};
  if (format.type === "json_object") return { responseFormat: { type: "json" } };
  if (format.type !== "json_schema") return {};
  const spec = format.json_schema;
  if (!spec || typeof spec.name !== "string") {
    issues.push("response_format.json_schema.name: required");
    return {};
  }
  return {
    responseFormat: {
      type: "json_schema",
      name: spec.name,
      schema: (spec.schema ?? { type: "object" }) as Record<string, unknown>,
      ...(typeof spec.strict === "boolean" ? { strict: spec.strict } : {}),
    },
  };
};
