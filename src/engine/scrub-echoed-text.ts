import type { ProviderError } from "../errors/provider-error.js";
import type { ProviderRequest } from "../spec/request.js";

/** Fragments shorter than this are too common to call an echo ("user", "content", a model name). */
const minEcho = 12;

const requestTexts = (request: Pick<ProviderRequest, "messages">): string[] => {
  const texts: string[] = [];
  const add = (text: string | null | undefined): void => {
    if (text && text.length >= minEcho) texts.push(text);
  };
  for (const message of request.messages) {
    if (typeof message.content === "string") add(message.content);
    else if (Array.isArray(message.content)) {
      for (const part of message.content) if (part.type === "text") add(part.text);
    }
    if (message.role === "assistant") for (const call of message.toolCalls ?? []) add(call.rawArguments);
  }
  return texts;
};

/**
 * Removes request text that a provider quoted back in its error ("'<prompt>' is not supported", a
 * pydantic 422 whose `input` is the request body). Both directions: a whole message quoted in the
 * error, and any part of a message the error quotes.
 */
export const scrubEchoedText = (detail: string, request: Pick<ProviderRequest, "messages">): string =>
  scrubEchoedTexts(detail, requestTexts(request));

/** `scrubEchoedText` for any request's texts (an embedding call's inputs). */
export const scrubEchoedTexts = (detail: string, requestTexts: readonly string[]): string => {
  const texts = requestTexts.filter((text) => text.length >= minEcho);
  if (texts.length === 0 || detail.length < minEcho) return detail;
  let scrubbed = detail;
  for (const text of texts) {
    if (scrubbed.includes(text)) scrubbed = scrubbed.split(text).join(REDACTED);
  }
  return scrubQuotedRuns(scrubbed, texts);
};

const REDACTED = "[request text]";

/** Lower case, every run of white space one space: an echo may change either. */
const normalize = (text: string): string => text.toLowerCase().replace(/\s+/g, " ");

/** A polynomial hash of `text[start, start + minEcho)` (mod 2^32). */
const BASE = 0x01000193;
/** BASE^(minEcho - 1) mod 2^32: what the first character of a window weighs. */
const LEAD = Array.from({ length: minEcho - 1 }).reduce<number>((power) => Math.imul(power, BASE) >>> 0, 1);

const windowHash = (text: string, start: number): number => {
  let hash = 0;
  for (let i = start; i < start + minEcho; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) >>> 0;
  return hash;
};

/**
 * Every run of at least `minEcho` characters of `detail` that also occurs in a request text, compared
 * in lower case with white space collapsed, replaced by "[request text]": what a provider quotes of
 * a message cut in the middle ("Patient Jane Roe, DOB 19...ince Tuesday"), lower-cased, re-wrapped or
 * around escapes. The detail's windows are hashed once and every text is read once, with a rolling
 * hash (no allocation per character): an error path with a long prompt stays cheap.
 */
const scrubQuotedRuns = (detail: string, texts: readonly string[]): string => {
  // The detail normalized as `normalize` does, and where each of its characters came from.
  let norm = "";
  const origin: number[] = [];
  for (let i = 0; i < detail.length; i++) {
    const char = detail[i]!;
    if (/\s/.test(char)) {
      if (norm.endsWith(" ")) continue;
      norm += " ";
    } else {
      const lower = char.toLowerCase();
      norm += lower.length === 1 ? lower : char;
    }
    origin.push(i);
  }
  const windows = norm.length - minEcho + 1;
  if (windows <= 0) return detail;
  const starts = new Map<number, number[]>();
  for (let start = 0; start < windows; start++) {
    const hash = windowHash(norm, start);
    const list = starts.get(hash);
    if (list) list.push(start);
    else starts.set(hash, [start]);
  }
  /** Windows of the detail found in a text, and the characters they cover. */
  const matched = new Uint8Array(windows);
  const covered = new Uint8Array(norm.length);
  let found = false;
  for (const raw of texts) {
    const text = normalize(raw);
    if (text.length < minEcho) continue;
    let hash = windowHash(text, 0);
    for (let j = 0; ; j++) {
      const candidates = starts.get(hash);
      if (candidates) {
        for (const start of candidates) {
          if (matched[start] === 1) continue;
          if (text.startsWith(norm.slice(start, start + minEcho), j)) {
            matched[start] = 1;
            covered.fill(1, start, start + minEcho);
            found = true;
          }
        }
      }
      if (j + minEcho >= text.length) break;
      const out = Math.imul(text.charCodeAt(j), LEAD);
      hash = (Math.imul((hash - out) >>> 0, BASE) + text.charCodeAt(j + minEcho)) >>> 0;
    }
  }
  if (!found) return detail;
  // The covered runs, back in the detail's own positions.
  let result = "";
  let from = 0;
  for (let i = 0; i < norm.length; ) {
    if (covered[i] === 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < norm.length && covered[end] !== 0) end++;
    // The spaces around a run stay the detail's: "invalid: [request text]".
    let a = i;
    let b = end;
    while (a < b && norm[a] === " ") a++;
    while (b > a && norm[b - 1] === " ") b--;
    if (a < b) {
      result += detail.slice(from, origin[a]) + REDACTED;
      from = origin[b - 1]! + 1;
    }
    i = end;
  }
  return result + detail.slice(from);
};

/** Classes where no response bytes were read: their SDK error (a socket error, a timer) holds none. */
const causeKeepingClasses = new Set<ProviderError["failureClass"]>(["connection", "timeout"]);

/**
 * The error as callers, attempts and events may see it: request text scrubbed from its detail, and
 * the adapter's `cause` dropped unless the failure read no response bytes (a connection failure, a
 * timeout). An SDK error of an HTTP or in-band failure carries the raw response body (where a
 * provider's echo of the prompt or key lives, e.g. OpenRouter's `metadata.raw`); everything useful in
 * it (status, code, sanitized message, request id) is already on the ProviderError.
 */
export const scrubProviderError = (error: ProviderError, request: ProviderRequest): ProviderError =>
  scrubProviderErrorOf(error, requestTexts(request));

/** `scrubProviderError` for any request's texts (an embedding call's inputs). */
export const scrubProviderErrorOf = (error: ProviderError, texts: readonly string[]): ProviderError => {
  const detail = scrubEchoedTexts(error.detail, texts);
  const causeIsSafe =
    error.cause === undefined || (causeKeepingClasses.has(error.failureClass) && error.status === undefined);
  if (detail === error.detail && causeIsSafe) return error;
  return error.withDetail(detail, causeIsSafe ? error.cause : undefined);
};
