import { describe, expect, it } from "vitest";
import { createClient } from "../../src/engine/create-client.js";
import { isInvalidRequestError } from "../../src/errors/invalid-request-error.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";

/** The issues of a request, from the client (nothing is sent). */
const issuesOf = async (request: unknown): Promise<string[]> => {
  const a = new ScriptedAdapter("openai");
  const client = createClient({ providers: [a, new ScriptedAdapter("anthropic")] });
  const error = await client.chat(request as never).catch((e: unknown) => e);
  expect(a.calls).toBe(0);
  return isInvalidRequestError(error) ? error.issues : [];
};

describe("messages written for another API name the native form", () => {
  it("an OpenAI image_url part", async () => {
    const issues = await issuesOf({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this?" },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
          ],
        },
      ],
    });
    expect(issues).toEqual([
      'request.messages[0].content[1]: an OpenAI-style image_url part; the native face takes { type: "image", image: url }',
    ]);
  });

  it("Responses input_image, an Anthropic image block, OpenAI tool_calls, the developer role", async () => {
    const issues = await issuesOf({
      messages: [
        { role: "developer", content: "be brief" },
        { role: "user", content: [{ type: "input_image", image_url: "https://example.com/a.png" }] },
        { role: "user", content: [{ type: "image", source: { type: "base64", data: "AAAA" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function" }] },
      ],
    });
    expect(issues).toEqual([
      'request.messages[0].role: the native face has no "developer" role; use { role: "system" }',
      'request.messages[1].content[0]: an OpenAI-style input_image part; the native face takes { type: "image", image: url }',
      'request.messages[2].content[0]: an Anthropic-style image block; the native face takes { type: "image", image: url or base64, mediaType }',
      "request.messages[3].tool_calls: OpenAI-style tool calls; the native face takes toolCalls: [{ id, name, arguments }] (as result.toolCalls gives them)",
    ]);
  });

  it("a snake_case key names its camelCase field", async () => {
    const issues = await issuesOf({
      messages: [{ role: "tool", tool_call_id: "call_1", content: "42" }],
    });
    expect(issues).toContain(
      'request.messages[0]: unknown option "tool_call_id" (did you mean "toolCallId"?)',
    );
  });
});

describe("per-call models and providerOptions must name a provider (no silent no-op); misspelt keys name the near miss", () => {
  it("names the unknown key and the near miss", async () => {
    const messages = [{ role: "user", content: "hi" }];
    expect(await issuesOf({ messages, models: { antropic: "claude-sonnet-4-6" } })).toEqual([
      'request.models.antropic: no provider named "antropic" (this client has "openai", "anthropic"; did you mean "anthropic"?)',
    ]);
    expect(await issuesOf({ messages, providerOptions: { "open-ai": { seed: 1 } } })).toEqual([
      'request.providerOptions["open-ai"]: no provider named "open-ai" (this client has "openai", "anthropic"; did you mean "openai"?)',
    ]);
    expect(await issuesOf({ messages, maxToken: 5 })).toEqual([
      'request: unknown option "maxToken" (did you mean "maxTokens"?)',
    ]);
    expect(await issuesOf({ messages, policy: { retyr: { maxRetries: 1 } } })).toEqual([
      'request.policy: unknown option "retyr" (did you mean "retry"?)',
    ]);
  });
});
