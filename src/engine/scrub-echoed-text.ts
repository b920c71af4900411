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
export const scrubEchoedText = (detail: string, request: ProviderRequest): string => {
  const texts = requestTexts(request);
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

/**
 * The error as callers, attempts and events may see it: request text scrubbed from its detail, and
 * the SDK error dropped from `cause` for HTTP failures (SDK messages carry the raw response body,
 * where any echo lives). Network failures keep their cause: it holds no response text.
 */
export const scrubProviderError = (error: ProviderError, request: ProviderRequest): ProviderError => {
  const detail = scrubEchoedText(error.detail, request);
  const keepCause = error.status === undefined && detail === error.detail;
  if (keepCause) return error;
  return error.withDetail(detail, undefined);
};
