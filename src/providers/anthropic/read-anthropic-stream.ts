import type { StreamPart } from "../../spec/stream.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { type SseBody, SseEventReader } from "../shared/read-sse-events.js";
import { replayResponse } from "../shared/replay-response.js";
import { convertAnthropicError } from "./anthropic-error.js";
import { convertAnthropicResponse } from "./convert-anthropic-response.js";
import { type AnthropicStreamContext, convertAnthropicStream } from "./convert-anthropic-stream.js";

/**
 * The parts of a streamed Messages API response, read from its body (see `convertAnthropicStream`)
 * rather than through the SDK's `Stream`: one wait per network read instead of a generator chain
 * per event, and a finished stream is read to its end instead of aborted on its way out.
 *
 * A 200 that is not an event stream: a JSON body (a proxy that ignored `stream: true`, or an
 * error object) is converted whole (see `convertAnthropicResponse`: an error object throws,
 * classed by its `type`) and replayed as parts; an HTML page (a captive portal, a proxy's page) is
 * an `invalid_response`, its body released and never copied.
 */
export const readAnthropicStream = async (
  response: Response,
  context: AnthropicStreamContext,
): Promise<AsyncIterable<StreamPart>> => {
  const contentType = response.headers.get("content-type") ?? "";
  if (response.body === null || /json/i.test(contentType)) return wholeResponseAsStream(response, context);
  if (/html/i.test(contentType)) {
    response.body.cancel().catch(() => {});
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "HTML page instead of an event stream",
    });
  }
  return convertAnthropicStream(new SseEventReader(response.body as SseBody), {
    ...context,
    requestId: response.headers.get("request-id"),
  });
};

const wholeResponseAsStream = async (
  response: Response,
  context: AnthropicStreamContext,
): Promise<AsyncIterable<StreamPart>> => {
  let body: unknown;
  try {
    body = response.body === null ? undefined : await response.json();
  } catch (error) {
    throw convertAnthropicError(error, context);
  }
  return replayResponse(convertAnthropicResponse(body, context));
};
