import { randomBytes, randomUUID } from "node:crypto";
import { type ReplyContext, type ResolvedReply, randomId, splitText } from "../reply.js";
import { SSE_DONE, SSE_KEEP_ALIVE, type StreamPlan, sseData } from "../sse.js";
import type { MockContentFilterStreamFault, MockInBandErrorFault } from "../types.js";
import type { WireFormat } from "./types.js";

type Category = NonNullable<MockContentFilterStreamFault["category"]>;

const SAFE = { filtered: false, severity: "safe" } as const;
const SYSTEM_FINGERPRINT = "fp_mock0001";

/** Azure's per-choice `content_filter_results`, with `filtered` set on one category if given. */
function contentFilterResults(filtered?: Category): Record<string, unknown> {
  const results: Record<string, unknown> = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
  if (filtered) results[filtered] = { filtered: true, severity: "high" };
  return results;
}

/** Azure's `prompt_filter_results` (the prompt passed every filter). */
function promptFilterResults(): unknown[] {
  return [
    {
      prompt_index: 0,
      content_filter_results: { ...contentFilterResults(), jailbreak: { filtered: false, detected: false } },
    },
  ];
}

function usageOf(reply: ResolvedReply): Record<string, unknown> {
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: reply.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/**
 * One token's logprob entry, as OpenAI sends it with `logprobs: true` (`top_logprobs` alternatives
 * when asked). Each streamed piece is one token here; the values are made up but stable, so a JSON
 * reply and the same reply streamed carry the same ones.
 */
function tokenLogprob(token: string, i: number, top: number): Record<string, unknown> {
  const entry = (text: string, k: number) => ({
    token: text,
    logprob: -Number(((i + 1) * 0.01 + k * 0.5).toFixed(4)),
    bytes: [...Buffer.from(text, "utf8")],
  });
  return {
    ...entry(token, 0),
    top_logprobs: Array.from({ length: top }, (_, k) => entry(k === 0 ? token : `${token}~${k}`, k)),
  };
}

/** The `logprobs` of a choice for these pieces (`content` or `refusal`), or null when not asked for. */
function logprobsOf(ctx: ReplyContext, pieces: string[], field: "content" | "refusal", offset = 0) {
  if (ctx.topLogprobs === undefined) return null;
  const tokens = pieces.map((piece, i) => tokenLogprob(piece, offset + i, ctx.topLogprobs!));
  return { content: field === "content" ? tokens : null, refusal: field === "refusal" ? tokens : null };
}

function defaultFinish(reply: ResolvedReply): string {
  return reply.finishReason ?? (reply.toolCalls.length > 0 ? "tool_calls" : "stop");
}

/** OpenAI's in-band error object (a data frame with `error`, as chat completions streams carry it). */
function inBandError(fault: MockInBandErrorFault): unknown {
  return {
    error: {
      message: fault.message ?? "The server had an error while processing your request. Sorry about that!",
      type: fault.errorType ?? "server_error",
      param: null,
      code: null,
    },
  };
}

/** Builds the OpenAI wire format; `azure` adds Azure's content-filter annotations and headers. */
export function createOpenAIWire(azure: boolean): WireFormat {
  const chunk = (ctx: ReplyContext, choices: unknown[], extra?: Record<string, unknown>) => {
    const body: Record<string, unknown> = {
      id: ctx.id,
      object: "chat.completion.chunk",
      created: ctx.created,
      model: ctx.model,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
    };
    if (!azure) body.service_tier = "default";
    if (ctx.includeUsage) body.usage = null;
    if (extra) Object.assign(body, extra);
    return sseData(body);
  };
  const choice = (
    delta: Record<string, unknown>,
    finish: string | null,
    filter?: Record<string, unknown>,
    logprobs: unknown = null,
  ) => {
    const c: Record<string, unknown> = { index: 0, delta, logprobs, finish_reason: finish };
    if (azure) c.content_filter_results = filter ?? {};
    return c;
  };

  /** Head (Azure annotation + role chunk) and one content unit per text piece. */
  const contentPlan = (reply: ResolvedReply, ctx: ReplyContext, textPieces: string[]) => {
    let head = "";
    if (azure) {
      head += sseData({
        choices: [],
        created: 0,
        id: "",
        model: "",
        object: "",
        prompt_filter_results: promptFilterResults(),
      });
    }
    const filterOk = azure ? contentFilterResults() : undefined;
    if (reply.refusal !== undefined) {
      // A refusal opens with `content: null, refusal: ""`, then streams in `delta.refusal`.
      head += chunk(ctx, [choice({ role: "assistant", content: null, refusal: "" }, null)], reply.extra);
      const pieces = splitText(reply.refusal, reply.chunkSize);
      const units = pieces.map((piece, i) =>
        chunk(ctx, [choice({ refusal: piece }, null, filterOk, logprobsOf(ctx, [piece], "refusal", i))]),
      );
      return { head, units };
    }
    // OpenAI opens a tool-call-only reply with `content: null`, a text reply with `content: ""`.
    const content = reply.text === "" && reply.toolCalls.length > 0 ? null : "";
    head += chunk(ctx, [choice({ role: "assistant", content, refusal: null }, null)], reply.extra);
    const units = textPieces.map((piece, i) =>
      chunk(ctx, [choice({ content: piece }, null, filterOk, logprobsOf(ctx, [piece], "content", i))]),
    );
    if (reply.annotations !== undefined)
      units.push(chunk(ctx, [choice({ annotations: reply.annotations }, null, filterOk)]));
    return { head, units };
  };

  return {
    keepAlive: SSE_KEEP_ALIVE,
    newId: () => `chatcmpl-${randomId(29)}`,
    responseHeaders: (): Record<string, string> =>
      azure
        ? { "x-request-id": randomUUID(), "apim-request-id": randomUUID(), "x-ms-region": "East US" }
        : {
            "x-request-id": `req_${randomBytes(16).toString("hex")}`,
            "openai-version": "2020-10-01",
            "openai-processing-ms": "1",
          },

    replyBody(reply, ctx) {
      const refused = reply.refusal !== undefined;
      const message: Record<string, unknown> = {
        role: "assistant",
        content: refused || (reply.text === "" && reply.toolCalls.length > 0) ? null : reply.text,
        refusal: reply.refusal ?? null,
        annotations: reply.annotations ?? [],
      };
      if (reply.toolCalls.length > 0) {
        message.tool_calls = reply.toolCalls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        }));
      }
      const first: Record<string, unknown> = {
        index: 0,
        message,
        logprobs: refused
          ? logprobsOf(ctx, splitText(reply.refusal!, reply.chunkSize), "refusal")
          : logprobsOf(ctx, splitText(reply.text, reply.chunkSize), "content"),
        finish_reason: defaultFinish(reply),
      };
      if (azure) first.content_filter_results = contentFilterResults();
      const body: Record<string, unknown> = {
        id: ctx.id,
        object: "chat.completion",
        created: ctx.created,
        model: ctx.model,
        choices: [first],
        usage: usageOf(reply),
        system_fingerprint: SYSTEM_FINGERPRINT,
      };
      if (azure) body.prompt_filter_results = promptFilterResults();
      else body.service_tier = "default";
      return reply.extra ? Object.assign(body, reply.extra) : body;
    },

    replyStream(reply, ctx) {
      const { head, units } = contentPlan(reply, ctx, splitText(reply.text, reply.chunkSize));
      reply.toolCalls.forEach((call, index) => {
        units.push(
          chunk(ctx, [
            choice(
              {
                tool_calls: [
                  { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
                ],
              },
              null,
            ),
          ]),
        );
        for (const piece of splitText(call.arguments, reply.chunkSize)) {
          units.push(chunk(ctx, [choice({ tool_calls: [{ index, function: { arguments: piece } }] }, null)]));
        }
      });
      let tail = chunk(ctx, [choice({}, defaultFinish(reply))]);
      if (ctx.includeUsage) tail += chunk(ctx, [], { usage: usageOf(reply) });
      return { head, units, tail: tail + SSE_DONE };
    },

    filteredBody(reply, ctx, fault) {
      const text = reply.text.slice(0, Math.ceil(reply.text.length / 2));
      const first: Record<string, unknown> = {
        index: 0,
        message: { role: "assistant", content: azure ? null : text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "content_filter",
      };
      if (azure) first.content_filter_results = contentFilterResults(fault.category ?? "violence");
      const body: Record<string, unknown> = {
        id: ctx.id,
        object: "chat.completion",
        created: ctx.created,
        model: ctx.model,
        choices: [first],
        usage: usageOf(reply),
        system_fingerprint: SYSTEM_FINGERPRINT,
      };
      if (azure) body.prompt_filter_results = promptFilterResults();
      return body;
    },

    filteredStream(reply, ctx, fault): StreamPlan {
      const pieces = splitText(reply.text, reply.chunkSize);
      const { head, units } = contentPlan(
        reply,
        ctx,
        pieces.slice(0, Math.max(1, Math.ceil(pieces.length / 2))),
      );
      const filter = azure ? contentFilterResults(fault.category ?? "violence") : undefined;
      let tail = chunk(ctx, [choice({}, "content_filter", filter)]);
      if (ctx.includeUsage) tail += chunk(ctx, [], { usage: usageOf(reply) });
      return { head, units, tail: tail + SSE_DONE };
    },

    inBandErrorFrames: (fault) => sseData(inBandError(fault)),
    inBandErrorBody: (fault) => inBandError(fault),

    malformedFrame(ctx) {
      return `data: {"id":"${ctx.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel\n\n`;
    },
  };
}
