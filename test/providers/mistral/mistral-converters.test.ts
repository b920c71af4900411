import { describe, expect, it } from "vitest";
import { convertMistralToolCall } from "../../../src/providers/mistral/convert-mistral-tool-call.js";
import { convertMistralUsage } from "../../../src/providers/mistral/convert-mistral-usage.js";
import { convertToMistralMessages } from "../../../src/providers/mistral/convert-to-mistral-messages.js";
import { mergeMistralExtra } from "../../../src/providers/mistral/convert-to-mistral-request.js";
import { extractMistralText } from "../../../src/providers/mistral/extract-mistral-text.js";
import { mapMistralFinishReason } from "../../../src/providers/mistral/map-mistral-finish-reason.js";
import { convertMistralError } from "../../../src/providers/mistral/mistral-error.js";
import { toMistralToolCallId } from "../../../src/providers/mistral/to-mistral-tool-call-id.js";

const context = { provider: "mistral", model: "m" };

describe("toMistralToolCallId", () => {
  it("keeps Mistral ids and maps others to a stable 9-alphanumeric id", () => {
    expect(toMistralToolCallId("aB3dE6gH9")).toBe("aB3dE6gH9");
    const mapped = toMistralToolCallId("call_abc123");
    expect(mapped).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(toMistralToolCallId("call_abc123")).toBe(mapped);
    expect(toMistralToolCallId("call_abc124")).not.toBe(mapped);
    expect(toMistralToolCallId("toolu_01ABC")).toMatch(/^[A-Za-z0-9]{9}$/);
  });
});

describe("convertMistralToolCall", () => {
  it("normalises object arguments to JSON text", () => {
    expect(
      convertMistralToolCall({ id: "abcdefghi", function: { name: "f", arguments: { a: [1] } } }),
    ).toEqual({
      id: "abcdefghi",
      name: "f",
      arguments: { a: [1] },
      rawArguments: '{"a":[1]}',
    });
  });

  it("parses string arguments, treats empty as {} and keeps invalid JSON as text", () => {
    expect(
      convertMistralToolCall({ id: "x", function: { name: "f", arguments: '{"a":1}' } }).arguments,
    ).toEqual({
      a: 1,
    });
    expect(convertMistralToolCall({ id: "x", function: { name: "f", arguments: "" } }).arguments).toEqual({});
    expect(convertMistralToolCall({ id: "x", function: { name: "f", arguments: "{oops" } }).arguments).toBe(
      "{oops",
    );
  });

  it("invents an id when the SDK filled in the string 'null'", () => {
    expect(convertMistralToolCall({ id: "null", function: { name: "f", arguments: "{}" } }).id).toMatch(
      /^[A-Za-z0-9]{9}$/,
    );
  });
});

describe("mapMistralFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["model_length", "length"],
    ["tool_calls", "tool-calls"],
    ["content_filter", "content-filter"],
    ["error", "other"],
    ["something_new", "other"],
  ])("%s → %s", (raw, unified) => {
    expect(mapMistralFinishReason(raw)).toEqual({ unified, raw });
  });

  it("keeps a missing reason undefined", () => {
    expect(mapMistralFinishReason(null)).toEqual({ unified: "other", raw: undefined });
  });
});

describe("convertMistralUsage", () => {
  it("reads cached tokens from prompt_tokens_details or num_cached_tokens", () => {
    expect(
      convertMistralUsage({
        promptTokens: 10,
        completionTokens: 2,
        totalTokens: 12,
        prompt_tokens_details: { cached_tokens: 8 },
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 2, cachedInputTokens: 8, totalTokens: 12 });
    expect(
      convertMistralUsage({ promptTokens: 10, completionTokens: 2, num_cached_tokens: 4 }),
    ).toMatchObject({
      cachedInputTokens: 4,
      totalTokens: 12,
    });
    expect(convertMistralUsage(undefined)).toEqual({
      inputTokens: undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: undefined,
    });
  });
});

describe("extractMistralText", () => {
  it("joins text chunks and skips thinking, reference and unknown chunks", () => {
    expect(extractMistralText("plain")).toBe("plain");
    expect(extractMistralText(null)).toBe("");
    expect(
      extractMistralText([
        { type: "thinking", thinking: [{ type: "text", text: "no" }] },
        { type: "text", text: "a" },
        { type: "reference", referenceIds: [1] },
        { type: "text", text: "b" },
      ]),
    ).toBe("ab");
  });
});

describe("convertToMistralMessages", () => {
  it("gives an assistant message with only tool calls empty content, and finds a tool's name", () => {
    const messages = convertToMistralMessages([
      { role: "assistant", toolCalls: [{ id: "abcdefghi", name: "f", arguments: {}, rawArguments: "{}" }] },
      { role: "tool", toolCallId: "abcdefghi", content: "ok" },
      { role: "tool", toolCallId: "unknown00", content: "ok" },
    ]);
    expect(messages[0]).toMatchObject({ role: "assistant", content: "" });
    expect(messages[1]).toEqual({ role: "tool", content: "ok", toolCallId: "abcdefghi", name: "f" });
    expect(messages[2]).toEqual({ role: "tool", content: "ok", toolCallId: "unknown00" });
  });

  it("sniffs JPEG, GIF and WEBP bytes", () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]);
    const gif = new TextEncoder().encode("GIF89a");
    const webp = new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ");
    const urls = convertToMistralMessages([
      {
        role: "user",
        content: [
          { type: "image", image: jpeg },
          { type: "image", image: gif },
          { type: "image", image: webp },
        ],
      },
    ])[0]!.content as { imageUrl: string }[];
    expect(urls.map((chunk) => chunk.imageUrl.split(";")[0])).toEqual([
      "data:image/jpeg",
      "data:image/gif",
      "data:image/webp",
    ]);
  });
});

