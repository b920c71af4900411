/** `withFailover(new OpenAI()).responses.create` without a stream, through openai 6 and 7 against mock servers. */
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getFailoverClient, getFailoverInfo } from "../../../../src/compat/openai/index.js";
import { isAllProvidersFailedError } from "../../../../src/errors/all-providers-failed-error.js";
import { isInvalidRequestError } from "../../../../src/errors/invalid-request-error.js";
import { isProviderError } from "../../../../src/errors/provider-error.js";
import type { Attempt } from "../../../../src/spec/attempt.js";
import { faults } from "../../../../src/testing/index.js";
import { rejection } from "../../../helpers/rejections.js";
import { type DropInMocks, sdks, startDropInMocks, wrappedClient } from "../drop-in-fixture.js";

let mocks: DropInMocks;
beforeAll(async () => {
  mocks = await startDropInMocks();
});
afterAll(async () => {
  await mocks.close();
});
beforeEach(() => {
  mocks.reset();
});

const weatherTool = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  },
  strict: true,
};

const anthropicBody = () => mocks.anthropic.lastRequest?.body as Record<string, any>;
const openaiBody = () => mocks.openai.lastRequest?.body as Record<string, any>;

describe.each(sdks)("withFailover responses.create with openai $major", (sdk) => {
  describe("OpenAI healthy", () => {
    it("sends the app's own params to OpenAI and returns OpenAI's response untouched", async () => {
      const openai = wrappedClient(mocks, sdk);
      const params = {
        model: "gpt-4.1",
        instructions: "Be brief.",
        input: [{ role: "user" as const, content: "Hello?" }],
        reasoning: { effort: "low" as const },
        include: ["message.output_text.logprobs" as const],
        store: true,
        metadata: { team: "a" },
        max_output_tokens: 64,
        text: { verbosity: "low" as const },
      };
      const response = await openai.responses.create(params);

      expect(response).toMatchObject({
        id: expect.stringMatching(/^resp_[0-9a-f]{50}$/),
        object: "response",
        status: "completed",
        model: "gpt-4.1",
        output_text: "Hello from openai",
        usage: { output_tokens_details: { reasoning_tokens: 0 }, input_tokens_details: { cached_tokens: 0 } },
      });
      expect(response.output[0]).toMatchObject({
        id: expect.stringMatching(/^msg_[0-9a-f]{50}$/),
        type: "message",
      });
      expect(getFailoverInfo(response)).toMatchObject({
        provider: "openai",
        model: "gpt-4.1",
        failedOver: false,
      });
      expect(getFailoverInfo(response)?.primaryOnly).toBeUndefined();
      // The app's body, field for field; the engine streams under the hood (to see a black hole in time).
      expect(openaiBody()).toEqual({ ...params, stream: true });
      expect(mocks.openai.lastRequest?.path).toBe("/v1/responses");
      expect(mocks.anthropic.callCount).toBe(0);
    });

    it('sends exactly the app\'s params and returns the JSON body with transport: "json"', async () => {
      const openai = wrappedClient(mocks, sdk, { transport: "json" });
      const { data, request_id } = await openai.responses
        .create({ model: "gpt-4.1", input: "Hi" })
        .withResponse();
      expect(openaiBody()).toEqual({ model: "gpt-4.1", input: "Hi" });
      expect(data.output_text).toBe("Hello from openai");
      expect(request_id).toMatch(/^req_/);
    });

    it("keeps OpenAI's request id for withResponse() when the answer was streamed under the hood", async () => {
      const { response, request_id } = await wrappedClient(mocks, sdk)
        .responses.create({ model: "gpt-4.1", input: "Hi" })
        .withResponse();
      expect(request_id).toMatch(/^req_/);
      expect(response.headers.get("x-ai-failover-provider")).toBe("openai");
    });

    it("takes the drop-in's own item ids off a fallback's output replayed to OpenAI, and only those", async () => {
      const openai = wrappedClient(mocks, sdk);
      mocks.openai.script(faults.serverError());
      const first = await openai.responses.create({ model: "gpt-4.1", input: "Hi" });
      expect(first.output[0]?.id).toMatch(/^msg_failover_/);

      await openai.responses.create({
        model: "gpt-4.1",
        input: [
          { role: "user", content: "Hi" },
          ...(first.output as OpenAI.Responses.ResponseInputItem[]),
          {
            type: "message",
            role: "assistant",
            id: "msg_0123abcd",
            content: [{ type: "output_text", text: "kept", annotations: [] }],
          } as never,
          { role: "user", content: "And now?" },
        ],
      });
      const input = openaiBody().input as Record<string, unknown>[];
      expect(input[1]).toEqual({
        type: "message",
        role: "assistant",
        status: "completed",
        content: first.output[0]!.type === "message" ? first.output[0]!.content : [],
      });
      expect(input[1]).not.toHaveProperty("id");
      expect(input[2]).toHaveProperty("id", "msg_0123abcd");
    });
  });

  describe("OpenAI failing", () => {
    it("falls over to Anthropic and answers with a genuine Response", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(
        faults.reply({ text: "Bonjour.", usage: { inputTokens: 20, outputTokens: 4, cachedInputTokens: 8 } }),
      );
      const openai = wrappedClient(mocks, sdk);
      const response = await openai.responses.create({
        model: "gpt-4.1",
        instructions: "Answer in French.",
        input: "Hello?",
        max_output_tokens: 100,
        temperature: 0.3,
        top_p: 0.9,
        metadata: { ticket: "42" },
        store: true,
      });

      expect(response).toEqual({
        id: expect.stringMatching(/^resp_failover_[0-9a-f]{32}$/),
        object: "response",
        created_at: expect.any(Number),
        status: "completed",
        background: false,
        completed_at: expect.any(Number),
        error: null,
        incomplete_details: null,
        instructions: "Answer in French.",
        max_output_tokens: 100,
        model: "claude-mapped",
        output: [
          {
            id: expect.stringMatching(/^msg_failover_/),
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", annotations: [], logprobs: [], text: "Bonjour." }],
          },
        ],
        output_text: "Bonjour.",
        parallel_tool_calls: true,
        previous_response_id: null,
        store: false,
        temperature: 0.3,
        text: { format: { type: "text" } },
        tool_choice: "auto",
        tools: [],
        top_p: 0.9,
        truncation: "disabled",
        // Anthropic reports cache reads, not reasoning tokens: that detail is absent, not a made-up 0.
        usage: {
          input_tokens: 20,
          input_tokens_details: { cached_tokens: 8 },
          output_tokens: 4,
          total_tokens: 24,
        },
        metadata: { ticket: "42" },
        access_programs: null,
      });
      expect(getFailoverInfo(response)).toMatchObject({
        provider: "anthropic",
        model: "claude-mapped",
        failedOver: true,
      });
      expect(getFailoverInfo(response)?.attempts.map((a: Attempt) => [a.provider, a.outcome])).toEqual([
        ["openai", "server_error"],
        ["anthropic", "ok"],
      ]);
      // (The Anthropic adapter never sends temperature or top_p: its API version refuses them.)
      expect(anthropicBody()).toMatchObject({
        model: "claude-mapped",
        system: "Answer in French.",
        messages: [{ role: "user", content: "Hello?" }],
        max_tokens: 100,
      });
    });

    it("translates message items, images, function tools, tool history and tool_choice, and returns tool calls as function_call items", async () => {
      mocks.openai.script(faults.rateLimited());
      mocks.anthropic.script(
        faults.reply({
          text: "Checking.",
          toolCalls: [{ id: "toolu_01", name: "get_weather", arguments: { city: "Oslo" } }],
        }),
      );
      const response = await wrappedClient(mocks, sdk).responses.create({
        model: "gpt-4.1",
        input: [
          { role: "developer", content: "Use tools." },
          {
            role: "user",
            content: [
              { type: "input_text", text: "Weather here?" },
              { type: "input_image", image_url: "https://example.com/city.png", detail: "low" },
            ],
          },
          { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
          { type: "function_call_output", call_id: "call_1", output: "Sunny" },
          { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "opaque" } as never,
          { role: "user", content: "And Oslo?" },
        ],
        tools: [weatherTool],
        tool_choice: { type: "function", name: "get_weather" },
      });

      expect(response.output.map((item) => item.type)).toEqual(["message", "function_call"]);
      expect(response.output[1]).toEqual({
        id: expect.stringMatching(/^fc_failover_/),
        type: "function_call",
        status: "completed",
        call_id: "toolu_01",
        name: "get_weather",
        arguments: '{"city":"Oslo"}',
      });
      expect(response.output_text).toBe("Checking.");
      const body = anthropicBody();
      expect(body.system).toBe("Use tools.");
      expect(body.tools).toEqual([
        { name: "get_weather", description: "Weather for a city", input_schema: weatherTool.parameters },
      ]);
      expect(body.tool_choice).toMatchObject({ type: "tool", name: "get_weather" });
      expect(body.messages).toMatchObject([
        {
          role: "user",
          content: [
            { type: "text", text: "Weather here?" },
            { type: "image", source: { type: "url", url: "https://example.com/city.png" } },
          ],
        },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } }],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_1", content: "Sunny" },
            { type: "text", text: "And Oslo?" },
          ],
        },
      ]);
      expect(JSON.stringify(body)).not.toContain("opaque");
    });

    it("asks fallbacks for text.format json_schema, and the SDK's parse() helper fails over too", async () => {
      mocks.openai.script(faults.serverError(502));
      mocks.anthropic.script(faults.reply({ json: { city: "Paris", sunny: true } }));
      const format = {
        type: "json_schema" as const,
        name: "weather",
        strict: true,
        schema: {
          type: "object",
          properties: { city: { type: "string" }, sunny: { type: "boolean" } },
          required: ["city", "sunny"],
          additionalProperties: false,
        },
      };
      const parsed = await wrappedClient(mocks, sdk).responses.parse({
        model: "gpt-4.1",
        input: "Weather?",
        text: { format },
      });
      expect(parsed.output_parsed).toEqual({ city: "Paris", sunny: true });
      expect(getFailoverInfo(parsed)?.provider).toBe("anthropic");
      expect(anthropicBody().output_config).toMatchObject({
        format: { type: "json_schema", schema: format.schema },
      });
    });

    it("reports a length limit as an incomplete response", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.reply({ text: "Long", finishReason: "max_tokens" }));
      const response = await wrappedClient(mocks, sdk).responses.create({
        model: "gpt-4.1",
        input: "Hi",
        max_output_tokens: 16,
      });
      expect(response).toMatchObject({
        status: "incomplete",
        incomplete_details: { reason: "max_output_tokens" },
        completed_at: null,
      });
      expect(response.output[0]).toMatchObject({ status: "incomplete" });
    });

    it("treats a failed or filtered response as a failure of its class", async () => {
      mocks.openai.script(faults.inBandError({ errorType: "server_error" }));
      const failed = await wrappedClient(mocks, sdk, { transport: "json" }).responses.create({
        model: "gpt-4.1",
        input: "Hi",
      });
      expect(getFailoverInfo(failed)?.attempts.map((a: Attempt) => a.outcome)).toEqual([
        "server_error",
        "ok",
      ]);

      mocks.openai.script(faults.contentFilterStream());
      const error = await rejection(
        wrappedClient(mocks, sdk).responses.create({ model: "gpt-4.1", input: "Hi" }),
      );
      expect(isProviderError(error)).toBe(true);
      expect(error.failureClass).toBe("content_filter");
      expect(mocks.anthropic.callCount).toBe(1);
    });

    it("classifies a response.failed rate limit as rate_limited and a quota error event as quota", async () => {
      // (Separate clients: a rate-limited provider is left to cool, a spent one disabled.)
      mocks.openai.script(faults.inBandError({ errorType: "rate_limit_exceeded" }));
      const limited = await wrappedClient(mocks, sdk).responses.create({ model: "gpt-4.1", input: "Hi" });
      mocks.openai.script(faults.inBandError({ errorType: "insufficient_quota" }));
      const spent = await wrappedClient(mocks, sdk).responses.create({ model: "gpt-4.1", input: "Hi" });
      expect(getFailoverInfo(limited)?.attempts[0]?.outcome).toBe("rate_limited");
      expect(getFailoverInfo(spent)?.attempts[0]?.outcome).toBe("quota");
    });
  });

  describe("requests only OpenAI can serve", () => {
    it.each([
      [
        "previous_response_id",
        { previous_response_id: "resp_0abc" },
        "previous_response_id: the conversation is stored at OpenAI",
      ],
      ["conversation", { conversation: "conv_0abc" }, "conversation: the conversation is stored at OpenAI"],
      ["background", { background: true }, "background: OpenAI runs the response in the background"],
      ["a stored prompt", { prompt: { id: "pmpt_0abc" } }, "prompt: the prompt template is stored at OpenAI"],
      ["web search", { tools: [{ type: "web_search" }] }, 'tools[0]: "web_search" is a tool OpenAI runs'],
      [
        "file search",
        { tools: [{ type: "file_search", vector_store_ids: ["vs_1"] }] },
        'tools[0]: "file_search" is a tool OpenAI runs',
      ],
      [
        "code interpreter",
        { tools: [{ type: "code_interpreter", container: { type: "auto" } }] },
        'tools[0]: "code_interpreter" is a tool OpenAI runs',
      ],
      [
        "MCP",
        { tools: [{ type: "mcp", server_label: "x", server_url: "https://x" }] },
        'tools[0]: "mcp" is a tool OpenAI runs',
      ],
      [
        "an item reference",
        { input: [{ type: "item_reference", id: "msg_0abc" }] },
        'input[0]: "item_reference" items are state or tools only OpenAI has',
      ],
      [
        "a file by id",
        { input: [{ role: "user", content: [{ type: "input_file", file_id: "file-1" }] }] },
        'input[0].content[0]: "input_file" refers to a file stored at OpenAI (file_id)',
      ],
    ])("sends a request with %s to OpenAI alone, and says why", async (_name, extra, reason) => {
      const openai = wrappedClient(mocks, sdk);
      const params = {
        model: "gpt-4.1",
        input: "Hi",
        ...extra,
      } as OpenAI.Responses.ResponseCreateParamsNonStreaming;
      const response = await openai.responses.create(params);
      expect(getFailoverInfo(response)).toMatchObject({
        provider: "openai",
        failedOver: false,
        primaryOnly: [reason],
      });
      const { stream: _stream, ...sent } = openaiBody();
      expect(sent).toEqual(params);

      mocks.openai.script(faults.serverError());
      const error = await rejection(openai.responses.create(params));
      expect(isAllProvidersFailedError(error)).toBe(true);
      expect(error.attempts.map((a: Attempt) => a.provider)).toEqual(["openai"]);
      expect(mocks.anthropic.callCount).toBe(0);
    });

    it("keeps a background request a plain JSON request, so OpenAI queues it and answers at once", async () => {
      await wrappedClient(mocks, sdk).responses.create({ model: "gpt-4.1", input: "Hi", background: true });
      expect(mocks.openai.lastRequest?.stream).toBe(false);
      expect(openaiBody()).toEqual({ model: "gpt-4.1", input: "Hi", background: true });
    });

    it('refuses them up front with stateful: "error", sending nothing', async () => {
      const openai = wrappedClient(mocks, sdk, { stateful: "error" });
      const error = await rejection(
        openai.responses.create({
          model: "gpt-4.1",
          input: "Hi",
          previous_response_id: "resp_0abc",
          tools: [{ type: "web_search" }],
        }),
      );
      expect(isInvalidRequestError(error)).toBe(true);
      expect(error.issues).toEqual([
        'previous_response_id: the conversation is stored at OpenAI; no other provider can serve it (stateful: "error")',
        'tools[0]: "web_search" is a tool OpenAI runs; no other provider can serve it (stateful: "error")',
      ]);
      expect(mocks.openai.callCount).toBe(0);
    });

    it("runs them through the engine on OpenAI's own breaker, and a fallback never takes one", async () => {
      const openai = wrappedClient(mocks, sdk, { breaker: { consecutiveFailures: 1 } });
      const ended: Attempt[] = [];
      const subscription = getFailoverClient(openai)!.onAttemptEnd(({ attempt }) => ended.push(attempt));
      mocks.openai.script(faults.serverError(), faults.serverError());
      // A stateless call opens OpenAI's breaker and falls over to Anthropic.
      await openai.responses.create({ model: "gpt-4.1", input: "Hi" });
      // A stateful call can only go to OpenAI: while its breaker is open it gets the one last-resort
      // probe of this break (which fails), and the next one fails fast, sending nothing.
      const stateful = { model: "gpt-4.1", input: "Hi", previous_response_id: "resp_0abc" } as const;
      await rejection(openai.responses.create(stateful));
      const fast = await rejection(openai.responses.create(stateful));
      subscription.dispose();
      expect(isAllProvidersFailedError(fast)).toBe(true);
      expect(fast.retryInMs).toBeGreaterThan(0);
      expect(ended.map((a) => [a.provider, a.outcome])).toEqual([
        ["openai", "server_error"],
        ["anthropic", "ok"],
        ["openai", "server_error"],
      ]);
      expect(mocks.openai.callCount).toBe(2);
      expect(mocks.anthropic.callCount).toBe(1);
      const health = getFailoverClient(openai)!.health();
      expect(health.filter((row) => row.provider === "openai")).toEqual([
        expect.objectContaining({ provider: "openai", state: "open" }),
      ]);
    });

    it.each([
      ["previous_response_id", { previous_response_id: "resp_0abc" }],
      ["a hosted tool", { tools: [{ type: "web_search" }] }],
      ["a stored prompt's variables", { prompt: { id: "pmpt_0abc", variables: { question: "" } } }],
    ])(
      "scrubs the request text OpenAI quotes in its error from a request with %s, as on the failover route",
      async (name, extra) => {
        const secret = "Patient Jane Roe, DOB 1961-04-02, chest pain since Tuesday";
        const params = {
          model: "gpt-4.1",
          instructions: "Answer as a triage nurse would, briefly.",
          input: [{ role: "user", content: [{ type: "input_text", text: secret }] }],
          ...extra,
        } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming;
        if (name === "a stored prompt's variables") {
          params.input = "Hi";
          params.instructions = null;
          (params.prompt as { variables: Record<string, string> }).variables.question = secret;
        }
        const openai = wrappedClient(mocks, sdk);
        const ended: Attempt[] = [];
        const subscription = getFailoverClient(openai)!.onAttemptEnd(({ attempt }) => ended.push(attempt));
        const echo = {
          error: {
            message: `upstream failed while processing: ${secret.toLowerCase()}`,
            type: "server_error",
          },
        };
        mocks.openai.script(faults.status(503, echo), faults.status(503, echo));
        const json = await rejection(openai.responses.create(params));
        const stream = await rejection(
          (async () => {
            for await (const _event of await openai.responses.create({ ...params, stream: true })) {
              // nothing arrives: OpenAI fails before its headers
            }
          })(),
        );
        subscription.dispose();
        expect(mocks.anthropic.callCount).toBe(0);
        for (const error of [json, stream]) {
          expect(isAllProvidersFailedError(error)).toBe(true);
          expect(error.message).toContain("[request text]");
        }
        const seen = JSON.stringify([json.message, stream.message, json.attempts, stream.attempts, ended]);
        expect(seen.toLowerCase()).not.toContain("jane roe");
        expect(seen.toLowerCase()).not.toContain("chest pain");
      },
    );

    it("refuses a previous_response_id a fallback made: it is stored nowhere", async () => {
      mocks.openai.script(faults.serverError());
      const openai = wrappedClient(mocks, sdk);
      const first = await openai.responses.create({ model: "gpt-4.1", input: "Hi" });
      const error = await rejection(
        openai.responses.create({ model: "gpt-4.1", input: "More", previous_response_id: first.id }),
      );
      expect(isInvalidRequestError(error)).toBe(true);
      expect(error.message).toContain("answered by a fallback provider");
      expect(mocks.openai.callCount).toBe(1);
    });
  });

  describe("requests no fallback can be sent", () => {
    const withFileData = {
      model: "gpt-4.1",
      input: [
        {
          role: "user" as const,
          content: [
            {
              type: "input_file" as const,
              filename: "a.pdf",
              file_data: "data:application/pdf;base64,JVBERi0=",
            },
          ],
        },
      ],
    };

    it("names the fields the app wrote in an engine's InvalidRequestError (max_output_tokens, top_p)", async () => {
      for (const [field, value] of [
        ["max_output_tokens", -1],
        ["top_p", 3],
      ] as const) {
        const error = await rejection(
          wrappedClient(mocks, sdk).responses.create({ model: "gpt-4.1", input: "hi", [field]: value }),
        );
        expect(isInvalidRequestError(error)).toBe(true);
        expect(error.issues).toEqual([expect.stringMatching(new RegExp(`^${field}: `))]);
      }
      expect(mocks.openai.callCount).toBe(0);
    });

    it("refuses them by default, listing every reason and sending nothing", async () => {
      const error = await rejection(
        wrappedClient(mocks, sdk).responses.create({
          ...withFileData,
          tools: [{ type: "custom", name: "grammar" }],
        }),
      );
      expect(isInvalidRequestError(error)).toBe(true);
      expect(error.issues).toEqual([
        'input[0].content[0]: "input_file" parts are not supported under failover (text and input_image are)',
        'tools[0]: "custom" tools are not supported under failover (function tools are)',
      ]);
      expect(mocks.openai.callCount).toBe(0);
    });

    it('sends them to OpenAI directly with unsupported: "primary-only"', async () => {
      const response = await wrappedClient(mocks, sdk, { unsupported: "primary-only" }).responses.create(
        withFileData,
      );
      expect(response.output_text).toBe("Hello from openai");
      expect(getFailoverInfo(response)).toBeUndefined();
      expect(openaiBody()).toEqual(withFileData);
    });
  });

  describe("errors, request options, pass-through", () => {
    it('throws the SDK\'s own error classes with errors: "openai"', async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.serverError());
      const error = await rejection(
        wrappedClient(mocks, sdk, { errors: "openai" }).responses.create({ model: "gpt-4.1", input: "Hi" }),
      );
      expect(error).toBeInstanceOf(sdk.OpenAI.InternalServerError);
      expect(isAllProvidersFailedError(error.cause)).toBe(true);
    });

    it("sends per-request headers to OpenAI only and honours the request's signal", async () => {
      mocks.openai.script(faults.serverError());
      const openai = wrappedClient(mocks, sdk);
      await openai.responses.create({ model: "gpt-4.1", input: "Hi" }, { headers: { "x-tenant": "t1" } });
      expect(mocks.openai.lastRequest?.headers["x-tenant"]).toBe("t1");
      expect(mocks.anthropic.lastRequest?.headers["x-tenant"]).toBeUndefined();

      mocks.openai.script(faults.blackHole());
      const controller = new AbortController();
      const pending = openai.responses.create(
        { model: "gpt-4.1", input: "Hi" },
        { signal: controller.signal },
      );
      // Abort once OpenAI holds the request (earlier, a request still being prepared may go out late).
      await vi.waitFor(() => expect(mocks.openai.inFlight).toBe(1));
      controller.abort(new Error("user left"));
      expect((await rejection(pending)).message).toBe("user left");
    });

    it("fails over on clones made with withOptions()", async () => {
      mocks.openai.script(faults.serverError());
      const clone = wrappedClient(mocks, sdk).withOptions({ timeout: 5_000 });
      const response = await clone.responses.create({ model: "gpt-4.1", input: "Hi" });
      expect(getFailoverInfo(response)?.provider).toBe("anthropic");
    });

    it("passes retrieve, cancel, delete and input items to OpenAI untouched", async () => {
      const openai = wrappedClient(mocks, sdk);
      const error = await rejection(openai.responses.retrieve("resp_0abc"));
      expect(error).toBeInstanceOf(sdk.OpenAI.APIError);
      expect(mocks.openai.lastRequest).toMatchObject({ method: "GET", path: "/v1/responses/resp_0abc" });
      await rejection(openai.responses.delete("resp_0abc"));
      expect(mocks.openai.lastRequest).toMatchObject({ method: "DELETE", path: "/v1/responses/resp_0abc" });
      await rejection(openai.responses.cancel("resp_0abc"));
      expect(mocks.openai.lastRequest).toMatchObject({
        method: "POST",
        path: "/v1/responses/resp_0abc/cancel",
      });
      await rejection(openai.responses.inputItems.list("resp_0abc"));
      expect(mocks.openai.lastRequest).toMatchObject({
        method: "GET",
        path: "/v1/responses/resp_0abc/input_items",
      });
      expect(mocks.anthropic.callCount).toBe(0);
    });
  });
});
