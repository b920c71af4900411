import { randomInt } from "node:crypto";
import { type ReplyContext, type ResolvedReply, randomId, splitText } from "../reply.js";
import { SSE_KEEP_ALIVE, type StreamPlan, sseData } from "../sse.js";
import type { MockContentFilterStreamFault, MockErrorFault, MockInBandErrorFault } from "../types.js";
import type { WireFormat } from "./types.js";

/**
 * Google's Gemini API (`generativelanguage.googleapis.com/v1beta`): `POST
 * /v1beta/models/{model}:generateContent` answers one JSON `GenerateContentResponse`;
 * `:streamGenerateContent?alt=sse` streams `data:` frames, each a whole `GenerateContentResponse`
 * holding the next piece. There is no role-only first frame, no `[DONE]`: the frame carrying a
 * `finishReason` is the end. Every frame repeats `usageMetadata`, `modelVersion` and `responseId`.
 * Function calls come whole, in one part, usually without an `id` (the client makes one up).
 * Errors are `google.rpc.Status` objects: `{ error: { code, message, status, details } }`.
 */

type Category = NonNullable<MockContentFilterStreamFault["category"]>;

const HARM_CATEGORY: Record<Category, string> = {
  hate: "HARM_CATEGORY_HATE_SPEECH",
  self_harm: "HARM_CATEGORY_DANGEROUS_CONTENT",
  sexual: "HARM_CATEGORY_SEXUALLY_EXPLICIT",
  violence: "HARM_CATEGORY_DANGEROUS_CONTENT",
};

const ALL_CATEGORIES = [
  "HARM_CATEGORY_HATE_SPEECH",
  "HARM_CATEGORY_DANGEROUS_CONTENT",
  "HARM_CATEGORY_HARASSMENT",
  "HARM_CATEGORY_SEXUALLY_EXPLICIT",
];

/** Safety ratings with one category blocked (or none). */
function safetyRatings(blocked?: string): unknown[] {
  return ALL_CATEGORIES.map((category) =>
    category === blocked
      ? { category, probability: "HIGH", blocked: true }
      : { category, probability: "NEGLIGIBLE" },
  );
}

/** The HTTP status each `google.rpc.Code` name maps to (as Google's HTTP gateway does). */
const HTTP_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** The usual google.rpc code of an HTTP status. */
const RPC_CODE: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

function usageOf(reply: ResolvedReply, final: boolean): Record<string, unknown> {
  const usage: Record<string, unknown> = { promptTokenCount: reply.inputTokens };
  if (final) usage.candidatesTokenCount = reply.outputTokens;
  usage.totalTokenCount = reply.inputTokens + (final ? reply.outputTokens : 0);
  if (reply.cachedInputTokens > 0) usage.cachedContentTokenCount = reply.cachedInputTokens;
  usage.promptTokensDetails = [{ modality: "TEXT", tokenCount: reply.inputTokens }];
  return usage;
}

function functionCallParts(reply: ResolvedReply): unknown[] {
  return reply.toolCalls.map((call) => ({
    functionCall: { ...(call.id !== "" ? { id: call.id } : {}), name: call.name, args: call.input },
  }));
}

function finishOf(reply: ResolvedReply): string {
  return reply.finishReason ?? "STOP";
}

/** One `GenerateContentResponse`. */
function response(
  ctx: ReplyContext,
  reply: ResolvedReply,
  candidate: Record<string, unknown> | undefined,
  final: boolean,
  extra?: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (candidate) body.candidates = [{ ...candidate, index: 0 }];
  body.usageMetadata = usageOf(reply, final);
  body.modelVersion = ctx.model;
  body.responseId = ctx.id;
  return extra ? Object.assign(body, extra) : body;
}

const content = (parts: unknown[]) => ({ parts, role: "model" });

