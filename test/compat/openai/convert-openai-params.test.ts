import { describe, expect, it } from "vitest";
import { convertOpenAIParams } from "../../../src/compat/openai/convert-openai-params.js";
import type { OpenAIChatParams } from "../../../src/compat/openai/wire-types.js";

const convert = (params: Partial<OpenAIChatParams>, models?: Record<string, Record<string, string>>) =>
  convertOpenAIParams(
    { model: "gpt-4.1", messages: [{ role: "user", content: "hi" }], ...params } as OpenAIChatParams,
    {
      primaryName: "openai",
      models,
    },
  );

describe("convertOpenAIParams", () => {
  it("maps every message role", () => {
    const { request, issues } = convert({
      messages: [
        { role: "system", content: "sys" },
        {
          role: "developer",
          content: [
            { type: "text", text: "dev1" },
            { type: "text", text: "dev2" },
          ],
        },
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "done" }] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "ok" },
            { type: "refusal", refusal: "no" },
          ],
        },
      ],
    });
    expect(issues).toEqual([]);
    expect(request.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "system", content: "dev1\ndev2" },
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image", image: "data:image/png;base64,iVBORw0KGgo=" },
        ],
      },
      {
        role: "assistant",
        content: null,
        toolCalls: [{ id: "call_1", name: "f", arguments: { a: 1 }, rawArguments: '{"a":1}' }],
      },
      { role: "tool", toolCallId: "call_1", toolName: "f", content: "done" },
      { role: "assistant", content: "ok\nno" },
    ]);
  });

  it("maps sampling fields, stop and the max-tokens fields", () => {
    expect(convert({ temperature: 0.2, top_p: 0.9, max_tokens: 10, stop: "END" }).request).toMatchObject({
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 10,
      stop: ["END"],
    });
    expect(convert({ max_completion_tokens: 20, max_tokens: 10, stop: ["a", "b"] }).request).toMatchObject({
      maxTokens: 20,
      stop: ["a", "b"],
    });
    const nulls = convert({ temperature: null, top_p: null, max_tokens: null, stop: null }).request;
    expect(nulls).not.toHaveProperty("temperature");
    expect(nulls).not.toHaveProperty("maxTokens");
    expect(nulls).not.toHaveProperty("stop");
  });

  it("maps tools and every tool_choice form", () => {
    const tools = [
      {
        type: "function",
        function: { name: "a", description: "A", parameters: { type: "object", properties: {} } },
      },
      { type: "function", function: { name: "b" } },
    ];
    const { request } = convert({ tools, tool_choice: { type: "function", function: { name: "b" } } });
    expect(request.tools).toEqual([
      { name: "a", description: "A", parameters: { type: "object", properties: {} } },
      { name: "b", parameters: { type: "object", properties: {} } },
    ]);
    expect(request.toolChoice).toEqual({ type: "tool", name: "b" });
    expect(convert({ tools, tool_choice: "required" }).request.toolChoice).toBe("required");
    const allowed = convert({
      tools,
      tool_choice: {
        type: "allowed_tools",
        allowed_tools: { mode: "required", tools: [{ type: "function", function: { name: "a" } }] },
      },
    }).request;
    expect(allowed.tools?.map((t) => t.name)).toEqual(["a"]);
    expect(allowed.toolChoice).toBe("required");
  });

  it("passes response_format json_schema and json_object on as the neutral responseFormat", () => {
    const { request } = convert({
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "city",
          schema: {
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
            additionalProperties: false,
          },
        },
      },
    });
    expect(request.schema).toBeUndefined();
    expect(request.responseFormat).toEqual({
      type: "json_schema",
      name: "city",
      schema: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
        additionalProperties: false,
      },
    });
    expect(convert({ response_format: { type: "json_object" } }).request.responseFormat).toEqual({
      type: "json",
    });
  });

  it("maps the model per provider and gives the primary the app's own fields", () => {
    const { request, stream, includeUsage } = convert(
      {
        seed: 1,
        logprobs: true,
        max_tokens: 5,
        stream: true,
        stream_options: { include_usage: false, include_obfuscation: false },
      },
      { "gpt-4.1": { anthropic: "claude-x" } },
    );
    expect(stream).toBe(true);
    expect(includeUsage).toBe(false);
    expect(request.models).toEqual({ openai: "gpt-4.1", anthropic: "claude-x" });
    const primary = request.providerOptions?.openai;
    expect(primary).toMatchObject({
      seed: 1,
      logprobs: true,
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(primary).not.toHaveProperty("model");
    expect(primary).not.toHaveProperty("stream");
    // The app's own stream options reach OpenAI; the engine always needs the usage chunk (the drop-in
    // drops it again when the app did not ask for it).
    expect(primary?.stream_options).toEqual({ include_usage: true, include_obfuscation: false });
    // Present but undefined: cancels the adapter's own field when the body is serialized.
    expect(Object.hasOwn(primary!, "max_completion_tokens")).toBe(true);
    expect(JSON.stringify(primary)).not.toContain("max_completion_tokens");
  });

  it.each([
    [{ n: 3 }, /^n: only n = 1/],
    [{ functions: [{ name: "f" }] }, /^functions: legacy function calling/],
    [{ modalities: ["text", "audio"] }, /^modalities: audio output/],
    [{ tools: [{ type: "custom", custom: { name: "x" } }] }, /^tools\[0\]: only function tools/],
    [{ tool_choice: { type: "custom", custom: { name: "x" } } }, /^tool_choice: only none/],
    [
      { messages: [{ role: "function", name: "f", content: "x" }] },
      /^messages\[0\]\.role: legacy "function"/,
    ],
    [
      { messages: [{ role: "user", content: [{ type: "file", file: { file_id: "f" } }] }] },
      /"file" parts are not supported/,
    ],
    [{ messages: [{ role: "tool", content: "x" }] }, /^messages\[0\]\.tool_call_id: required/],
    [{ messages: "hi" }, /^messages: expected an array/],
    [{ model: "" }, /^model: required/],
  ])("reports %j as unsupported", (params, pattern) => {
    const { issues } = convert(params as Partial<OpenAIChatParams>);
    expect(issues).toEqual([expect.stringMatching(pattern)]);
  });

  it("never copies message text into an issue", () => {
    const { issues } = convert({
      messages: [{ role: "secret-role-text-that-is-long-and-private-xyz", content: "x" }],
    });
    expect(issues[0]).toBe('messages[0].role: unknown role "…"');
  });

  it("never copies text from a part's type into an issue, and still names a real type", () => {
    const { issues } = convert({
      messages: [
        {
          role: "user",
          content: [
            { type: "Patient Jane Roe, DOB 1980" as "text", text: "x" },
            { type: "input_audio" as "text", text: "x" },
          ],
        },
      ],
    });
    expect(issues.join("\n")).not.toContain("Jane Roe");
    expect(issues.join("\n")).toContain('"input_audio" parts are not supported');
  });
});
