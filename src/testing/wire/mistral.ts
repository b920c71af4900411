import { randomBytes, randomUUID } from "node:crypto";
import { type ReplyContext, type ResolvedReply, splitText } from "../reply.js";
import { SSE_DONE, SSE_KEEP_ALIVE, type StreamPlan, sseData } from "../sse.js";
import type { WireFormat } from "./types.js";

function usageOf(reply: ResolvedReply): Record<string, unknown> {
  const usage: Record<string, unknown> = {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
  };
  if (reply.cachedInputTokens > 0) usage.prompt_tokens_details = { cached_tokens: reply.cachedInputTokens };
  return usage;
}

function finishOf(reply: ResolvedReply): string {
  return reply.finishReason ?? (reply.toolCalls.length > 0 ? "tool_calls" : "stop");
}

function toolCallsOf(reply: ResolvedReply): unknown[] {
  return reply.toolCalls.map((call, index) => ({
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: call.arguments },
    index,
  }));
}

/**
 * The Mistral chat wire format. Streams: a role chunk, content chunks, then a chunk with the
 * finish reason and `usage`, then `[DONE]`. A tool call arrives whole in one delta (a partial,
 * OpenAI-style tool-call delta makes the SDK's zod schema throw).
 */
export function createMistralWire(): WireFormat {
  const chunk = (
    ctx: ReplyContext,
    delta: unknown,
    finish: string | null,
    extra?: Record<string, unknown>,
  ) => {
    const body: Record<string, unknown> = {
      id: ctx.id,
      object: "chat.completion.chunk",
      created: ctx.created,
      model: ctx.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
    if (extra) Object.assign(body, extra);
    return sseData(body);
  };
  const plan = (
    reply: ResolvedReply,
    ctx: ReplyContext,
    pieces: string[],
    finish: string,
    tools: boolean,
  ) => {
    const head = chunk(ctx, { role: "assistant", content: "" }, null, reply.extra);
    const units = pieces.map((piece) => chunk(ctx, { content: piece }, null));
    if (tools) {
      toolCallsOf(reply).forEach((call) => {
        units.push(chunk(ctx, { content: "", tool_calls: [call] }, null));
      });
    }
    const tail = chunk(ctx, { content: "" }, finish, { usage: usageOf(reply) }) + SSE_DONE;
    return { head, units, tail };
  };
  const body = (reply: ResolvedReply, ctx: ReplyContext, text: string, finish: string, tools: boolean) => {
    const out: Record<string, unknown> = {
      id: ctx.id,
      object: "chat.completion",
      model: ctx.model,
      usage: usageOf(reply),
      created: ctx.created,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: text,
            tool_calls: tools && reply.toolCalls.length > 0 ? toolCallsOf(reply) : null,
            prefix: false,
          },
          finish_reason: finish,
        },
      ],
    };
    return reply.extra ? Object.assign(out, reply.extra) : out;
  };
  const half = (reply: ResolvedReply) => {
    const pieces = splitText(reply.text, reply.chunkSize);
    return pieces.slice(0, Math.max(1, Math.ceil(pieces.length / 2)));
  };

  return {
    keepAlive: SSE_KEEP_ALIVE,
    newId: () => randomBytes(16).toString("hex"),
    responseHeaders: () => ({ "mistral-correlation-id": randomUUID(), "x-kong-request-id": randomUUID() }),
    replyBody: (reply, ctx) => body(reply, ctx, reply.text, finishOf(reply), true),
    replyStream: (reply, ctx): StreamPlan =>
      plan(reply, ctx, splitText(reply.text, reply.chunkSize), finishOf(reply), true),
    filteredBody: (reply, ctx) => body(reply, ctx, half(reply).join(""), "content_filter", false),
    filteredStream: (reply, ctx) => plan(reply, ctx, half(reply), "content_filter", false),
    // Mistral reports a failure after HTTP 200 as `finish_reason: "error"`, then ends the stream.
    inBandErrorFrames: (_fault, ctx) => chunk(ctx, { content: "" }, "error") + SSE_DONE,
    inBandErrorBody: (fault) => ({
      object: "error",
      message: fault.message ?? "Service unavailable.",
      type: fault.errorType ?? "internal_server_error",
      param: null,
      code: "1000",
    }),
    malformedFrame: (ctx) =>
      `data: {"id":"${ctx.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel\n\n`,
  };
}
