import { describe, expect, it } from "vitest";
import { sniffImageMediaType } from "../../../src/internal/sniff-image-media-type.js";
import { convertAnthropicError } from "../../../src/providers/anthropic/anthropic-error.js";
import { convertAnthropicUsage } from "../../../src/providers/anthropic/convert-anthropic-usage.js";
import { convertToAnthropicImage } from "../../../src/providers/anthropic/convert-to-anthropic-image.js";
import { convertToAnthropicMessages } from "../../../src/providers/anthropic/convert-to-anthropic-messages.js";
import { mapAnthropicStopReason } from "../../../src/providers/anthropic/map-anthropic-stop-reason.js";

const context = { provider: "anthropic", model: "claude-test", signal: new AbortController().signal };

describe("convertToAnthropicMessages", () => {
  it("skips an empty assistant turn and keeps tool-only assistant turns", () => {
    const { messages } = convertToAnthropicMessages([
      { role: "user", content: "a" },
      { role: "assistant", content: "" },
      {
        role: "assistant",
        content: null,
        toolCalls: [{ id: "t1", name: "f", arguments: [1], rawArguments: "not json" }],
      },
    ]);
    expect(messages).toEqual([
      { role: "user", content: "a" },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "f", input: {} }] },
    ]);
  });

  it("keeps a user turn of several parts as blocks", () => {
    const { system, messages } = convertToAnthropicMessages([
      { role: "user", content: [{ type: "text", text: "only" }] },
    ]);
    expect(system).toEqual([]);
    expect(messages).toEqual([{ role: "user", content: "only" }]);
  });
});

describe("convertToAnthropicImage", () => {
  it("decodes a non-base64 data URL", () => {
    const svgish = convertToAnthropicImage({ type: "image", image: "data:image/gif,GIF89a%01" }, "m");
    expect(svgish).toEqual({
      type: "image",
      source: {
        type: "base64",
        media_type: "image/gif",
        data: Buffer.from("GIF89a\u0001").toString("base64"),
      },
    });
  });

  it.each([
    [[0xff, 0xd8, 0xff, 0xe0], "image/jpeg"],
    [[...Buffer.from("GIF89a")], "image/gif"],
    [[...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBPVP8 ")], "image/webp"],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], "image/png"],
    [[1, 2, 3], undefined],
  ])("sniffs %j as %s", (bytes, type) => {
    expect(sniffImageMediaType(Buffer.from(bytes).toString("base64"))).toBe(type);
  });

  it("prefers the part's mediaType", () => {
    const block = convertToAnthropicImage({ type: "image", image: "AAAA", mediaType: "image/webp" }, "m");
    expect(block.source).toEqual({ type: "base64", media_type: "image/webp", data: "AAAA" });
  });
});

describe("convertAnthropicUsage", () => {
  it("adds cache reads and writes to inputTokens", () => {
    expect(
      convertAnthropicUsage({
        input_tokens: 10,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 1000,
        output_tokens: 5,
      }),
    ).toEqual({ inputTokens: 1110, outputTokens: 5, cachedInputTokens: 1000, totalTokens: 1115 });
  });

  it("leaves unknown counts undefined", () => {
    expect(convertAnthropicUsage(undefined)).toEqual({
      inputTokens: undefined,
      outputTokens: undefined,
      cachedInputTokens: undefined,
      totalTokens: undefined,
    });
    expect(convertAnthropicUsage({ output_tokens: 3 })).toMatchObject({
      inputTokens: undefined,
      totalTokens: undefined,
    });
  });
});

describe("mapAnthropicStopReason", () => {
  it("keeps the raw value and maps unknown ones to other", () => {
    expect(mapAnthropicStopReason("end_turn")).toEqual({ unified: "stop", raw: "end_turn" });
    expect(mapAnthropicStopReason(null)).toEqual({ unified: "other", raw: undefined });
  });
});

describe("convertAnthropicError", () => {
  it("an APIError without status or type (odd in-band error) is a server_error", () => {
    const sdkLike = Object.assign(new Error("something broke"), {
      name: "APIError",
      status: undefined,
      error: {},
    });
    expect(convertAnthropicError(sdkLike, context)).toMatchObject({ failureClass: "server_error" });
  });
});
