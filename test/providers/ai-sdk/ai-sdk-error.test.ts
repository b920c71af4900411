import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { APICallError, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { createProviderStreamError } from "@ai-sdk/provider-utils";
import { describe, expect, it } from "vitest";
import { aiSdk } from "../../../src/index.js";
import { convertAiSdkError } from "../../../src/providers/ai-sdk/ai-sdk-error.js";
import {
  convertAiSdkUsage,
  readAiSdkFinishReason,
} from "../../../src/providers/ai-sdk/convert-ai-sdk-result-parts.js";
import { attempt, caught, request } from "./helpers.js";

const context = { provider: "p", model: "m" };

describe("readAiSdkFinishReason", () => {
  it.each([
    ["v4", { unified: "stop", raw: "STOP" }, { unified: "stop", raw: "STOP", interrupted: false }],
    [
      "v4",
      { unified: "interrupted", raw: undefined },
      { unified: "interrupted", raw: undefined, interrupted: true },
    ],
    ["v4", { unified: "other", raw: undefined }, { unified: "other", raw: undefined, interrupted: false }],
    ["v3", { unified: "other", raw: undefined }, { unified: "other", raw: undefined, interrupted: true }],
    [
      "v3",
      { unified: "other", raw: "pause_turn" },
      { unified: "other", raw: "pause_turn", interrupted: false },
    ],
    ["v2", "tool-calls", { unified: "tool-calls", raw: undefined, interrupted: false }],
    ["v2", "unknown", { unified: "other", raw: undefined, interrupted: true }],
    ["v4", undefined, { unified: "other", raw: undefined, interrupted: true }],
  ])("%s %j", (version, value, expected) => {
    expect(readAiSdkFinishReason(value, version)).toEqual(expected);
  });
});

describe("convertAiSdkUsage", () => {
  it.each([
    [
      {
        inputTokens: { total: 10, noCache: 7, cacheRead: 3, cacheWrite: 0 },
        outputTokens: { total: 4, text: 4, reasoning: 0 },
      },
      { inputTokens: 10, outputTokens: 4, cachedInputTokens: 3, totalTokens: 14 },
    ],
    [
      { inputTokens: 10, outputTokens: 4, totalTokens: 15, cachedInputTokens: 2 },
      { inputTokens: 10, outputTokens: 4, cachedInputTokens: 2, totalTokens: 15 },
    ],
    [
      undefined,
      {
        inputTokens: undefined,
        outputTokens: undefined,
        cachedInputTokens: undefined,
        totalTokens: undefined,
      },
    ],
  ])("%j", (usage, expected) => {
    expect(convertAiSdkUsage(usage)).toEqual(expected);
  });
});

describe("convertAiSdkError", () => {
  it("keeps the APICallError out of the cause (its body and request may echo the prompt)", () => {
    const error = convertAiSdkError(
      new APICallError({
        message: "Prompt PROMPT-CANARY is too long",
        url: "https://api.example.com/v1/chat",
        requestBodyValues: { messages: [{ content: "PROMPT-CANARY" }] },
        statusCode: 400,
        responseHeaders: { "x-request-id": "req_1" },
        responseBody:
          '{"error":{"message":"Prompt PROMPT-CANARY is too long","code":"context_length_exceeded"}}',
        data: { error: { message: "Prompt PROMPT-CANARY is too long", code: "context_length_exceeded" } },
      }),
      context,
    );
    expect(error).toMatchObject({ failureClass: "context_length", status: 400, requestId: "req_1" });
    expect(error.cause).toBeUndefined();
  });

  it("classifies a provider stream error by its fields, with no HTTP status (it came inside a 200)", () => {
    const error = convertAiSdkError(
      createProviderStreamError({
        message: "Overloaded",
        type: "overloaded_error",
        statusCode: 529,
        isRetryable: true,
        data: {},
      }),
      context,
    );
    expect(error).toMatchObject({ failureClass: "overloaded", status: undefined });
  });

  it("an unsupported prompt is a bad request; a plain string an invalid response", () => {
    expect(
      convertAiSdkError(new UnsupportedFunctionalityError({ functionality: "audio" }), context).failureClass,
    ).toBe("bad_request");
    expect(convertAiSdkError("boom", context).failureClass).toBe("invalid_response");
  });

  it("a model with no API key configured is an auth failure (the provider is taken out, the call falls over)", async () => {
    const saved = process.env.GOOGLE_GENERATIVE_AI_API_KEY;
    delete process.env.GOOGLE_GENERATIVE_AI_API_KEY;
    try {
      const model = createGoogleGenerativeAI({ baseURL: "http://127.0.0.1:9/v1beta" })("gemini-2.5-flash");
      const error = await caught(() => aiSdk({ model }).generate(request("google"), attempt()));
      expect(error).toMatchObject({ name: "ProviderError", failureClass: "auth", provider: "google" });
    } finally {
      if (saved !== undefined) process.env.GOOGLE_GENERATIVE_AI_API_KEY = saved;
    }
  });

  it("a custom model's garbage is an invalid response, never a crash", async () => {
    const model = {
      specificationVersion: "v4" as const,
      provider: "custom",
      modelId: "m",
      supportedUrls: {},
      doGenerate: async () => ({ nope: true }) as never,
      doStream: async () => ({ stream: "not a stream" }) as never,
    };
    const adapter = aiSdk({ model });
    expect(await caught(() => adapter.generate(request("google", { model: "m" }), attempt()))).toMatchObject({
      failureClass: "invalid_response",
    });
    expect(await caught(() => adapter.stream(request("google", { model: "m" }), attempt()))).toMatchObject({
      failureClass: "invalid_response",
    });
  });
});
