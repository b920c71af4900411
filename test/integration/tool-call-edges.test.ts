/**
 * Tool calls at the edges of a reply.
 *
 * A reply that stops at the token limit in the middle of a tool call's arguments is an answer, not
 * a provider failure: OpenAI sends `finish_reason: "length"` and Anthropic `stop_reason:
 * "max_tokens"`, both documented. Both must come back as a success with the cut text as
 * `arguments` (docs/recipes/tools.md), one request each, no retry, no fall-over, nothing counted
 * against the breaker. Before the fix Anthropic's was `invalid_response`: each call was sent three
 * times, and two such calls opened the breaker of a healthy Anthropic. Invalid arguments under any
 * other stop reason, or a `tool_use` block never closed, stay a malformed reply that falls over.
 * Through the real SDKs against the mock.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anthropic, createClient, type FailoverClient, openai } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEYS, MODELS, PROMPT } from "./helpers/providers.js";

const request = {
  messages: [{ role: "user" as const, content: PROMPT }],
  maxTokens: 16,
  tools: [
    { name: "lookup_order", parameters: { type: "object", properties: { orderId: { type: "string" } } } },
  ],
};
const cut = {
  toolCalls: [{ name: "lookup_order", arguments: '{"orderId":"10' }],
  finishReason: "max_tokens",
};

let claude: MockProvider;
let gpt: MockProvider;
let client: FailoverClient;

beforeAll(async () => {
  claude = await startMockProvider({ kind: "anthropic", name: "anthropic" });
  gpt = await startMockProvider({ kind: "openai", name: "openai" });
});
afterAll(async () => {
  await Promise.all([claude.close(), gpt.close()]);
});
beforeEach(() => {
  claude.reset();
  gpt.reset();
  client = createClient({
    providers: [
      anthropic({
        client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: claude.baseURL }),
        model: MODELS.anthropic,
      }),
      openai({ client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: gpt.baseURL }), model: MODELS.openai }),
    ],
  });
});

describe("a tool call cut by the token limit", () => {
  it("Anthropic max_tokens: chat() and stream() answer with the cut text; one request each; the breaker stays closed", async () => {
    claude.setDefault(faults.reply(cut));
    for (let i = 0; i < 3; i++) {
      const result = await client.chat(request);
      expect(result).toMatchObject({
        provider: "anthropic",
        finishReason: { unified: "length", raw: "max_tokens" },
        toolCalls: [{ name: "lookup_order", arguments: '{"orderId":"10', rawArguments: '{"orderId":"10' }],
      });
    }
    const stream = client.stream(request);
    const kinds: string[] = [];
    for await (const event of stream) kinds.push(event.type);
    expect(kinds).toContain("tool-call");
    expect((await stream.result()).finishReason.unified).toBe("length");
    expect(claude.callCount).toBe(4);
    expect(gpt.callCount).toBe(0);
    expect(client.health().find((row) => row.provider === "anthropic")?.state).toBe("closed");
  });

  it("OpenAI length: the same answer", async () => {
    gpt.setDefault(faults.reply({ ...cut, finishReason: "length" }));
    const only = createClient({
      providers: [
        openai({
          client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: gpt.baseURL }),
          model: MODELS.openai,
        }),
      ],
    });
    const result = await only.chat(request);
    expect(result).toMatchObject({
      finishReason: { unified: "length" },
      toolCalls: [{ name: "lookup_order", arguments: '{"orderId":"10' }],
    });
    expect(gpt.callCount).toBe(1);
  });

  it("invalid arguments under tool_use are a malformed reply: the call falls over, no tool call from two providers", async () => {
    claude.script(faults.reply({ ...cut, finishReason: "tool_use" }));
    gpt.setDefault(faults.reply({ toolCalls: [{ name: "lookup_order", arguments: { orderId: "1042" } }] }));
    const result = await client.chat(request);
    expect(result.provider).toBe("openai");
    expect(result.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["anthropic", "invalid_response"],
      ["openai", "ok"],
    ]);
    expect(result.toolCalls).toMatchObject([{ name: "lookup_order", arguments: { orderId: "1042" } }]);
  });

  it("a tool call with no name is a malformed reply on every face: the call falls over", async () => {
    const nameless = faults.reply({ toolCalls: [{ name: "", arguments: { orderId: "1042" } }] });
    const gptFirst = createClient({
      providers: [
        openai({
          client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: gpt.baseURL }),
          model: MODELS.openai,
        }),
        anthropic({
          client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: claude.baseURL }),
          model: MODELS.anthropic,
        }),
      ],
    });
    claude.setDefault(
      faults.reply({ toolCalls: [{ name: "lookup_order", arguments: { orderId: "1042" } }] }),
    );
    for (const transport of ["stream", "json"] as const) {
      gpt.script(nameless);
      const result = await gptFirst.chat({ ...request, policy: { transport } });
      expect(
        result.attempts.map((a) => [a.provider, a.outcome]),
        transport,
      ).toEqual([
        ["openai", "invalid_response"],
        ["anthropic", "ok"],
      ]);
      expect(result.toolCalls[0]?.name).toBe("lookup_order");
    }
  });
});
