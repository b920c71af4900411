import type { LanguageModelV4CallOptions, SharedV4Warning } from "@ai-sdk/provider";
import type { FailoverRequest } from "../../engine/create-client.js";
import { isStrictCompatible } from "../../engine/is-strict-compatible.js";
import type { PolicyOptions } from "../../engine/policy-options.js";
import type { ChatRequest } from "../../spec/chat.js";
import type { JsonSchema, ToolDefinition } from "../../spec/request.js";
import { convertToFailoverMessages } from "./convert-to-failover-messages.js";
import { FAILOVER_METADATA_KEY } from "./failover-metadata.js";

/**
 * Per-call options of the failover model, under `providerOptions.aiFailover`:
 *
 * ```ts
 * await generateText({ model, prompt, providerOptions: { aiFailover: { policy: { deadlines: { totalMs: 5_000 } } } } });
 * ```
 */
export interface FailoverProviderOptions {
  /** Policy for this call only (deadlines, retry, failure actions…), as `client.chat({ policy })`. */
  policy?: PolicyOptions;
  /** Per-provider model for this call, keyed by provider name, as `client.chat({ models })`. */
  models?: Record<string, string>;
  /** Per-provider request body fields, keyed by provider name, as `client.chat({ providerOptions })`. */
  providerOptions?: Record<string, Record<string, unknown>>;
}

const knownOptions = new Set(["policy", "models", "providerOptions"]);

/** Call settings no provider behind the engine receives: reported, never silently dropped. */
const unsupportedSettings = ["topK", "presencePenalty", "frequencyPenalty", "seed"] as const;

/** A structured-output name as providers accept it (`^[A-Za-z0-9_-]{1,64}$`). */
const toSchemaName = (name: string | undefined): string => {
  const cleaned = (name ?? "").replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  return cleaned === "" ? "response" : cleaned;
};

/**
 * Maps AI SDK call options to the engine's request. Prompt, function tools, tool choice, JSON
 * response format (with schema: strict when the schema meets strict rules), temperature, topP,
 * maxOutputTokens, stopSequences, headers and the abort signal carry over; anything that cannot
 * reach a provider becomes an `unsupported` warning.
 */
export const convertToFailoverRequest = (
  options: LanguageModelV4CallOptions,
  { stream }: { stream: boolean },
): { request: FailoverRequest; warnings: SharedV4Warning[] } => {
  const warnings: SharedV4Warning[] = [];
  const request: ChatRequest & { policy?: PolicyOptions } = {
    messages: convertToFailoverMessages(options.prompt, warnings),
  };

  for (const setting of unsupportedSettings) {
    if (options[setting] !== undefined) warnings.push({ type: "unsupported", feature: setting });
  }
  if (options.reasoning !== undefined && options.reasoning !== "provider-default") {
    warnings.push({
      type: "unsupported",
      feature: "reasoning",
      details: "set reasoning per provider (its `extra` or providerOptions.aiFailover.providerOptions)",
    });
  }
  if (stream && options.includeRawChunks) warnings.push({ type: "unsupported", feature: "includeRawChunks" });

  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.topP !== undefined) request.topP = options.topP;
  if (options.maxOutputTokens !== undefined) request.maxTokens = options.maxOutputTokens;
  if (options.stopSequences !== undefined && options.stopSequences.length > 0)
    request.stop = options.stopSequences;

  const tools: ToolDefinition[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type !== "function") {
      warnings.push({ type: "unsupported", feature: `provider-defined tool ${tool.name}` });
      continue;
    }
    if (tool.strict) warnings.push({ type: "unsupported", feature: `strict mode of tool ${tool.name}` });
    if (tool.inputExamples?.length)
      warnings.push({ type: "unsupported", feature: `inputExamples of tool ${tool.name}` });
    tools.push({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.inputSchema as JsonSchema,
    });
  }
  if (tools.length > 0) {
    request.tools = tools;
    const choice = options.toolChoice;
    if (choice !== undefined) {
      request.toolChoice = choice.type === "tool" ? { type: "tool", name: choice.toolName } : choice.type;
    }
  }

  const format = options.responseFormat;
  if (format?.type === "json") {
    if (format.description !== undefined)
      warnings.push({ type: "unsupported", feature: "responseFormat.description" });
    request.responseFormat =
      format.schema !== undefined
        ? {
            type: "json_schema",
            name: toSchemaName(format.name),
            schema: format.schema as JsonSchema,
            strict: isStrictCompatible(format.schema),
          }
        : { type: "json" };
  }

  // `ai` adds its own `user-agent` ("ai/7…") to every call: it names the AI SDK's HTTP client, which
  // does not send these requests. The providers' SDKs keep theirs.
  const headers = Object.entries(options.headers ?? {}).filter(
    (entry): entry is [string, string] =>
      typeof entry[1] === "string" && entry[0].toLowerCase() !== "user-agent",
  );
  if (headers.length > 0) request.headers = Object.fromEntries(headers);
  if (options.abortSignal !== undefined) request.signal = options.abortSignal;

  for (const [key, value] of Object.entries(options.providerOptions ?? {})) {
    if (key !== FAILOVER_METADATA_KEY) {
      warnings.push({
        type: "unsupported",
        feature: `providerOptions.${key}`,
        details: `the failover model reads only providerOptions.${FAILOVER_METADATA_KEY}`,
      });
      continue;
    }
    const own = value as FailoverProviderOptions & Record<string, unknown>;
    for (const name of Object.keys(own)) {
      if (!knownOptions.has(name))
        warnings.push({ type: "unsupported", feature: `providerOptions.${FAILOVER_METADATA_KEY}.${name}` });
    }
    if (own.policy !== undefined) request.policy = own.policy;
    if (own.models !== undefined) request.models = own.models;
    if (own.providerOptions !== undefined) request.providerOptions = own.providerOptions;
  }
  return { request, warnings };
};
