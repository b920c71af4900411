import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";

/**
 * A whole response as the parts its stream would have given (text, refusal, tool calls, finish),
 * for a server that answered `stream: true` with one JSON body: proxies that ignore the flag, and
 * gateways that send error objects that way (those throw while converting, before any part).
 */
export const replayResponse = (result: ProviderResponse): AsyncIterable<StreamPart> => {
  const parts: StreamPart[] = [];
  if (result.text) parts.push({ type: "text", text: result.text });
  if (result.refusal !== undefined) parts.push({ type: "refusal", text: result.refusal });
  result.toolCalls.forEach((toolCall, index) => {
    parts.push({ type: "tool-call", index, toolCall });
  });
  parts.push({
    type: "finish",
    finishReason: result.finishReason,
    usage: result.usage,
    model: result.model,
    ...(result.id !== undefined ? { id: result.id } : {}),
    raw: result.raw,
  });
  return replay(parts);
};

async function* replay(parts: readonly StreamPart[]): AsyncGenerator<StreamPart, void, undefined> {
  yield* parts;
}
