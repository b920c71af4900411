import { describe, expect, it } from "vitest";
import { replayResponse } from "../../../src/providers/shared/replay-response.js";
import type { ProviderResponse } from "../../../src/spec/result.js";

const collect = async (parts: AsyncIterable<unknown>): Promise<unknown[]> => {
  const out: unknown[] = [];
  for await (const part of parts) out.push(part);
  return out;
};

const response = (over: Partial<ProviderResponse>): ProviderResponse => ({
  text: "",
  toolCalls: [],
  finishReason: { unified: "stop", raw: "stop" },
  usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3, cachedInputTokens: undefined },
  model: "m",
  raw: { body: true },
  ...over,
});

describe("replayResponse", () => {
  it("gives the text, the refusal, each tool call and a finish carrying the body as it came", async () => {
    const toolCall = { id: "c1", name: "f", arguments: {}, rawArguments: "{}" };
    expect(
      await collect(replayResponse(response({ text: "hi", refusal: "no", toolCalls: [toolCall], id: "r1" }))),
    ).toEqual([
      { type: "text", text: "hi" },
      { type: "refusal", text: "no" },
      { type: "tool-call", index: 0, toolCall },
      {
        type: "finish",
        finishReason: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3, cachedInputTokens: undefined },
        model: "m",
        id: "r1",
        raw: { body: true },
      },
    ]);
  });

  it("gives no text part for an empty text, and no id when the response has none", async () => {
    const parts = await collect(replayResponse(response({})));
    expect(parts).toHaveLength(1);
    expect(parts[0]).not.toHaveProperty("id");
  });
});