describe("mergeMistralExtra", () => {
  it("renames wire names, deletes undefined values, rejects unknown keys and stream", () => {
    const known = new Set(["randomSeed", "safePrompt", "temperature"]);
    const body = { model: "m", messages: [], temperature: 1 };
    mergeMistralExtra(body, { random_seed: 3, safePrompt: true, temperature: undefined }, known);
    expect(body).toEqual({ model: "m", messages: [], randomSeed: 3, safePrompt: true });
    expect(() => mergeMistralExtra(body, { foo_bar: 1, stream: false }, known)).toThrow(/foo_bar, stream/);
  });

  it("merges everything when the SDK's keys could not be read", () => {
    const body = { model: "m", messages: [] };
    mergeMistralExtra(body, { anything: 1 }, undefined);
    expect(body).toMatchObject({ anything: 1 });
  });
});

/** The class of what `convertMistralError` returned (a `ProviderError` in every case below but one). */
const classOf = (error: unknown): string | undefined => (error as { failureClass?: string }).failureClass;

describe("convertMistralError (shapes the mock server does not produce)", () => {
  it("classifies by name, duck-typed", () => {
    const classOfError = (error: unknown) => classOf(convertMistralError(error, context));
    expect(classOfError({ name: "RequestTimeoutError", message: "Request timed out" })).toBe("timeout");
    expect(classOfError({ name: "RequestAbortedError" })).toBe("aborted");
    expect(classOfError({ name: "ConnectionError" })).toBe("connection");
    expect(classOfError({ name: "UnexpectedClientError", cause: { code: "ECONNRESET" } })).toBe("connection");
    expect(classOfError(new SyntaxError("Unexpected end of JSON input"))).toBe("invalid_response");
    expect(classOfError({ name: "ZodError", issues: [] })).toBe("invalid_response");
  });

  it("a request the SDK refused to send is the caller's InvalidRequestError, naming the field", () => {
    expect(
      convertMistralError(
        { name: "SDKValidationError", cause: { issues: [{ path: ["randomSeed"] }] } },
        context,
      ),
    ).toMatchObject({ name: "InvalidRequestError", message: expect.stringContaining("randomSeed") });
  });

  it("an aborted signal wins over whatever the SDK reported", () => {
    const controller = new AbortController();
    controller.abort(new Error("engine deadline"));
    const error = convertMistralError(
      { name: "UnexpectedClientError" },
      { ...context, signal: controller.signal },
    );
    expect(classOf(error)).toBe("aborted");
  });

  it("reads {error:{...}} bodies and x-request-id", () => {
    const error = convertMistralError(
      {
        name: "SDKError",
        statusCode: 429,
        body: JSON.stringify({ error: { message: "Too many", type: "rate_limited" } }),
        headers: new Headers({ "x-request-id": "r-1", "retry-after": "2" }),
      },
      context,
    );
    expect(error).toMatchObject({
      failureClass: "rate_limited",
      requestId: "r-1",
      retryAfterMs: 2000,
      status: 429,
    });
  });

  it("a 422 the SDK could not parse (ResponseValidationError with a status) is still an HTTP error", () => {
    const error = convertMistralError(
      { name: "ResponseValidationError", statusCode: 422, body: '{"detail":"nope"}', headers: new Headers() },
      context,
    );
    expect(error).toMatchObject({ failureClass: "bad_request", status: 422 });
  });
});
