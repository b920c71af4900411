import type { AttemptContext } from "../../../src/spec/provider.js";
import type { Message, ProviderRequest } from "../../../src/spec/request.js";
import type { FinishPart, StreamPart } from "../../../src/spec/stream.js";

export const API_KEY = "sk-test-SECRET-0123456789abcdef";

/** An attempt context with a generous timeout; pass a signal to abort. */
export const attempt = (
  signal: AbortSignal = new AbortController().signal,
  timeoutMs = 10_000,
): AttemptContext => ({
  signal,
  timeoutMs,
});

export const userSays = (text: string): Message[] => [{ role: "user", content: text }];

export const request = (overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: "gpt-4o-mini",
  messages: userSays("Hi there"),
  ...overrides,
});

/** Reads a whole stream: its parts, the text, and the finish part (if any). */
export const collect = async (
  iterable: AsyncIterable<StreamPart>,
): Promise<{ parts: StreamPart[]; text: string; finish: FinishPart | undefined }> => {
  const parts: StreamPart[] = [];
  for await (const part of iterable) parts.push(part);
  const text = parts.map((p) => (p.type === "text" ? p.text : "")).join("");
  const finish = parts.find((p): p is FinishPart => p.type === "finish");
  return { parts, text, finish };
};

/** Runs `fn`, expecting it to throw; returns what it threw. */
export const caught = async (fn: () => Promise<unknown>): Promise<any> => {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
};

export const weatherTool = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
