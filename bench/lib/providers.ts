import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI from "openai";
import type { ProviderAdapter } from "../../src/spec/provider.js";
import type { MockProviderKind } from "../../src/testing/index.js";
import type { Library } from "./library.js";

/** Where a kit's SDK client points: a mock's base URL (as the SDK wants it). */
export interface MockEndpoint {
  readonly baseURL: string;
}

/** The model each kind is asked for (current, non-deprecated names). */
export const MODELS = {
  openai: "gpt-4.1",
  anthropic: "claude-sonnet-4-6",
  mistral: "mistral-large-latest",
} as const;

export type BenchKind = keyof typeof MODELS;

export const PROMPT = "Say hello in one short sentence.";
export const MAX_TOKENS = 256;

/**
 * What one call delivered: time to first text (ms from `start`, −1 when there was none) and the
 * content events (for the raw read loop: the body reads; for a JSON call: the reply's characters).
 */
export interface StreamOutcome {
  ttftMs: number;
  events: number;
}

export interface DirectStreamOptions {
  signal?: AbortSignal;
  /** Called after each content event with the count so far. */
  onContent?: (count: number) => void;
}

/**
 * One provider as the benchmarks use it: the official SDK client (shared by the direct calls and the
 * adapter, so both use the same connection pool), the direct SDK calls, and the adapter.
 */
export interface ProviderKit {
  kind: BenchKind;
  label: string;
  /** Direct SDK non-streaming call; resolves with the reply text. */
  directChat(): Promise<string>;
  /** Direct SDK streaming call, read to its end. */
  directStream(start: number, options?: DirectStreamOptions): Promise<StreamOutcome>;
  /**
   * The floor of any streaming reader: the same streaming request sent with `fetch`, its body read
   * to the end with no parsing at all. `events` counts the reads; `ttftMs` is the first read after
   * the stream's head (the mock writes the head with the headers, each content event on its own).
   */
  rawStream(start: number, read?: BodyReading): Promise<StreamOutcome>;
  /** A fresh adapter over the same SDK client. */
  adapter(name?: string): ProviderAdapter;
}

const messages = [{ role: "user" as const, content: PROMPT }];

/**
 * When the last request of an OpenAI or Anthropic kit's SDK client reached `fetch`
 * (`performance.now()`): their clients send through `clockedFetch`, so a face's time to first text
 * splits into the work before the request goes out (SDK, and the library's in front of it) and
 * the rest. The Mistral SDK takes no `fetch` option (our adapter hooks its HTTP client instead).
 */
export const requestClock = { sentAt: -1 };

/** The global `fetch`, noting when it was called (see `requestClock`). */
export const clockedFetch: typeof fetch = (input, init) => {
  requestClock.sentAt = performance.now();
  return fetch(input, init);
};

/**
 * How a raw read treats the body: "bytes" does not look at it (the floor of any streaming reader);
 * "parse" decodes it and `JSON.parse`s every server-sent event's data, with no checks and no
 * conversion (the least any reader that delivers the text must also do).
 */
export type BodyReading = "bytes" | "parse";

/** Parses every complete `data:` event in `buffer`; returns what is left (an incomplete event). */
export const parseEvents = (buffer: string, parsed: { count: number }): string => {
  let from = 0;
  for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n", from)) {
    for (const line of buffer.slice(from, end).split("\n")) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
      if (data !== "[DONE]" && JSON.parse(data) !== null) parsed.count++;
    }
    from = end + 2;
  }
  return buffer.slice(from);
};

/** POSTs `body` and reads the response body to its end, as `reading` says. */
const readRaw = async (
  url: string,
  headers: Record<string, string>,
  body: unknown,
  start: number,
  reading: BodyReading = "bytes",
): Promise<StreamOutcome> => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok || !response.body) throw new Error(`raw read: HTTP ${response.status}`);
  let ttftMs = -1;
  const reads = await readBody(response.body, reading, () => {
    ttftMs = performance.now() - start;
  });
  return { ttftMs, events: reads };
};

/**
 * Reads a response body to its end as `reading` says, calling `onSecondRead` at its second read
 * (the first after the stream's head: the first text). Returns how many reads it took.
 */
export const readBody = async (
  body: ReadableStream<Uint8Array>,
  reading: BodyReading,
  onSecondRead: () => void,
): Promise<number> => {
  const reader = body.getReader();
  const decoder = reading === "parse" ? new TextDecoder() : undefined;
  const parsed = { count: 0 };
  let pending = "";
  let reads = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (decoder) pending = parseEvents(pending + decoder.decode(value, { stream: true }), parsed);
    if (++reads === 2) onSecondRead();
  }
  if (decoder && parsed.count === 0) throw new Error("raw read: no event parsed");
  return reads;
};

