import type { ProviderRequest } from "../../spec/request.js";
import { convertToAiSdkPrompt } from "./convert-to-ai-sdk-prompt.js";

/** What the adapter adds to every call, from its factory options. */
export interface CallDefaults {
  providerOptions: Record<string, Record<string, unknown>> | undefined;
  headers: Record<string, string> | undefined;
}

/**
 * Our request as AI SDK call options (the same fields in specification v2, v3 and v4). Per-call
 * extras (`ChatRequest.providerOptions[name]`) are AI SDK `providerOptions`, merged per provider
 * key over the factory's.
 */
export const convertToAiSdkCallOptions = async (
  request: ProviderRequest,
  version: string,
  supportedUrls: Record<string, RegExp[]>,
  defaults: CallDefaults,
  signal: AbortSignal,
): Promise<Record<string, unknown>> => {
  const options: Record<string, unknown> = {
    prompt: await convertToAiSdkPrompt(request.messages, version, supportedUrls, signal),
    abortSignal: signal,
  };
  if (request.maxTokens !== undefined) options.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.topP !== undefined) options.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) options.stopSequences = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    options.tools = request.tools.map((tool) => ({
      type: "function",
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: tool.parameters,
    }));
    const choice = request.toolChoice;
    if (choice !== undefined) {
      options.toolChoice =
        typeof choice === "string" ? { type: choice } : { type: "tool", toolName: choice.name };
    }
  }
  const format = request.responseFormat;
  if (format?.type === "json_schema")
    options.responseFormat = { type: "json", schema: format.schema, name: format.name };
  else if (format?.type === "json") options.responseFormat = { type: "json" };
  const headers = { ...defaults.headers, ...request.headers };
  if (Object.keys(headers).length > 0) options.headers = headers;
  const providerOptions = mergeProviderOptions(defaults.providerOptions, request.extra);
  if (providerOptions !== undefined) options.providerOptions = providerOptions;
  return options;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const mergeProviderOptions = (
  base: Record<string, Record<string, unknown>> | undefined,
  call: Record<string, unknown> | undefined,
): Record<string, Record<string, unknown>> | undefined => {
  if (call === undefined) return base;
  const merged: Record<string, Record<string, unknown>> = { ...base };
  for (const [key, value] of Object.entries(call)) {
    merged[key] = isRecord(value) ? { ...merged[key], ...value } : (value as Record<string, unknown>);
  }
  return merged;
};
