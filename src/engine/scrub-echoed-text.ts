import type { ProviderError } from "../errors/provider-error.js";
import type { ProviderRequest } from "../spec/request.js";

/** Fragments shorter than this are too common to call an echo ("user", "content", a model name). */
const minEcho = 12;

const requestTexts = (request: ProviderRequest): string[] => {
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
 * error, and a quoted fragment of the error that comes from a message.
 */
export const scrubEchoedText = (detail: string, request: ProviderRequest): string =>
  scrubEchoedTexts(detail, requestTexts(request));

/** `scrubEchoedText` for any request's texts (an embedding call's inputs). */
export const scrubEchoedTexts = (detail: string, requestTexts: readonly string[]): string => {
  const texts = requestTexts.filter((text) => text.length >= minEcho);
  if (texts.length === 0 || detail.length < minEcho) return detail;
  let scrubbed = detail;
  for (const text of texts) {
    if (scrubbed.includes(text)) scrubbed = scrubbed.split(text).join("[request text]");
  }
  // Fragments between quotes, colons and JSON punctuation that occur inside a message.
  for (const fragment of scrubbed.split(/["'`{}[\],:\n]/)) {
    const candidate = fragment.trim();
    if (
      candidate.length >= minEcho &&
      candidate !== "[request text]" &&
      texts.some((t) => t.includes(candidate))
    ) {
      scrubbed = scrubbed.split(candidate).join("[request text]");
    }
  }
  return scrubbed;
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