/** `google.rpc.Status` as the HTTP error body (and as an in-band stream error). */
function rpcError(
  status: string,
  message: string,
  details?: unknown[],
  code = HTTP_STATUS[status] ?? 500,
): { error: Record<string, unknown> } {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

const HELP = {
  "@type": "type.googleapis.com/google.rpc.Help",
  links: [
    {
      description: "Learn more about Gemini API quotas",
      url: "https://ai.google.dev/gemini-api/docs/rate-limits",
    },
  ],
};

/** A Gemini error response for one of the mock's error kinds: status, body, headers. */
export function googleErrorResponse(
  fault: MockErrorFault,
  model: string,
): { status: number; body: unknown; headers: Record<string, string> } {
  const seconds = fault.resetSeconds ?? 1;
  // An explicit status picks the google.rpc code that goes with it (a 404 is NOT_FOUND), unless
  // the fault names its code.
  const make = (rpc: string, message: string, details?: unknown[]) => {
    const named = fault.code ?? (fault.status !== undefined ? (RPC_CODE[fault.status] ?? rpc) : rpc);
    return {
      status: fault.status ?? HTTP_STATUS[named] ?? 500,
      body: rpcError(named, fault.message ?? message, details, fault.status ?? HTTP_STATUS[named] ?? 500),
      headers: {},
    };
  };
  switch (fault.error) {
    case "rate_limited":
      // Gemini states the wait in the body (`RetryInfo`), not in a header.
      if (fault.resetHeaders === false)
        return make("RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
      return make(
        "RESOURCE_EXHAUSTED",
        `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_paid_tier_requests, limit: 1000, model: ${model}\nPlease retry in ${seconds}s.`,
        [
          {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            violations: [
              {
                quotaMetric: "generativelanguage.googleapis.com/generate_content_paid_tier_requests",
                quotaId: "GenerateRequestsPerMinutePerProjectPerModel",
                quotaDimensions: { location: "global", model },
                quotaValue: "1000",
              },
            ],
          },
          HELP,
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${seconds}s` },
        ],
      );
    case "quota":
      // A spent quota: no RetryInfo (it resets at the end of the day or when billing is fixed).
      return make(
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
        [HELP],
      );
    case "server_error": {
      const code = fault.status ?? 503;
      if (code === 500)
        return make(
          "INTERNAL",
          "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
        );
      if (code === 504) return make("DEADLINE_EXCEEDED", "Deadline expired before operation could complete.");
      return make("UNAVAILABLE", "The service is currently unavailable.");
    }
    case "overloaded":
      return make("UNAVAILABLE", "The model is overloaded. Please try again later.");
    case "auth":
      if (fault.status === 403)
        return make(
          "PERMISSION_DENIED",
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        );
      if (fault.status === 401)
        return make(
          "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        );
      // Gemini answers a wrong API key with 400, not 401.
      return make("INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "API_KEY_INVALID",
          domain: "googleapis.com",
          metadata: { service: "generativelanguage.googleapis.com" },
        },
      ]);
    case "context_length":
      return make(
        "INVALID_ARGUMENT",
        `The input token count (${fault.promptTokens ?? 210000}) exceeds the maximum number of tokens allowed (${fault.maxTokens ?? 200000}).`,
      );
    case "content_filter":
      // A blocked prompt is no HTTP error on Gemini: HTTP 200, no candidates, `promptFeedback`.
      return {
        status: fault.status ?? 200,
        body: {
          promptFeedback: {
            blockReason: fault.code ?? "SAFETY",
            safetyRatings: safetyRatings("HARM_CATEGORY_HATE_SPEECH"),
          },
          usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
          modelVersion: model,
          responseId: newGoogleId(),
        },
        headers: {},
      };
    case "not_found":
      return make(
        "NOT_FOUND",
        `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      );
    default:
      return make("INVALID_ARGUMENT", "Request contains an invalid argument.");
  }
}

/** A Gemini response id (23 characters, base64url-like). */
export function newGoogleId(): string {
  return randomId(23);
}

function inBandError(fault: MockInBandErrorFault): { error: Record<string, unknown> } {
  const status = fault.errorType ?? "INTERNAL";
  const message =
    status === "UNAVAILABLE"
      ? "The model is overloaded. Please try again later."
      : "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting";
  return rpcError(status, fault.message ?? message);
}

/** The Gemini `generateContent` / `streamGenerateContent?alt=sse` wire format. */
export function createGoogleWire(): WireFormat {
  // `extra` (e.g. grounding metadata) rides on the first frame.
  const plan = (
    reply: ResolvedReply,
    ctx: ReplyContext,
    pieces: string[],
    tools: boolean,
    finish: Record<string, unknown>,
  ): StreamPlan => {
    const parts: unknown[][] = pieces.map((text) => [{ text }]);
    if (tools) parts.push(...functionCallParts(reply).map((part) => [part]));
    const units = parts.map((unit, i) =>
      sseData(response(ctx, reply, { content: content(unit) }, false, i === 0 ? reply.extra : undefined)),
    );
    const tail = sseData(response(ctx, reply, { content: content([{ text: "" }]), ...finish }, true));
    return { head: "", units, tail };
  };
  const half = (reply: ResolvedReply) => {
    const pieces = splitText(reply.text, reply.chunkSize);
    return pieces.slice(0, Math.max(1, Math.ceil(pieces.length / 2)));
  };

  return {
    keepAlive: SSE_KEEP_ALIVE,
    newId: newGoogleId,
    responseHeaders: () => ({
      server: "scaffolding on HTTPServer2",
      "server-timing": `gfet4t7; dur=${randomInt(200, 900)}`,
      vary: "Origin, X-Origin, Referer",
    }),
    replyBody(reply, ctx) {
      const parts: unknown[] = reply.text !== "" ? [{ text: reply.text }] : [];
      parts.push(...functionCallParts(reply));
      return response(
        ctx,
        reply,
        { content: content(parts), finishReason: finishOf(reply) },
        true,
        reply.extra,
      );
    },
    replyStream: (reply, ctx) =>
      plan(reply, ctx, splitText(reply.text, reply.chunkSize), true, { finishReason: finishOf(reply) }),
    filteredBody(reply, ctx, fault) {
      const text = half(reply).join("");
      return response(
        ctx,
        reply,
        {
          content: content(text ? [{ text }] : []),
          finishReason: "SAFETY",
          safetyRatings: safetyRatings(HARM_CATEGORY[fault.category ?? "violence"]),
        },
        true,
      );
    },
    filteredStream: (reply, ctx, fault) =>
      plan(reply, ctx, half(reply), false, {
        finishReason: "SAFETY",
        safetyRatings: safetyRatings(HARM_CATEGORY[fault.category ?? "violence"]),
      }),
    inBandErrorFrames: (fault) => sseData(inBandError(fault)),
    inBandErrorBody: (fault) => inBandError(fault),
    malformedFrame: () => `data: {"candidates": [{"content": {"parts": [{"text": "Hel\n\n`,
  };
}
