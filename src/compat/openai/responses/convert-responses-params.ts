import type { ChatRequest } from "../../../spec/chat.js";
import type { Message, ToolChoice, ToolDefinition } from "../../../spec/request.js";
import { convertResponsesInput, describeType, type Findings, isRecord } from "./convert-responses-input.js";
import { isFailoverId } from "./failover-ids.js";
import type { ResponsesParams } from "./responses-wire-types.js";

/** What `responses.create(params)` asked for: the neutral request and what keeps it from fallbacks. */
export interface ConvertedResponsesParams extends Findings {
  /** The translation for the fallbacks (and the engine's bookkeeping). */
  request: ChatRequest;
  /** `stream: true`. */
  stream: boolean;
  /** Mistakes no provider could serve (a fallback's id sent back to OpenAI): always refused. */
  invalid: string[];
}

export interface ConvertResponsesOptions {
  /** Name of the primary (wrapped client) provider. */
  primaryName: string;
  /** `withFailover`'s `models` option: OpenAI model → model per fallback provider name. */
  models: Record<string, Record<string, string>> | undefined;
}

/** Tools only OpenAI runs (or client tools only OpenAI's models know): the request stays on the primary. */
const hostedToolPattern =
  /^(web_search\w*|file_search|computer\w*|code_interpreter|image_generation|mcp|tool_search|programmatic_tool_calling)$/;

/**
 * Translates `responses.create` params to a neutral `ChatRequest` for the fallbacks: `instructions`
 * and `input` (see `convertResponsesInput`), function `tools`, `tool_choice`, `text.format`
 * (json_schema, json_object), `max_output_tokens`, `temperature`, `top_p`. `metadata` is echoed in
 * the answer, as OpenAI does. Every other field (`reasoning`, `include`, `store`, `service_tier`,
 * `truncation`, `prompt_cache_key`, `text.verbosity`, fields newer than this code…) reaches the
 * primary only, untouched.
 *
 * Requests that depend on what OpenAI keeps or runs — `previous_response_id`, `conversation`,
 * `background: true`, a stored `prompt`, hosted tools (web and file search, code interpreter,
 * computer use, MCP, image generation…), files by id, item references — are reported in
 * `primaryOnly`: no other provider can answer them.
 */
export const convertResponsesParams = (
  params: ResponsesParams,
  options: ConvertResponsesOptions,
): ConvertedResponsesParams => {
  const findings: Findings = { primaryOnly: [], issues: [] };
  const invalid: string[] = [];
  if (!isRecord(params)) {
    return { request: { messages: [] }, stream: false, invalid: ["params: expected an object"], ...findings };
  }
  if (params.model !== undefined && (typeof params.model !== "string" || params.model === ""))
    invalid.push("model: expected a model name");
  // `stream: "yes"` would be read as no stream while the app iterates the answer as one.
  if (params.stream != null && typeof params.stream !== "boolean")
    invalid.push("stream: expected true or false");
  findStatefulFields(params, findings, invalid);

  const messages: Message[] = [];
  if (typeof params.instructions === "string" && params.instructions !== "")
    messages.push({ role: "system", content: params.instructions });
  else if (params.instructions != null && typeof params.instructions !== "string")
    findings.issues.push("instructions: expected a string");
  messages.push(...convertResponsesInput(params.input, findings));

  const request: ChatRequest = { messages };
  const { tools, toolChoice } = convertTools(params, findings);
  if (tools) request.tools = tools;
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  if (params.temperature != null) request.temperature = params.temperature;
  if (params.top_p != null) request.topP = params.top_p;
  if (params.max_output_tokens != null) request.maxTokens = params.max_output_tokens;
  Object.assign(request, convertTextFormat(params, findings));

  const mapped = typeof params.model === "string" ? options.models?.[params.model] : undefined;
  request.models = {
    ...(typeof params.model === "string" && params.model !== ""
      ? { [options.primaryName]: params.model }
      : {}),
    ...mapped,
  };
  return { request, stream: params.stream === true, invalid, ...findings };
};

const findStatefulFields = (params: ResponsesParams, findings: Findings, invalid: string[]): void => {
  const previous = params.previous_response_id;
  if (isFailoverId(previous)) {
    invalid.push(
      "previous_response_id: this response was answered by a fallback provider during a failover and is stored nowhere; send the conversation as input items instead",
    );
  } else if (previous != null) {
    findings.primaryOnly.push("previous_response_id: the conversation is stored at OpenAI");
  }
  if (params.conversation != null)
    findings.primaryOnly.push("conversation: the conversation is stored at OpenAI");
  if (params.background === true)
    findings.primaryOnly.push("background: OpenAI runs the response in the background");
  if (params.prompt != null) findings.primaryOnly.push("prompt: the prompt template is stored at OpenAI");
};

