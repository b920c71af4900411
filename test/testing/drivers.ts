/**
 * One driver per real SDK: makes a chat call against a mock and reports what the SDK surfaced, in
 * one shape, so fault tests can be written once for every provider.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import * as MistralErrors from "@mistralai/mistralai/models/errors";
import OpenAI, { AzureOpenAI } from "openai";
import type { MockProvider, MockProviderKind } from "../../src/testing/index.js";
import { API_KEY } from "./helpers.js";

export interface CallOptions {
  stream: boolean;
  /** Aborts the call (or the stream iteration). */
  signal?: AbortSignal;
  /** SDK request timeout in ms. @default 5000 */
  timeout?: number;
  /** Called for every content stream event with the count so far, e.g. to abort after N. */
  onEvent?: (contentEvents: number) => void;
  /** Called for every stream event (content or not) with the count so far. */
  onRaw?: (events: number) => void;
  tools?: boolean;
}

/** What the SDK surfaced. */
export interface Outcome {
  /** Concatenated text. */
  text: string;
  /** Stream events carrying content (text or tool-call deltas); 1 for a non-stream reply. */
  contentEvents: number;
  /** Finish / stop reason seen, if any. */
  finish: string | null | undefined;
  /** Whether the stream's terminal event arrived (finish reason for OpenAI/Mistral, message_stop for Anthropic). */
  terminal: boolean;
  /** Tool calls (name + parsed arguments). */
  toolCalls: { id: string; name: string; arguments: unknown }[];
  /** Output tokens reported. */
  outputTokens: number | undefined;
  /** Every raw event / the raw body. */
  raw: unknown[];
  /** The error thrown, if any. */
  error?: any;
}

const TOOL = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

function outcome(): Outcome {
  return {
    text: "",
    contentEvents: 0,
    finish: undefined,
    terminal: false,
    toolCalls: [],
    outputTokens: undefined,
    raw: [],
  };
}

function countEvent(o: CallOptions, out: Outcome): void {
  out.contentEvents++;
  o.onEvent?.(out.contentEvents);
}

function parseArgs(args: unknown): unknown {
  if (typeof args !== "string") return args;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

export function openaiClient(mock: MockProvider, timeout = 5000): OpenAI {
  if (mock.kind === "azure") {
    return new AzureOpenAI({
      apiKey: API_KEY,
      endpoint: mock.baseURL,
      deployment: "my-deployment",
      apiVersion: "2024-10-21",
      maxRetries: 0,
      timeout,
    });
  }
  return new OpenAI({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 0, timeout });
}

export function anthropicClient(mock: MockProvider, timeout = 5000): Anthropic {
  return new Anthropic({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 0, timeout });
}

export function mistralClient(mock: MockProvider, timeout = 5000): Mistral {
  return new Mistral({ apiKey: API_KEY, serverURL: mock.baseURL, timeoutMs: timeout });
}

async function runOpenAI(mock: MockProvider, o: CallOptions, out: Outcome): Promise<void> {
  const client = openaiClient(mock, o.timeout);
  const params = {
    model: "gpt-4o-mini",
    messages: [{ role: "user" as const, content: "Hi" }],
    ...(o.tools ? { tools: [{ type: "function" as const, function: TOOL }] } : {}),
  };
  if (!o.stream) {
    const res = await client.chat.completions.create(params, { signal: o.signal });
    out.raw.push(res);
    const choice = res.choices?.[0];
    if (!choice) return;
    out.text = choice.message.content ?? "";
    out.contentEvents = 1;
    out.finish = choice.finish_reason;
    out.terminal = true;
    out.outputTokens = res.usage?.completion_tokens;
    for (const call of choice.message.tool_calls ?? []) {
      if (call.type === "function") {
        out.toolCalls.push({
          id: call.id,
          name: call.function.name,
          arguments: parseArgs(call.function.arguments),
        });
      }
    }
    return;
  }
  const stream = await client.chat.completions.create(
    { ...params, stream: true, stream_options: { include_usage: true } },
    { signal: o.signal },
  );
  const calls: { id: string; name: string; args: string }[] = [];
  for await (const chunk of stream) {
    out.raw.push(chunk);
    o.onRaw?.(out.raw.length);
    if (chunk.usage) out.outputTokens = chunk.usage.completion_tokens;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) out.text += choice.delta.content;
    for (const tc of choice.delta.tool_calls ?? []) {
      calls[tc.index] ??= { id: "", name: "", args: "" };
      const call = calls[tc.index]!;
      if (tc.id) call.id = tc.id;
      if (tc.function?.name) call.name = tc.function.name;
      call.args += tc.function?.arguments ?? "";
    }
    if (choice.delta.content || choice.delta.tool_calls) countEvent(o, out);
    if (choice.finish_reason) {
      out.finish = choice.finish_reason;
      out.terminal = true;
    }
  }
  out.toolCalls = calls.map((c) => ({ id: c.id, name: c.name, arguments: parseArgs(c.args) }));
}

