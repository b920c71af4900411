import { randomBytes, randomUUID } from "node:crypto";
import { type ReplyContext, type ResolvedReply, splitText } from "../reply.js";
import { SSE_KEEP_ALIVE, type StreamPlan } from "../sse.js";
import type { MockContentFilterStreamFault, MockInBandErrorFault } from "../types.js";
import type { WireFormat } from "./types.js";

/**
 * OpenAI's Responses API (`POST /v1/responses`), as the OpenAI and Azure mocks also speak it.
 *
 * Shapes follow what SDK projects recorded from the live API: every SSE frame carries an `event:`
 * line equal to its `type` and a `sequence_number` counting from 0; a text reply is a `message`
 * item (`msg_…`) with one `output_text` part; each tool call is a `function_call` item (`fc_…`,
 * with the `call_…` id the app answers with); the stream ends with `response.completed` (or
 * `response.incomplete`) carrying the whole response and its usage. There is no `[DONE]`.
 */

type Json = Record<string, unknown>;

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** An SSE frame as the Responses API writes it: `event:` then `data:`. */
function frame(type: string, fields: Json, seq: number): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: seq })}\n\n`;
}

function usageOf(reply: ResolvedReply): Json {
  return {
    input_tokens: reply.inputTokens,
    input_tokens_details: { cache_write_tokens: 0, cached_tokens: reply.cachedInputTokens },
    output_tokens: reply.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: reply.inputTokens + reply.outputTokens,
  };
}

/** How the reply ends: `finishReason` `length`/`max_output_tokens` or `content_filter` make it incomplete. */
function incompleteReason(reply: ResolvedReply): string | undefined {
  const reason = reply.finishReason;
  if (reason === "length" || reason === "max_output_tokens") return "max_output_tokens";
  if (reason === "content_filter") return "content_filter";
  return undefined;
}

/** The response object in a given state (the request's own fields are not echoed). */
function responseObject(ctx: ReplyContext, fields: Json): Json {
  return {
    id: ctx.id,
    object: "response",
    created_at: ctx.created,
    status: "in_progress",
    background: false,
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: ctx.model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: "auto",
    store: true,
    temperature: 1,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_logprobs: 0,
    top_p: 1,
    truncation: "disabled",
    usage: null,
    user: null,
    metadata: {},
    ...fields,
  };
}

const textPart = (text: string): Json => ({ type: "output_text", annotations: [], logprobs: [], text });

/** Output items of a finished reply, with the ids the stream used. */
interface ReplyItems {
  message: { id: string; text: string } | undefined;
  calls: { id: string; callId: string; name: string; arguments: string }[];
}

function itemsOf(reply: ResolvedReply): ReplyItems {
  return {
    message: reply.text === "" ? undefined : { id: `msg_${hex(25)}`, text: reply.text },
    calls: reply.toolCalls.map((call) => ({
      id: `fc_${hex(25)}`,
      callId: call.id,
      name: call.name,
      arguments: call.arguments,
    })),
  };
}

function messageItem(id: string, text: string, status: string): Json {
  return { id, type: "message", status, content: text === "" ? [] : [textPart(text)], role: "assistant" };
}

function callItem(call: ReplyItems["calls"][number], status: string, args: string): Json {
  return {
    id: call.id,
    type: "function_call",
    status,
    arguments: args,
    call_id: call.callId,
    name: call.name,
  };
}

function outputOf(items: ReplyItems, messageText?: string): Json[] {
  const out: Json[] = [];
  if (items.message) out.push(messageItem(items.message.id, messageText ?? items.message.text, "completed"));
  for (const call of items.calls) out.push(callItem(call, "completed", call.arguments));
  return out;
}

/** The terminal lifecycle fields: completed, or incomplete with its reason. */
function finalFields(reply: ResolvedReply, ctx: ReplyContext, output: Json[], reason?: string): Json {
  return {
    status: reason ? "incomplete" : "completed",
    completed_at: reason ? null : ctx.created,
    incomplete_details: reason ? { reason } : null,
    output,
    usage: usageOf(reply),
  };
}

/** The in-band error object a Responses stream sends (`event: error`), as recorded from the live API. */
function errorObject(fault: MockInBandErrorFault): Json {
  const type = fault.errorType ?? "server_error";
  return {
    type,
    code: type,
    message: fault.message ?? "The server had an error while processing your request. Sorry about that!",
    param: null,
  };
}

/** Builds the Responses wire format; `azure` only changes the response headers. */
export function createOpenAIResponsesWire(azure: boolean): WireFormat {
  // Sequence numbers after the head and after each unit, so an ending sent after a cut continues them.
  const sequenceAfter = new WeakMap<ReplyContext, number[]>();

  /**
   * The stream of a reply: `stopAt` cuts the text at that many pieces (content filter); the plan
   * ends with `response.completed`, or `response.incomplete` for a length / filtered reply.
   */
  const plan = (reply: ResolvedReply, ctx: ReplyContext, filtered?: boolean): StreamPlan => {
    let seq = 0;
    const items = itemsOf(reply);
    const inProgress = responseObject(ctx, {});
    let head = frame("response.created", { response: inProgress }, seq++);
    head += frame("response.in_progress", { response: inProgress }, seq++);
    const units: string[] = [];
    let pending = ""; // frames that precede the next content event
    let outputIndex = 0;
    let text = "";
    const pieces = splitText(reply.text, reply.chunkSize);
    const sent = filtered ? pieces.slice(0, Math.max(1, Math.ceil(pieces.length / 2))) : pieces;
    const message = items.message;
    if (message) {
      head += frame(
        "response.output_item.added",
        { output_index: 0, item: messageItem(message.id, "", "in_progress") },
        seq++,
      );
      head += frame(
        "response.content_part.added",
        { item_id: message.id, output_index: 0, content_index: 0, part: textPart("") },
        seq++,
      );
    }
    const after: number[] = [seq];
    for (const piece of message ? sent : []) {
      text += piece;
      units.push(
        frame(
          "response.output_text.delta",
          { item_id: message!.id, output_index: 0, content_index: 0, delta: piece, logprobs: [] },
          seq++,
        ),
      );
      after.push(seq);
    }
    const closeMessage = (): void => {
      if (!message) return;
      const fields = { item_id: message.id, output_index: 0, content_index: 0 };
      pending += frame("response.output_text.done", { ...fields, text, logprobs: [] }, seq++);
      pending += frame("response.content_part.done", { ...fields, part: textPart(text) }, seq++);
      pending += frame(
        "response.output_item.done",
        { output_index: 0, item: messageItem(message.id, text, filtered ? "incomplete" : "completed") },
        seq++,
      );
      outputIndex = 1;
    };
    closeMessage();
    if (!filtered) {
      for (const call of items.calls) {
        const index = outputIndex++;
        pending += frame(
          "response.output_item.added",
          { output_index: index, item: callItem(call, "in_progress", "") },
          seq++,
        );
        const argPieces = splitText(call.arguments, reply.chunkSize);
        if (argPieces.length === 0) {
          units.push(pending);
          pending = "";
          after.push(seq);
        }
        for (const piece of argPieces) {
          units.push(
            pending +
              frame(
                "response.function_call_arguments.delta",
                { item_id: call.id, output_index: index, delta: piece },
                seq++,
              ),
          );
          pending = "";
          after.push(seq);
        }
        pending += frame(
          "response.function_call_arguments.done",
          { item_id: call.id, output_index: index, name: call.name, arguments: call.arguments },
          seq++,
        );
        pending += frame(
          "response.output_item.done",
          { output_index: index, item: callItem(call, "completed", call.arguments) },
          seq++,
        );
      }
    }
    const reason = filtered ? "content_filter" : incompleteReason(reply);
    const output = filtered ? outputOf({ message, calls: [] }, text) : outputOf(items);
    if (filtered && message) (output[0] as Json).status = "incomplete";
    const final = responseObject(ctx, finalFields(reply, ctx, output, reason));
    const tail =
      pending + frame(reason ? "response.incomplete" : "response.completed", { response: final }, seq++);
    sequenceAfter.set(ctx, after);
    return { head, units, tail };
  };

  /** The sequence number the frame after `units` content units (and the head) takes. */
  const sequenceAt = (ctx: ReplyContext, units: number): number => {
    const after = sequenceAfter.get(ctx);
    if (!after || after.length === 0) return 2;
    return after[Math.min(units, after.length - 1)]!;
  };

  return {
    keepAlive: SSE_KEEP_ALIVE,
    newId: () => `resp_${hex(25)}`,
    responseHeaders: (): Record<string, string> =>
      azure
        ? { "x-request-id": randomUUID(), "apim-request-id": randomUUID(), "x-ms-region": "East US" }
        : {
            "x-request-id": `req_${hex(16)}`,
            "openai-version": "2020-10-01",
            "openai-processing-ms": "1",
          },

    replyBody(reply, ctx) {
      return responseObject(ctx, finalFields(reply, ctx, outputOf(itemsOf(reply)), incompleteReason(reply)));
    },

    replyStream: (reply, ctx) => plan(reply, ctx),

    filteredBody(reply, ctx) {
      const items = itemsOf(reply);
      const text = reply.text.slice(0, Math.ceil(reply.text.length / 2));
      const output = items.message ? [messageItem(items.message.id, text, "incomplete")] : [];
      return responseObject(ctx, finalFields(reply, ctx, output, "content_filter"));
    },

    filteredStream: (reply, ctx, _fault: MockContentFilterStreamFault) => plan(reply, ctx, true),

    inBandErrorFrames(fault, ctx) {
      const seq = sequenceAt(ctx, fault.afterEvents ?? 0);
      const error = errorObject(fault);
      const failed = responseObject(ctx, {
        status: "failed",
        error: { code: error.code, message: error.message },
      });
      return frame("error", { error }, seq) + frame("response.failed", { response: failed }, seq + 1);
    },

    // A 200 whose body is a failed response (what a background response reports when it fails).
    inBandErrorBody(fault, ctx) {
      const error = errorObject(fault);
      return responseObject(ctx, { status: "failed", error: { code: error.code, message: error.message } });
    },

    malformedFrame(ctx) {
      const seq = sequenceAt(ctx, Number.POSITIVE_INFINITY);
      return `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":${seq},"delta":"Hel\n\n`;
    },
  };
}