const convertTools = (
  params: ResponsesParams,
  findings: Findings,
): { tools: ToolDefinition[] | undefined; toolChoice: ToolChoice | undefined } => {
  let tools: ToolDefinition[] | undefined;
  if (params.tools != null) {
    if (!Array.isArray(params.tools)) findings.issues.push("tools: expected an array");
    else tools = params.tools.flatMap((tool, i) => convertTool(tool, `tools[${i}]`, findings));
  }
  const choice = params.tool_choice;
  if (choice === undefined || choice === null) return { tools, toolChoice: undefined };
  if (choice === "auto" || choice === "none" || choice === "required") return { tools, toolChoice: choice };
  if (isRecord(choice) && choice.type === "function" && typeof choice.name === "string")
    return { tools, toolChoice: { type: "tool", name: choice.name } };
  if (isRecord(choice) && choice.type === "allowed_tools") {
    // Fallbacks see only the allowed function tools, with the mode as the choice.
    const allowed = Array.isArray(choice.tools) ? choice.tools : [];
    const names = new Set(
      allowed.flatMap((t) =>
        isRecord(t) && t.type === "function" && typeof t.name === "string" ? [t.name] : [],
      ),
    );
    if (allowed.length !== names.size)
      findings.primaryOnly.push("tool_choice.tools: allows tools other than functions");
    return {
      tools: tools?.filter((t) => names.has(t.name)),
      toolChoice: choice.mode === "required" ? "required" : "auto",
    };
  }
  const type = isRecord(choice) ? choice.type : choice;
  if (typeof type === "string" && hostedToolPattern.test(type))
    findings.primaryOnly.push(`tool_choice: ${describeType(type)} is a tool OpenAI runs`);
  else findings.issues.push(`tool_choice: ${describeType(type)} is not supported under failover`);
  return { tools, toolChoice: undefined };
};

const convertTool = (tool: unknown, path: string, findings: Findings): ToolDefinition[] => {
  if (!isRecord(tool)) {
    findings.issues.push(`${path}: expected a tool object`);
    return [];
  }
  if (tool.type === "function") {
    if (typeof tool.name !== "string") {
      findings.issues.push(`${path}.name: required`);
      return [];
    }
    return [
      {
        name: tool.name,
        ...(typeof tool.description === "string" ? { description: tool.description } : {}),
        parameters: isRecord(tool.parameters) ? tool.parameters : { type: "object", properties: {} },
      },
    ];
  }
  if (typeof tool.type === "string" && hostedToolPattern.test(tool.type)) {
    findings.primaryOnly.push(`${path}: ${describeType(tool.type)} is a tool OpenAI runs`);
  } else {
    findings.issues.push(
      `${path}: ${describeType(tool.type)} tools are not supported under failover (function tools are)`,
    );
  }
  return [];
};

/**
 * `text.format` becomes the neutral `responseFormat` (json_schema → Anthropic `output_config`,
 * Mistral `jsonSchema`; json_object → JSON mode). The reply is returned as text, unparsed, exactly as
 * OpenAI returns it; the SDK's `responses.parse()` parses it as usual.
 */
const convertTextFormat = (params: ResponsesParams, findings: Findings): Partial<ChatRequest> => {
  const format = isRecord(params.text) ? params.text.format : undefined;
  if (format === undefined || format === null) return {};
  if (!isRecord(format)) {
    findings.issues.push("text.format: expected an object");
    return {};
  }
  if (format.type === "text") return {};
  if (format.type === "json_object") return { responseFormat: { type: "json" } };
  if (format.type !== "json_schema") {
    findings.issues.push(`text.format: ${describeType(format.type)} is not supported under failover`);
    return {};
  }
  if (typeof format.name !== "string") {
    findings.issues.push("text.format.name: required");
    return {};
  }
  return {
    responseFormat: {
      type: "json_schema",
      name: format.name,
      schema: isRecord(format.schema) ? format.schema : { type: "object" },
      ...(typeof format.strict === "boolean" ? { strict: format.strict } : {}),
    },
  };
};

/**
 * The app's own params for the primary: untouched except that ids the drop-in made for a
 * fallback's answer are taken off input items replayed from it (OpenAI never stored them and
 * rejects unknown item ids), and `stream`, which the primary adapter sets per attempt.
 */
export const primaryBody = (params: ResponsesParams): Record<string, unknown> => {
  const { stream: _stream, ...body } = params;
  if (Array.isArray(params.input) && params.input.some((item) => isRecord(item) && isFailoverId(item.id))) {
    body.input = params.input.map((item) => {
      if (!isRecord(item) || !isFailoverId(item.id)) return item;
      const { id: _id, ...rest } = item;
      return rest;
    });
  }
  return body;
};
