/**
 * Runs one call through a client and records everything the caller and observers could see: the
 * result or error, the stream events, and every engine event. Used to assert outcomes and to prove
 * that no key, prompt or HTML page leaks into anything user-visible.
 */
import { type FailoverClient, type FailoverRequest, isAiFailoverError } from "../../../src/index.js";
import type { Attempt } from "../../../src/spec/attempt.js";
import type { ChatResult, ChatStreamEvent } from "../../../src/spec/chat.js";
import { KEY_MARKER, PROMPT } from "./providers.js";

/** One engine event, as an observer subscribed with `client.onXxx` received it. */
export interface RecordedEvent {
  channel: string;
  payload: unknown;
}

/** Subscribes to every `onXxx` channel of the client; returns the log and a disposer. */
export const recordEvents = (client: FailoverClient): { events: RecordedEvent[]; dispose: () => void } => {
  const events: RecordedEvent[] = [];
  const subscriptions = Object.entries(client)
    .filter(([key, value]) => key.startsWith("on") && typeof value === "function")
    .map(([channel, subscribe]) =>
      (subscribe as FailoverClient["onAttemptEnd"])((payload) => events.push({ channel, payload })),
    );
  return {
    events,
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
};

/** The attempts log as observers saw it (every `onAttemptEnd`), in order. */
export const attemptsFromEvents = (events: readonly RecordedEvent[]): Attempt[] =>
  events.filter((e) => e.channel === "onAttemptEnd").map((e) => (e.payload as { attempt: Attempt }).attempt);

export interface Observation {
  result?: ChatResult;
  error?: unknown;
  /** Stream events delivered to the caller (stream mode only). */
  streamEvents: ChatStreamEvent[];
  events: RecordedEvent[];
}

export const streamText = (events: readonly ChatStreamEvent[]): string =>
  events.map((e) => (e.type === "text" ? e.text : "")).join("");

/** Makes one call (`chat()`, or `stream()` iterated to the end) and records what was seen. */
export const observeCall = async (
  client: FailoverClient,
  request: FailoverRequest,
  mode: "chat" | "stream",
): Promise<Observation> => {
  const { events, dispose } = recordEvents(client);
  const streamEvents: ChatStreamEvent[] = [];
  try {
    if (mode === "chat") return { result: await client.chat(request), streamEvents, events };
    const stream = client.stream(request);
    for await (const event of stream) streamEvents.push(event);
    return { result: await stream.result(), streamEvents, events };
  } catch (error) {
    return { error, streamEvents, events };
  } finally {
    dispose();
  }
};

/** Own, enumerable fields of our error (never its SDK `cause`), plus its message. */
const describeOwnError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (key !== "cause") fields[key] = value;
  return `${error.name}: ${error.message} ${JSON.stringify(fields)}`;
};

/**
 * Everything user-visible about an observation: the message and fields of the thrown error and of
 * every library error in its `cause` chain, the attempts, every engine event, every stream event.
 * The SDK's own error at the end of the chain is left out: it is the SDK's, not ours.
 */
export const visibleText = (observation: Observation): string => {
  const parts: string[] = [];
  let current: unknown = observation.error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (depth > 0 && !isAiFailoverError(current)) break;
    parts.push(describeOwnError(current));
    current = (current as { cause?: unknown }).cause;
  }
  if (observation.result) parts.push(JSON.stringify(observation.result.attempts));
  parts.push(JSON.stringify(observation.events));
  parts.push(JSON.stringify(observation.streamEvents));
  return parts.join("\n");
};

/** What must never appear in anything user-visible. */
export const LEAK_PATTERNS: readonly [string, RegExp][] = [
  ["API key", new RegExp(KEY_MARKER)],
  ["prompt text", new RegExp(PROMPT.slice(0, 18))],
  ["prompt text", /purple elephant/],
  ["HTML", /<\s*(html|!doctype|body|head)\b/i],
];

/** The leaks found in `text`, as "what: excerpt" strings (empty when clean). */
export const findLeaks = (text: string): string[] =>
  LEAK_PATTERNS.flatMap(([what, pattern]) => {
    const match = pattern.exec(text);
    if (!match) return [];
    const at = match.index;
    return [`${what}: …${text.slice(Math.max(0, at - 60), at + 40)}…`];
  });
