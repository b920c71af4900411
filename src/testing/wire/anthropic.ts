import { randomUUID } from "node:crypto";
import { type ReplyContext, type ResolvedReply, randomId, splitText } from "../reply.js";
import { type StreamPlan, sseEvent } from "../sse.js";
import type { MockInBandErrorFault } from "../types.js";
import type { WireFormat } from "./types.js";

const PING = sseEvent("ping", { type: "ping" });

/** An Anthropic request id (`request-id` header, `request_id` in error bodies). */
export function anthropicRequestId(): string {
  return `req_011C${randomId(20)}`;
}

function usageOf(reply: ResolvedReply, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: Math.max(0, reply.inputTokens - reply.cachedInputTokens),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: reply.cachedInputTokens,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: "standard",
  };
}

function stopReasonOf(reply: ResolvedReply): string {
  return reply.finishReason ?? (reply.toolCalls.length > 0 ? "tool_use" : "end_turn");
}

const REFUSAL_DETAILS = { type: "refusal", category: null, explanation: null };

function message(
  reply: ResolvedReply,
  ctx: ReplyContext,
  content: unknown[],
  stopReason: string | null,
  outputTokens: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: ctx.id,
    type: "message",
    role: "assistant",
    model: ctx.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: stopReason === "refusal" ? REFUSAL_DETAILS : null,
    container: null,
    usage: usageOf(reply, outputTokens),
  };
  return reply.extra ? Object.assign(body, reply.extra) : body;
}

function contentBlocks(reply: ResolvedReply, text: string): unknown[] {
  const blocks: unknown[] = [];
  if (text !== "") blocks.push({ type: "text", text, citations: null });
  for (const call of reply.toolCalls) {
    blocks.push({
      type: "tool_use",
      id: call.id,
      name: call.name,
      input: call.input,
      caller: { type: "direct" },
    });
  }
  return blocks;
}

/**
 * The stream: `message_start` as head; each text / input-JSON delta is a unit, the first of each
 * block preceded by the previous block's `content_block_stop` and its own `content_block_start`
 * (plus the `ping` Anthropic sends after the first block start); the last `content_block_stop`,
 * `message_delta` and `message_stop` form the tail.
 */
function streamPlan(
  reply: ResolvedReply,
  ctx: ReplyContext,
  text: string,
  toolCalls: boolean,
  stopReason: string,
): StreamPlan {
  const head = sseEvent("message_start", {
    type: "message_start",
    message: message(reply, ctx, [], null, 1),
  });
  const units: string[] = [];
  let index = -1;
  let pending = "";
  const startBlock = (block: unknown) => {
    if (index >= 0) pending += sseEvent("content_block_stop", { type: "content_block_stop", index });
    index++;
    pending += sseEvent("content_block_start", { type: "content_block_start", index, content_block: block });
    if (index === 0) pending += PING;
  };
  const delta = (d: unknown) => {
    units.push(pending + sseEvent("content_block_delta", { type: "content_block_delta", index, delta: d }));
    pending = "";
  };
  const pieces = splitText(text, reply.chunkSize);
  if (pieces.length > 0) {
    startBlock({ type: "text", text: "", citations: null });
    for (const piece of pieces) delta({ type: "text_delta", text: piece });
  }
  if (toolCalls) {
    for (const call of reply.toolCalls) {
      startBlock({ type: "tool_use", id: call.id, name: call.name, input: {}, caller: { type: "direct" } });
      for (const piece of splitText(call.arguments, reply.chunkSize)) {
        delta({ type: "input_json_delta", partial_json: piece });
      }
    }
  }
  let tail = pending;
  if (index >= 0) tail += sseEvent("content_block_stop", { type: "content_block_stop", index });
  tail += sseEvent("message_delta", {
    type: "message_delta",
    delta: {
      stop_reason: stopReason,
      stop_sequence: null,
      stop_details: stopReason === "refusal" ? REFUSAL_DETAILS : null,
    },
    usage: usageOf(reply, reply.outputTokens),
  });
  tail += sseEvent("message_stop", { type: "message_stop" });
  return { head, units, tail };
}

function inBandError(fault: MockInBandErrorFault): unknown {
  const type = fault.errorType ?? "overloaded_error";
  const defaultMessage = type === "overloaded_error" ? "Overloaded" : "Internal server error";
  return {
    type: "error",
    error: { type, message: fault.message ?? defaultMessage },
    request_id: anthropicRequestId(),
  };
}

/** The Anthropic Messages wire format. */
export function createAnthropicWire(): WireFormat {
  return {
    keepAlive: PING,
    newId: () => `msg_01${randomId(22)}`,
    responseHeaders: () => ({
      "request-id": anthropicRequestId(),
      "anthropic-organization-id": randomUUID(),
    }),
    replyBody: (reply, ctx) =>
      message(reply, ctx, contentBlocks(reply, reply.text), stopReasonOf(reply), reply.outputTokens),
    replyStream: (reply, ctx) => streamPlan(reply, ctx, reply.text, true, stopReasonOf(reply)),
    filteredBody: (reply, ctx) => {
      const text = reply.text.slice(0, Math.ceil(reply.text.length / 2));
      return message(
        reply,
        ctx,
        text ? [{ type: "text", text, citations: null }] : [],
        "refusal",
        reply.outputTokens,
      );
    },
    filteredStream: (reply, ctx) => {
      const pieces = splitText(reply.text, reply.chunkSize);
      const text = pieces.slice(0, Math.max(1, Math.ceil(pieces.length / 2))).join("");
      return streamPlan(reply, ctx, text, false, "refusal");
    },
    inBandErrorFrames: (fault) => sseEvent("error", inBandError(fault)),
    inBandErrorBody: (fault) => inBandError(fault),
    malformedFrame: () =>
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel\n\n',
  };
}
