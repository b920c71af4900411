import { describe, expect, it } from "vitest";
import {
  convertResponsesParams,
  primaryBody,
} from "../../../../src/compat/openai/responses/convert-responses-params.js";
import type { ResponsesParams } from "../../../../src/compat/openai/responses/responses-wire-types.js";

const convert = (params: ResponsesParams) =>
  convertResponsesParams(params, { primaryName: "openai", models: { "gpt-4.1": { anthropic: "claude-x" } } });

describe("convertResponsesParams", () => {
  it("turns instructions and a string input into system and user messages, with the model mapping", () => {
    const { request, stream, primaryOnly, issues, invalid } = convert({
      model: "gpt-4.1",
      instructions: "Be brief.",
      input: "Hi",
      max_output_tokens: 50,
      temperature: 0.2,
      top_p: 0.5,
      stream: true,
    });
    expect(request).toEqual({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      maxTokens: 50,
      temperature: 0.2,
      topP: 0.5,
      models: { openai: "gpt-4.1", anthropic: "claude-x" },
    });
    expect([stream, primaryOnly, issues, invalid]).toEqual([true, [], [], []]);
  });

  it("joins function calls to the assistant message they follow and names tool results", () => {
    const { request } = convert({
      input: [
        { role: "user", content: "Weather?" },
        {
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: "Checking.", annotations: [] }],
        },
        { type: "function_call", call_id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", call_id: "c2", name: "get_weather", arguments: "not json" },
        { type: "function_call_output", call_id: "c1", output: [{ type: "input_text", text: "Sunny" }] },
        { type: "function_call_output", call_id: "c2", output: "Rain" },
      ],
    });
    expect(request.messages).toEqual([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "Checking.",
        toolCalls: [
          { id: "c1", name: "get_weather", arguments: { city: "Paris" }, rawArguments: '{"city":"Paris"}' },
          { id: "c2", name: "get_weather", arguments: "not json", rawArguments: "not json" },
        ],
      },
      { role: "tool", toolCallId: "c1", toolName: "get_weather", content: "Sunny" },
      { role: "tool", toolCallId: "c2", toolName: "get_weather", content: "Rain" },
    ]);
    expect(request.models).toEqual({});
  });

  it("starts an assistant message for function calls that follow no assistant text", () => {
    const { request } = convert({
      input: [
        { role: "user", content: "Hi" },
        { type: "function_call", call_id: "c1", name: "f", arguments: "" },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: "assistant",
      content: null,
      toolCalls: [{ id: "c1", name: "f", arguments: {}, rawArguments: "" }],
    });
  });

  it("translates function tools, tool_choice forms and text formats", () => {
    const tool = {
      type: "function",
      name: "f",
      description: "d",
      parameters: { type: "object" },
      strict: true,
    };
    expect(convert({ input: "x", tools: [tool], tool_choice: "required" }).request).toMatchObject({
      tools: [{ name: "f", description: "d", parameters: { type: "object" } }],
      toolChoice: "required",
    });
    expect(
      convert({ input: "x", tools: [tool], tool_choice: { type: "function", name: "f" } }).request.toolChoice,
    ).toEqual({
      type: "tool",
      name: "f",
    });
    const allowed = convert({
      input: "x",
      tools: [tool, { ...tool, name: "g" }],
      tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "g" }] },
    });
    expect(allowed.request.tools?.map((t) => t.name)).toEqual(["g"]);
    expect(allowed.request.toolChoice).toBe("required");
    expect(convert({ input: "x", text: { format: { type: "json_object" } } }).request.responseFormat).toEqual(
      { type: "json" },
    );
    expect(
      convert({
        input: "x",
        text: {
          format: { type: "json_schema", name: "w", schema: { type: "object" }, strict: true },
          verbosity: "low",
        },
      }).request.responseFormat,
    ).toEqual({ type: "json_schema", name: "w", schema: { type: "object" }, strict: true });
    expect(
      convert({ input: "x", text: { format: { type: "text" } } }).request.responseFormat,
    ).toBeUndefined();
  });

  it("reports what only OpenAI has as primaryOnly, with paths and never the text", () => {
    const { primaryOnly, issues } = convert({
      input: [
        { role: "user", content: [{ type: "input_image", file_id: "file-1" }] },
        { type: "web_search_call", id: "ws_1", status: "completed" },
        { type: "brand_new_item" },
      ],
      tools: [{ type: "image_generation" }, { type: "computer_use_preview" }],
      tool_choice: { type: "web_search_preview" },
      previous_response_id: "resp_0abc",
      conversation: { id: "conv_1" },
      background: true,
      prompt: { id: "pmpt_1" },
    });
    expect(primaryOnly).toEqual([
      "previous_response_id: the conversation is stored at OpenAI",
      "conversation: the conversation is stored at OpenAI",
      "background: OpenAI runs the response in the background",
      "prompt: the prompt template is stored at OpenAI",
      'input[0].content[0]: "input_image" refers to a file stored at OpenAI (file_id)',
      'input[1]: "web_search_call" items are state or tools only OpenAI has',
      'input[2]: "brand_new_item" items have no translation for other providers',
      'tools[0]: "image_generation" is a tool OpenAI runs',
      'tools[1]: "computer_use_preview" is a tool OpenAI runs',
      'tool_choice: "web_search_preview" is a tool OpenAI runs',
    ]);
    expect(issues).toEqual([]);
  });

  it("reports parts with no translation as issues", () => {
    const { issues, primaryOnly } = convert({
      instructions: 42 as never,
      input: [
        { role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "wav" } }] },
        { role: "system", content: [{ type: "input_image", image_url: "https://x" }] },
        { role: "critic", content: "?" },
        { type: "custom_tool_call", call_id: "c", name: "g", input: "x" },
        { type: "function_call", name: "f", arguments: "{}" },
        { type: "function_call_output", output: "x" },
        "text",
      ],
      tools: [{ type: "custom", name: "grammar" }, { type: "function" }],
      tool_choice: { type: "custom", name: "grammar" },
      text: { format: { type: "grammar" } },
    });
    expect(issues).toEqual([
      "instructions: expected a string",
      'input[0].content[0]: "input_audio" parts are not supported under failover (text and input_image are)',
      'input[1].content[0]: only text parts are allowed here, got "input_image"',
      'input[2].role: unknown role "critic"',
      'input[3]: "custom_tool_call" items are not supported under failover',
      "input[4].call_id: required",
      "input[5].call_id: required",
      "input[6]: expected an item object",
      'tools[0]: "custom" tools are not supported under failover (function tools are)',
      "tools[1].name: required",
      'tool_choice: "custom" is not supported under failover',
      'text.format: "grammar" is not supported under failover',
    ]);
    expect(primaryOnly).toEqual([]);
  });

  it("refuses a previous_response_id the drop-in made for a fallback, and a non-object", () => {
    expect(convert({ input: "x", previous_response_id: "resp_failover_0123abcd" }).invalid).toEqual([
      "previous_response_id: this response was answered by a fallback provider during a failover and is stored nowhere; send the conversation as input items instead",
    ]);
    expect(convert("hi" as never).invalid).toEqual(["params: expected an object"]);
    expect(convert({ model: "", input: "x" }).invalid).toEqual(["model: expected a model name"]);
  });
});

describe("primaryBody", () => {
  it("is the app's params without stream, the same object graph when nothing is ours", () => {
    const input = [{ role: "user", content: "Hi" }];
    const body = primaryBody({ model: "m", input, stream: true, store: false });
    expect(body).toEqual({ model: "m", input, store: false });
    expect(body.input).toBe(input);
  });

  it("drops only the ids the drop-in made", () => {
    const body = primaryBody({
      input: [
        { type: "message", id: "msg_failover_0a1b", role: "assistant", content: [] },
        { type: "function_call", id: "fc_failover_0a1b", call_id: "toolu_1", name: "f", arguments: "{}" },
        { type: "function_call", id: "fc_0a1b2c", call_id: "call_1", name: "f", arguments: "{}" },
      ],
    });
    expect(body.input).toEqual([
      { type: "message", role: "assistant", content: [] },
      { type: "function_call", call_id: "toolu_1", name: "f", arguments: "{}" },
      { type: "function_call", id: "fc_0a1b2c", call_id: "call_1", name: "f", arguments: "{}" },
    ]);
  });
});