export const openAIKit = (lib: Library, mock: MockEndpoint): ProviderKit => {
  const client = new OpenAI({
    apiKey: "sk-bench",
    baseURL: mock.baseURL,
    maxRetries: 0,
    fetch: clockedFetch,
  });
  const model = MODELS.openai;
  return {
    kind: "openai",
    label: "OpenAI (openai SDK, chat.completions)",
    async directChat() {
      const res = await client.chat.completions.create({
        model,
        messages,
        max_completion_tokens: MAX_TOKENS,
      });
      return res.choices[0]?.message.content ?? "";
    },
    async directStream(start, options = {}) {
      const stream = await client.chat.completions.create(
        {
          model,
          messages,
          max_completion_tokens: MAX_TOKENS,
          stream: true,
          stream_options: { include_usage: true },
        },
        options.signal ? { signal: options.signal } : undefined,
      );
      let ttftMs = -1;
      let events = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) {
          if (ttftMs < 0) ttftMs = performance.now() - start;
          events++;
          options.onContent?.(events);
        }
      }
      return { ttftMs, events };
    },
    rawStream: (start, reading) =>
      readRaw(
        `${mock.baseURL}/chat/completions`,
        { authorization: "Bearer sk-bench" },
        {
          model,
          messages,
          max_completion_tokens: MAX_TOKENS,
          stream: true,
          stream_options: { include_usage: true },
        },
        start,
        reading,
      ),
    adapter: (name) => lib.openai({ client, model, ...(name ? { name } : {}) }),
  };
};

export const anthropicKit = (lib: Library, mock: MockEndpoint): ProviderKit => {
  const client = new Anthropic({
    apiKey: "sk-ant-bench",
    baseURL: mock.baseURL,
    maxRetries: 0,
    fetch: clockedFetch,
  });
  const model = MODELS.anthropic;
  return {
    kind: "anthropic",
    label: "Anthropic (@anthropic-ai/sdk, messages)",
    async directChat() {
      const res = await client.messages.create({ model, max_tokens: MAX_TOKENS, messages });
      const block = res.content[0];
      return block?.type === "text" ? block.text : "";
    },
    async directStream(start, options = {}) {
      const stream = await client.messages.create(
        { model, max_tokens: MAX_TOKENS, messages, stream: true },
        options.signal ? { signal: options.signal } : undefined,
      );
      let ttftMs = -1;
      let events = 0;
      for await (const event of stream) {
        if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
          if (ttftMs < 0) ttftMs = performance.now() - start;
          events++;
          options.onContent?.(events);
        }
      }
      return { ttftMs, events };
    },
    rawStream: (start, reading) =>
      readRaw(
        `${mock.baseURL}/v1/messages`,
        { "x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01" },
        { model, max_tokens: MAX_TOKENS, messages, stream: true },
        start,
        reading,
      ),
    adapter: (name) => lib.anthropic({ client, model, ...(name ? { name } : {}) }),
  };
};

export const mistralKit = (lib: Library, mock: MockEndpoint): ProviderKit => {
  const client = new Mistral({
    apiKey: "mistral-bench",
    serverURL: mock.baseURL,
    retryConfig: { strategy: "none" },
  });
  const model = MODELS.mistral;
  return {
    kind: "mistral",
    label: "Mistral (@mistralai/mistralai, chat.complete)",
    async directChat() {
      const res = await client.chat.complete({ model, messages, maxTokens: MAX_TOKENS });
      const content = res.choices?.[0]?.message?.content;
      return typeof content === "string" ? content : "";
    },
    async directStream(start, options = {}) {
      const stream = await client.chat.stream(
        { model, messages, maxTokens: MAX_TOKENS },
        options.signal ? { signal: options.signal } : undefined,
      );
      let ttftMs = -1;
      let events = 0;
      for await (const event of stream) {
        const content = event.data.choices[0]?.delta.content;
        if (content) {
          if (ttftMs < 0) ttftMs = performance.now() - start;
          events++;
          options.onContent?.(events);
        }
      }
      return { ttftMs, events };
    },
    rawStream: (start, reading) =>
      readRaw(
        `${mock.baseURL}/v1/chat/completions`,
        { authorization: "Bearer mistral-bench" },
        { model, messages, max_tokens: MAX_TOKENS, stream: true },
        start,
        reading,
      ),
    adapter: (name) => lib.mistral({ client, model, ...(name ? { name } : {}) }),
  };
};

export const kitFor = (lib: Library, kind: BenchKind, mock: MockEndpoint): ProviderKit =>
  kind === "openai"
    ? openAIKit(lib, mock)
    : kind === "anthropic"
      ? anthropicKit(lib, mock)
      : mistralKit(lib, mock);

export const mockKindOf = (kind: BenchKind): MockProviderKind => kind;
