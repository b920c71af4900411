import OpenAI from "openai";
import type { FailoverClient } from "../../src/index.js";
import type { Library } from "./library.js";
import { type BenchKind, clockedFetch, kitFor, MAX_TOKENS, PROMPT, type ProviderKit } from "./providers.js";

/** One way of making the same call; resolves with its time to first text (ms from `start`) or −1. */
export type Face = (start: number) => Promise<number>;

/** Every face of one provider against one mock: the floors (SDK, raw `fetch`) and the library's. */
export interface Faces {
  kit: ProviderKit;
  /** The floor of any streaming reader: `fetch` and a read loop over the same bytes, no parsing. */
  raw: Face;
  /**
   * The floor of any reader that delivers the text: the same read loop, decoding the body and
   * `JSON.parse`-ing every event's data (no checks, no conversion).
   */
  rawParse: Face;
  /** The SDK's own streaming read. */
  sdkStream: Face;
  /**
   * The SDK's own streaming read given a caller's `signal` (a fresh one per call), as any wrapper
   * that can cancel a request must call it: the floor of such a wrapper.
   */
  sdkStreamSignal: Face;
  /** The library's adapter alone (no engine), read to its end: where the engine's share begins. */
  adapterStream: Face;
  /** The SDK's JSON call. */
  sdkJson: Face;
  /** `client.stream()`, read to its end. */
  stream: Face;
  /** `client.chat()` with the default transport (streaming under the hood). */
  chat: Face;
  /** `client.chat()` with `transport: "json"`. */
  chatJson: Face;
  /** OpenAI only: `withFailover(new OpenAI()).chat.completions.create({ stream: true })`, read to its end. */
  dropInStream?: Face;
  /** OpenAI only: the drop-in's non-streaming `create()`. */
  dropInChat?: Face;
  /** The client behind `stream` and `chat`, for sanity checks. */
  client: FailoverClient;
  /** Body reads of every raw call (reads per content event: 1 when each event is its own read). */
  rawReads: number[];
}

export const request = { messages: [{ role: "user" as const, content: PROMPT }], maxTokens: MAX_TOKENS };

/** A stream() read to its end; returns the time to its first text event. */
export const readStream = async (client: FailoverClient, start: number): Promise<number> => {
  let ttft = -1;
  for await (const event of client.stream(request)) {
    if (ttft < 0 && event.type === "text") ttft = performance.now() - start;
  }
  return ttft;
};

export const facesFor = (lib: Library, kind: BenchKind, mock: { baseURL: string }): Faces => {
  const kit = kitFor(lib, kind, mock);
  const client = lib.createClient({ providers: [kit.adapter()] });
  const jsonClient = lib.createClient({ providers: [kit.adapter()], transport: "json" });
  const rawReads: number[] = [];
  const adapter = kit.adapter();
  const faces: Faces = {
    kit,
    client,
    rawReads,
    raw: async (start) => {
      const outcome = await kit.rawStream(start);
      rawReads.push(outcome.events);
      return outcome.ttftMs;
    },
    rawParse: async (start) => (await kit.rawStream(start, "parse")).ttftMs,
    sdkStream: async (start) => (await kit.directStream(start)).ttftMs,
    sdkStreamSignal: async (start) =>
      (await kit.directStream(start, { signal: new AbortController().signal })).ttftMs,
    adapterStream: async (start) => {
      let ttft = -1;
      const parts = await adapter.stream(
        { model: adapter.model, messages: request.messages, maxTokens: MAX_TOKENS },
        { signal: new AbortController().signal, timeoutMs: 600_000 },
      );
      for await (const part of parts) if (ttft < 0 && part.type === "text") ttft = performance.now() - start;
      return ttft;
    },
    sdkJson: async () => {
      await kit.directChat();
      return -1;
    },
    stream: (start) => readStream(client, start),
    chat: async () => {
      await client.chat(request);
      return -1;
    },
    chatJson: async () => {
      await jsonClient.chat(request);
      return -1;
    },
  };
  if (kind === "openai") {
    const wrapped = lib.withFailover(
      new OpenAI({ apiKey: "sk-bench", baseURL: mock.baseURL, maxRetries: 0, fetch: clockedFetch }),
      {
        fallbacks: [],
      },
    );
    const params = {
      model: "gpt-4.1",
      messages: request.messages,
      max_completion_tokens: MAX_TOKENS,
    };
    faces.dropInStream = async (start) => {
      let ttft = -1;
      const stream = await wrapped.chat.completions.create({
        ...params,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) {
        if (ttft < 0 && chunk.choices[0]?.delta?.content) ttft = performance.now() - start;
      }
      return ttft;
    };
    faces.dropInChat = async () => {
      await wrapped.chat.completions.create(params);
      return -1;
    };
  }
  return faces;
};