async function runAnthropic(mock: MockProvider, o: CallOptions, out: Outcome): Promise<void> {
  const client = anthropicClient(mock, o.timeout);
  const params = {
    model: "claude-sonnet-5-5",
    max_tokens: 256,
    messages: [{ role: "user" as const, content: "Hi" }],
    ...(o.tools
      ? { tools: [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.parameters }] }
      : {}),
  };
  if (!o.stream) {
    const res = await client.messages.create(params as Anthropic.MessageCreateParamsNonStreaming, {
      signal: o.signal,
    });
    out.raw.push(res);
    for (const block of res.content ?? []) {
      if (block.type === "text") out.text += block.text;
      if (block.type === "tool_use")
        out.toolCalls.push({ id: block.id, name: block.name, arguments: block.input });
    }
    out.contentEvents = 1;
    out.finish = res.stop_reason;
    out.terminal = true;
    out.outputTokens = res.usage?.output_tokens;
    return;
  }
  const stream = await client.messages.create(
    { ...params, stream: true } as Anthropic.MessageCreateParamsStreaming,
    {
      signal: o.signal,
    },
  );
  const calls: { id: string; name: string; args: string }[] = [];
  for await (const event of stream) {
    out.raw.push(event);
    o.onRaw?.(out.raw.length);
    if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
      calls.push({ id: event.content_block.id, name: event.content_block.name, args: "" });
    }
    if (event.type === "content_block_delta") {
      if (event.delta.type === "text_delta") out.text += event.delta.text;
      if (event.delta.type === "input_json_delta") calls[calls.length - 1]!.args += event.delta.partial_json;
      countEvent(o, out);
    }
    if (event.type === "message_delta") {
      out.finish = event.delta.stop_reason;
      out.outputTokens = event.usage.output_tokens;
    }
    if (event.type === "message_stop") out.terminal = true;
  }
  out.toolCalls = calls.map((c) => ({ id: c.id, name: c.name, arguments: parseArgs(c.args) }));
}

async function runMistral(mock: MockProvider, o: CallOptions, out: Outcome): Promise<void> {
  const client = mistralClient(mock, o.timeout);
  const params = {
    model: "mistral-small-latest",
    messages: [{ role: "user" as const, content: "Hi" }],
    ...(o.tools ? { tools: [{ type: "function" as const, function: TOOL }] } : {}),
  };
  if (!o.stream) {
    const res = await client.chat.complete(params, { signal: o.signal });
    out.raw.push(res);
    const choice = res.choices[0]!;
    out.text = typeof choice.message?.content === "string" ? choice.message.content : "";
    out.contentEvents = 1;
    out.finish = choice.finishReason;
    out.terminal = true;
    out.outputTokens = res.usage.completionTokens;
    for (const call of choice.message?.toolCalls ?? []) {
      out.toolCalls.push({
        id: call.id ?? "",
        name: call.function.name,
        arguments: parseArgs(call.function.arguments),
      });
    }
    return;
  }
  const stream = await client.chat.stream(params, { signal: o.signal });
  for await (const event of stream) {
    out.raw.push(event);
    o.onRaw?.(out.raw.length);
    const chunk = event.data;
    if (chunk.usage) out.outputTokens = chunk.usage.completionTokens;
    const choice = chunk.choices[0];
    if (!choice) continue;
    const content = typeof choice.delta.content === "string" ? choice.delta.content : "";
    out.text += content;
    for (const call of choice.delta.toolCalls ?? []) {
      out.toolCalls.push({
        id: call.id ?? "",
        name: call.function.name,
        arguments: parseArgs(call.function.arguments),
      });
    }
    if (content || choice.delta.toolCalls?.length) countEvent(o, out);
    if (choice.finishReason) {
      out.finish = choice.finishReason;
      out.terminal = true;
    }
  }
}

/** Calls the mock through its kind's real SDK; never throws (the error lands in `outcome.error`). */
export async function callThroughSdk(mock: MockProvider, options: CallOptions): Promise<Outcome> {
  const out = outcome();
  try {
    if (mock.kind === "anthropic") await runAnthropic(mock, options, out);
    else if (mock.kind === "mistral") await runMistral(mock, options, out);
    else await runOpenAI(mock, options, out);
  } catch (error) {
    out.error = error;
  }
  return out;
}

/** The HTTP status an SDK error carries (Mistral's `SDKError.statusCode`). */
export function statusOf(error: any): number | undefined {
  if (error instanceof MistralErrors.SDKError) return error.statusCode;
  return error?.status;
}

/** Whether `error` is the SDK's connection error (reset, refused). */
export function isConnectionError(kind: MockProviderKind, error: unknown): boolean {
  if (kind === "anthropic") return error instanceof Anthropic.APIConnectionError;
  if (kind === "mistral") return error instanceof MistralErrors.ConnectionError;
  return error instanceof OpenAI.APIConnectionError;
}

/** Whether `error` is the SDK's timeout error. */
export function isTimeoutError(kind: MockProviderKind, error: unknown): boolean {
  if (kind === "anthropic") return error instanceof Anthropic.APIConnectionTimeoutError;
  if (kind === "mistral") return error instanceof MistralErrors.RequestTimeoutError;
  return error instanceof OpenAI.APIConnectionTimeoutError;
}

/** Whether `error` is the SDK's user-abort error. */
export function isAbortError(kind: MockProviderKind, error: unknown): boolean {
  if (kind === "anthropic") return error instanceof Anthropic.APIUserAbortError;
  if (kind === "mistral") return error instanceof MistralErrors.RequestAbortedError;
  return error instanceof OpenAI.APIUserAbortError;
}
