import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverClient, getFailoverInfo } from "../../../src/compat/openai/index.js";
import { isAllProvidersFailedError } from "../../../src/errors/all-providers-failed-error.js";
import {
  type InvalidRequestError,
  isInvalidRequestError,
} from "../../../src/errors/invalid-request-error.js";
import { isProviderError } from "../../../src/errors/provider-error.js";
import { faults } from "../../../src/testing/index.js";
import {
  type DropInMocks,
  openAIClient,
  sdks,
  startDropInMocks,
  userMessage,
  weatherTool,
  wrappedClient,
} from "./drop-in-fixture.js";

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

/** A completion without the fields that differ between two calls. */
const stable = (completion: OpenAI.ChatCompletion) => ({ ...completion, id: "<id>", created: 0 });

describe.each(sdks)("withFailover with openai $major", (sdk) => {
  it("runs through the installed openai $major SDK itself", async () => {
    expect(sdk.version.split(".")[0]).toBe(String(sdk.major));
    await wrappedClient(mocks, sdk).chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
    expect(mocks.openai.lastRequest?.headers["user-agent"]).toBe(`OpenAI/JS ${sdk.version}`);
  });

  describe("withFailover: OpenAI healthy", () => {
    it("sends the app's own body to OpenAI and returns OpenAI's answer", async () => {
      const openai = wrappedClient(mocks, sdk);
      const completion = await openai.chat.completions.create({
        model: "gpt-4.1",
        messages: [{ role: "developer", content: "Be brief.", name: "ops" }, ...userMessage()],
        seed: 7,
        user: "user-1",
        metadata: { team: "a" },
        max_tokens: 50,
        stop: "END",
      });

      expect(completion.object).toBe("chat.completion");
      expect(completion.choices[0]?.message.content).toBe("Hello from openai");
      expect(completion.id).toMatch(/^chatcmpl-/);
      expect(completion.system_fingerprint).toBe("fp_mock0001");
      expect(getFailoverInfo(completion)).toMatchObject({
        provider: "openai",
        model: "gpt-4.1",
        failedOver: false,
      });
      expect(mocks.anthropic.callCount).toBe(0);
      const body = mocks.openai.lastRequest?.body as Record<string, unknown>;
      expect(body).toMatchObject({
        model: "gpt-4.1",
        messages: [
          { role: "developer", content: "Be brief.", name: "ops" },
          { role: "user", content: "Hello?" },
        ],
        seed: 7,
        user: "user-1",
        metadata: { team: "a" },
        max_tokens: 50,
        stop: "END",
      });
      // The adapter's own max-tokens field is not added beside the app's.
      expect(body).not.toHaveProperty("max_completion_tokens");
    });

    it("returns OpenAI's untouched body when the engine calls it over JSON", async () => {
      const openai = wrappedClient(mocks, sdk, { transport: "json" });
      const wrapped = await openai.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
      const direct = await openAIClient(mocks, sdk).chat.completions.create({
        model: "gpt-4.1",
        messages: userMessage(),
      });

      expect(stable(wrapped)).toEqual(stable(direct));
      expect(wrapped._request_id).toMatch(/^req_/);
      expect(getFailoverInfo(wrapped)?.provider).toBe("openai");
      // The info is invisible to serialization and spreading.
      expect(Object.keys(wrapped)).toEqual(Object.keys(direct));
      expect(JSON.parse(JSON.stringify(wrapped))).toEqual(JSON.parse(JSON.stringify(wrapped)));
    });
  });

  describe("withFailover: OpenAI failing", () => {
    it.each([
      ["503", () => mocks.openai.script(faults.serverError())],
      ["HTML 502 page", () => mocks.openai.script(faults.html(502))],
      ["429 quota", () => mocks.openai.script(faults.quota())],
      ["black hole", () => mocks.openai.script(faults.blackHole())],
    ])("falls over to Anthropic on %s and answers as a ChatCompletion", async (_name, inject) => {
      inject();
      mocks.anthropic.script(
        faults.reply({ usage: { inputTokens: 20, outputTokens: 6, cachedInputTokens: 4 } }),
      );
      const openai = wrappedClient(mocks, sdk);
      const completion = await openai.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });

      expect(completion).toEqual({
        id: expect.stringMatching(/^chatcmpl-/),
        object: "chat.completion",
        created: expect.any(Number),
        model: "claude-mapped",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "Hello from anthropic", refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: {
          prompt_tokens: 20,
          completion_tokens: 6,
          total_tokens: 26,
          prompt_tokens_details: { cached_tokens: 4 },
        },
      });
      expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60);
      const info = getFailoverInfo(completion);
      expect(info).toMatchObject({ provider: "anthropic", model: "claude-mapped", failedOver: true });
      expect(info?.attempts.map((a) => [a.provider, a.outcome === "ok"])).toEqual([
        ["openai", false],
        ["anthropic", true],
      ]);
      // The model mapping reached Anthropic.
      expect(mocks.anthropic.lastRequest?.model).toBe("claude-mapped");
    });

    it("falls over when OpenAI refuses connections", async () => {
      await mocks.openai.down();
      try {
        const completion = await wrappedClient(mocks, sdk).chat.completions.create({
          model: "gpt-4.1",
          messages: userMessage(),
        });
        expect(getFailoverInfo(completion)?.provider).toBe("anthropic");
        expect(getFailoverInfo(completion)?.attempts[0]?.outcome).toBe("connection");
      } finally {
        await mocks.openai.up();
      }
    });

    it("uses the fallback's own model for an unmapped OpenAI model", async () => {
      mocks.openai.script(faults.serverError());
      const completion = await wrappedClient(mocks, sdk).chat.completions.create({
        model: "gpt-4o",
        messages: userMessage(),
      });
      expect(mocks.anthropic.lastRequest?.model).toBe("claude-default");
      expect(completion.model).toBe("claude-default");
    });

    it("translates tools, tool history and tool calls", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(
        faults.reply({ toolCalls: [{ id: "toolu_2", name: "get_weather", arguments: { city: "Oslo" } }] }),
      );
      const completion = await wrappedClient(mocks, sdk).chat.completions.create({
        model: "gpt-4.1",
        tools: [weatherTool],
        tool_choice: "auto",
        messages: [
          { role: "system", content: "You check weather." },
          { role: "user", content: [{ type: "text", text: "Paris, then Oslo?" }] },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "18C" },
        ],
      });

      const message = completion.choices[0]!.message;
      expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
      expect(message.content).toBeNull();
      expect(message.tool_calls).toEqual([
        { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
      ]);
      const body = mocks.anthropic.lastRequest?.body as Record<string, any>;
      expect(body.system).toEqual(expect.stringContaining("You check weather."));
      expect(body.tools).toEqual([
        expect.objectContaining({ name: "get_weather", input_schema: weatherTool.function.parameters }),
      ]);
      expect(JSON.stringify(body.messages)).toContain('"tool_use_id":"call_1"');
      expect(JSON.stringify(body.messages)).toContain('"input":{"city":"Paris"}');
    });

    it("asks fallbacks for response_format json_schema and sends it to OpenAI untouched", async () => {
      const responseFormat = {
        type: "json_schema" as const,
        json_schema: {
          name: "weather",
          strict: true,
          schema: {
            type: "object",
            properties: { city: { type: "string" }, celsius: { type: "number" } },
            required: ["city", "celsius"],
            additionalProperties: false,
          },
        },
      };
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.reply({ json: { city: "Oslo", celsius: 4 } }));
      const completion = await wrappedClient(mocks, sdk).chat.completions.create({
        model: "gpt-4.1",
        messages: userMessage("Weather in Oslo as JSON"),
        response_format: responseFormat,
      });

      expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ city: "Oslo", celsius: 4 });
      expect(mocks.openai.lastRequest?.body).toMatchObject({ response_format: responseFormat });
      const anthropicBody = mocks.anthropic.lastRequest?.body as Record<string, any>;
      expect(anthropicBody.output_config?.format).toMatchObject({
        type: "json_schema",
        schema: expect.objectContaining({ required: ["city", "celsius"] }),
      });
    });

    it("makes the SDK's parse() helper fail over too", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.reply({ json: { city: "Oslo" } }));
      const parsed = await wrappedClient(mocks, sdk).chat.completions.parse({
        model: "gpt-4.1",
        messages: userMessage(),
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "city",
            strict: true,
            schema: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
              additionalProperties: false,
            },
          },
        },
      });
      expect(parsed.choices[0]?.message.parsed).toEqual({ city: "Oslo" });
      expect(getFailoverInfo(parsed)?.provider).toBe("anthropic");
    });

    it("reports failovers through the engine's events", async () => {
      const openai = wrappedClient(mocks, sdk);
      const fallbacks: unknown[] = [];
      const subscription = getFailoverClient(openai)!.onFallback((event) => fallbacks.push(event));
      mocks.openai.script(faults.serverError());
      await openai.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
      subscription.dispose();
      expect(fallbacks).toEqual([
        { callId: expect.any(String), from: "openai", to: "anthropic", failureClass: "server_error" },
      ]);
    });
  });

  describe("withFailover: errors", () => {
    it("rejects with AllProvidersFailedError listing every attempt when no provider answers", async () => {
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.overloaded());
      const error = await wrappedClient(mocks, sdk)
        .chat.completions.create({ model: "gpt-4.1", messages: userMessage("secret prompt") })
        .catch((e: unknown) => e);

      expect(isAllProvidersFailedError(error)).toBe(true);
      if (!isAllProvidersFailedError(error)) return;
      expect(error.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ["openai", "server_error"],
        ["anthropic", "overloaded"],
      ]);
      expect(error.message).not.toContain("secret prompt");
      expect(error).not.toBeInstanceOf(sdk.OpenAI.APIError);
    });

    it("rejects a bad request at once, without falling over", async () => {
      mocks.openai.script(faults.badRequest());
      const error = await wrappedClient(mocks, sdk)
        .chat.completions.create({ model: "gpt-4.1", messages: userMessage() })
        .catch((e: unknown) => e);
      expect(isProviderError(error)).toBe(true);
      expect(error).toMatchObject({ provider: "openai", failureClass: "bad_request", status: 400 });
      expect(mocks.anthropic.callCount).toBe(0);
    });

    it('throws a request it refuses before sending as the SDK\'s BadRequestError with errors: "openai"', async () => {
      const openai = wrappedClient(mocks, sdk, { errors: "openai" });
      const refused = [
        await openai.chat.completions
          .create({ model: "gpt-4.1", messages: userMessage(), n: 2 })
          .catch((e: unknown) => e),
        await openai.chat.completions
          .create({ model: "gpt-4.1", messages: userMessage(), n: 2, stream: true })
          .catch((e: unknown) => e),
        await openai.responses
          .create({ model: "gpt-4.1", input: "Hi", max_output_tokens: -1 })
          .catch((e: unknown) => e),
        await openai.embeddings
          .create({ model: "text-embedding-3-small", input: "" })
          .catch((e: unknown) => e),
      ];
      for (const error of refused) {
        expect(error).toBeInstanceOf(sdk.OpenAI.BadRequestError);
        expect(error).toMatchObject({
          status: 400,
          type: "invalid_request_error",
          code: "ai_failover_invalid_request",
        });
        expect(isInvalidRequestError((error as Error).cause)).toBe(true);
        expect((error as Error).message).toContain(((error as Error).cause as Error).message);
      }
      expect(refused.map((error) => (error as { param: unknown }).param)).toEqual([
        "n",
        "n",
        "max_output_tokens",
        "input",
      ]);
      expect(mocks.openai.callCount + mocks.anthropic.callCount).toBe(0);
    });

    it('throws the SDK\'s own error classes with errors: "openai"', async () => {
      const openai = wrappedClient(mocks, sdk, { errors: "openai" });
      mocks.openai.script(faults.serverError());
      mocks.anthropic.script(faults.serverError());
      const allFailed = await openai.chat.completions
        .create({ model: "gpt-4.1", messages: userMessage() })
        .catch((e: unknown) => e);
      expect(allFailed).toBeInstanceOf(sdk.OpenAI.InternalServerError);
      expect(allFailed).toMatchObject({ status: 503, type: "server_error", code: "server_error" });
      expect(
        (allFailed as InstanceType<typeof OpenAI.APIError>).headers?.get("x-ai-failover-failure-class"),
      ).toBe("server_error");
      expect(isAllProvidersFailedError((allFailed as Error).cause)).toBe(true);

      mocks.openai.script(faults.badRequest());
      const bad = await openai.chat.completions
        .create({ model: "gpt-4.1", messages: userMessage() })
        .catch((e) => e);
      expect(bad).toBeInstanceOf(sdk.OpenAI.BadRequestError);
      expect(isProviderError((bad as Error).cause)).toBe(true);

      mocks.openai.script(faults.cut(2, { text: "abcdefghijklmnop", chunkSize: 4 }));
      const stream = await openai.chat.completions.create({
        model: "gpt-4.1",
        messages: userMessage(),
        stream: true,
      });
      const broken = await (async () => {
        for await (const _chunk of stream);
      })().catch((e: unknown) => e);
      expect(broken).toBeInstanceOf(sdk.OpenAI.APIError);
      expect(broken).toMatchObject({ status: undefined });

      // Last: both providers then cool for the stated second, and no call reaches them meanwhile.
      mocks.openai.script(faults.rateLimited());
      mocks.anthropic.script(faults.rateLimited());
      const limited = await openai.chat.completions
        .create({ model: "gpt-4.1", messages: userMessage() })
        .catch((e) => e);
      expect(limited).toBeInstanceOf(sdk.OpenAI.RateLimitError);
    });

    it("the app's abort is the SDK's APIUserAbortError with errors: \"openai\", the reason as cause; the reason itself otherwise", async () => {
      for (const errors of ["openai", undefined] as const) {
        mocks.openai.script(faults.slowHeaders(5_000));
        const own = new AbortController();
        const reason = new Error("user went away");
        const pending = wrappedClient(mocks, sdk, errors ? { errors } : {})
          .chat.completions.create({ model: "gpt-4.1", messages: userMessage() }, { signal: own.signal })
          .catch((e: unknown) => e);
        setTimeout(() => own.abort(reason), 20);
        const error = await pending;
        if (errors) {
          expect(error).toBeInstanceOf(sdk.OpenAI.APIUserAbortError);
          expect((error as Error).cause).toBe(reason);
        } else {
          expect(error).toBe(reason);
        }
        await expect.poll(() => mocks.openai.inFlight).toBe(0);
        expect(mocks.anthropic.callCount).toBe(0);
      }
    });

    it("names the fields the app wrote in an InvalidRequestError (max_tokens, top_p, tools[i].function.name)", async () => {
      const openai = wrappedClient(mocks, sdk);
      const issuesOf = async (params: Record<string, unknown>, stream = false) => {
        const error = await openai.chat.completions
          .create({
            model: "gpt-4.1",
            messages: userMessage(),
            ...params,
            ...(stream ? { stream: true } : {}),
          } as never)
          .catch((e: unknown) => e);
        expect(isInvalidRequestError(error)).toBe(true);
        return (error as InvalidRequestError).issues;
      };
      expect(await issuesOf({ max_completion_tokens: -5 })).toEqual([
        expect.stringMatching(/^max_completion_tokens: /),
      ]);
      expect(await issuesOf({ max_tokens: 0 }, true)).toEqual([expect.stringMatching(/^max_tokens: /)]);
      expect(await issuesOf({ top_p: 3 })).toEqual([expect.stringMatching(/^top_p: /)]);
      expect(
        await issuesOf({
          tools: [{ type: "function", function: { name: "bad name!", parameters: { type: "object" } } }],
        }),
      ).toEqual([expect.stringMatching(/^tools\[0\]\.function\.name: /)]);
      expect(mocks.openai.callCount).toBe(0);
    });

    it("rejects what fallbacks cannot serve with an InvalidRequestError, sending nothing", async () => {
      const error = await wrappedClient(mocks, sdk)
        .chat.completions.create({
          model: "gpt-4.1",
          n: 2,
          messages: [
            {
              role: "user",
              content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }],
            },
          ],
        })
        .catch((e: unknown) => e);

      expect(isInvalidRequestError(error)).toBe(true);
      if (!isInvalidRequestError(error)) return;
      expect(error.issues).toEqual([
        expect.stringMatching(/^n: only n = 1/),
        expect.stringMatching(/^messages\[0\]\.content\[0\]: "input_audio" parts are not supported/),
      ]);
      expect(mocks.openai.callCount + mocks.anthropic.callCount).toBe(0);
    });

    it('refuses a stream flag that is not a boolean (stream: "yes"), in chat and Responses, sending nothing', async () => {
      const openai = wrappedClient(mocks, sdk);
      const params = { stream: "yes" } as unknown as { stream: false };
      const chat = await openai.chat.completions
        .create({ model: "gpt-4.1", messages: userMessage(), ...params })
        .catch((e: unknown) => e);
      const responses = await openai.responses
        .create({ model: "gpt-4.1", input: "Hi", ...params })
        .catch((e: unknown) => e);
      for (const error of [chat, responses]) {
        expect(isInvalidRequestError(error) && error.issues).toEqual(["stream: expected true or false"]);
      }
      expect(mocks.openai.callCount + mocks.anthropic.callCount).toBe(0);
    });

    it('sends such requests to OpenAI directly with unsupported: "primary-only"', async () => {
      const openai = wrappedClient(mocks, sdk, { unsupported: "primary-only" });
      const completion = await openai.chat.completions.create({
        model: "gpt-4.1",
        n: 2,
        messages: userMessage(),
      });
      expect(completion.object).toBe("chat.completion");
      expect(mocks.openai.lastRequest?.body).toMatchObject({ n: 2 });
      expect(getFailoverInfo(completion)).toBeUndefined();
    });

    it("cancels the call when the request's signal aborts", async () => {
      mocks.openai.script(faults.blackHole());
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 50);
      const error = await wrappedClient(mocks, sdk, { deadlines: { headersMs: 5_000 } })
        .chat.completions.create({ model: "gpt-4.1", messages: userMessage() }, { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "AbortError" });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(mocks.anthropic.callCount).toBe(0);
    });
  });

  describe("withFailover: request options, withResponse, pass-through", () => {
    it("sends per-request headers to OpenAI only", async () => {
      mocks.openai.script(faults.serverError());
      await wrappedClient(mocks, sdk).chat.completions.create(
        { model: "gpt-4.1", messages: userMessage() },
        { headers: { "x-tenant": "acme" } },
      );
      expect(mocks.openai.lastRequest?.headers["x-tenant"]).toBe("acme");
      expect(mocks.anthropic.lastRequest?.headers["x-tenant"]).toBeUndefined();
    });

    it("keeps failover on clones made with withOptions()", async () => {
      const clone = wrappedClient(mocks, sdk).withOptions({ defaultHeaders: { "x-clone": "yes" } });
      await clone.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
      expect(mocks.openai.lastRequest?.headers["x-clone"]).toBe("yes");

      mocks.openai.script(faults.serverError());
      const completion = await clone.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
      expect(getFailoverInfo(completion)?.provider).toBe("anthropic");
      expect(mocks.anthropic.lastRequest?.headers["x-clone"]).toBeUndefined();
    });

    it("gives withResponse() and asResponse() a synthesized Response naming the provider", async () => {
      const openai = wrappedClient(mocks, sdk);
      mocks.openai.script(faults.serverError());
      const { data, response, request_id } = await openai.chat.completions
        .create({ model: "gpt-4.1", messages: userMessage() })
        .withResponse();
      expect(data.choices[0]?.message.content).toBe("Hello from anthropic");
      expect(response.status).toBe(200);
      expect(response.headers.get("x-ai-failover-provider")).toBe("anthropic");
      expect(response.headers.get("x-ai-failover-model")).toBe("claude-mapped");
      expect(response.headers.get("x-ai-failover-attempts")).toBe("2");
      expect(response.headers.get("x-ai-failover-synthesized")).toBe("true");
      expect(request_id).toBeNull();

      const raw = await openai.chat.completions
        .create({ model: "gpt-4.1", messages: userMessage() })
        .asResponse();
      expect(raw.headers.get("x-ai-failover-provider")).toBe("openai");
      expect(((await raw.json()) as OpenAI.ChatCompletion).choices[0]?.message.content).toBe(
        "Hello from openai",
      );
    });

    it("passes what it does not fail over to the client untouched", async () => {
      const openai = wrappedClient(mocks, sdk);
      expect(openai).toBeInstanceOf(sdk.OpenAI);
      expect(openai.baseURL).toBe(mocks.openai.baseURL);
      expect(openai.models.retrieve).toBe(openai.models.retrieve);
      // The models API is the SDK's own: answered by the OpenAI mock, no failover involved.
      const model = await openai.models.retrieve("gpt-4.1");
      expect(model).toMatchObject({ id: "gpt-4.1", object: "model" });
      expect(mocks.openai.lastRequest).toMatchObject({ method: "GET", path: "/v1/models/gpt-4.1" });
      // Other chat.completions methods are the SDK's own too.
      const retrieve = await openai.chat.completions.retrieve("chatcmpl-1").catch((e) => e);
      expect(retrieve).toBeInstanceOf(sdk.OpenAI.NotFoundError);
      expect(mocks.openai.lastRequest).toMatchObject({
        method: "GET",
        path: "/v1/chat/completions/chatcmpl-1",
      });
      expect(mocks.anthropic.callCount).toBe(0);
    });
  });
});
