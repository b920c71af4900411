/** Responses calls answered by Mistral and by an OpenAI-compatible Chat Completions server, and deadlines on Responses streams. */
import { Mistral } from "@mistralai/mistralai";
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverInfo, withFailover } from "../../../../src/compat/openai/index.js";
import { isStreamInterruptedError } from "../../../../src/errors/stream-interrupted-error.js";
import { mistral } from "../../../../src/providers/mistral/index.js";
import { openaiCompatible } from "../../../../src/providers/openai-compatible/index.js";
import { faults, type MockProviderGroup, startMockProviders } from "../../../../src/testing/index.js";
import { collect, sdks } from "../drop-in-fixture.js";

type Event = OpenAI.Responses.ResponseStreamEvent;

let mocks: MockProviderGroup<{ openai: object; mistral: object; vllm: { kind: "openai" } }>;
beforeAll(async () => {
  mocks = await startMockProviders({ openai: {}, mistral: {}, vllm: { kind: "openai" } });
});
afterAll(async () => {
  await mocks.close();
});
beforeEach(() => {
  mocks.reset();
});

describe.each(sdks)("Responses fallbacks with openai $major", (sdk) => {
  const wrapped = (options: Partial<Parameters<typeof withFailover>[1]> = {}) =>
    withFailover(new sdk.OpenAI({ apiKey: "sk-test-key-0001", baseURL: mocks.openai.baseURL }), {
      fallbacks: [
        mistral({
          client: new Mistral({ apiKey: "mistral-key-0001", serverURL: mocks.mistral.baseURL }),
          model: "mistral-large-latest",
        }),
        openaiCompatible({ name: "vllm", baseURL: mocks.vllm.baseURL, model: "qwen-3" }),
      ],
      deadlines: { headersMs: 500, firstContentMs: 2_000 },
      retry: { maxRetries: 0 },
      ...options,
    });

  it("Mistral answers a stream with its tool call (sent whole) as function_call events", async () => {
    mocks.openai.script(faults.serverError());
    mocks.mistral.script(
      faults.reply({ toolCalls: [{ id: "abcDEF123", name: "get_weather", arguments: { city: "Lyon" } }] }),
    );
    const runner = wrapped().responses.stream({
      model: "gpt-4.1",
      input: "Weather in Lyon?",
      tools: [{ type: "function", name: "get_weather", parameters: { type: "object" }, strict: false }],
      tool_choice: "required",
    });
    const types: string[] = [];
    runner.on("event", (event: Event) => types.push(event.type));
    const final = await runner.finalResponse();
    expect(final.output).toEqual([
      expect.objectContaining({
        type: "function_call",
        call_id: "abcDEF123",
        name: "get_weather",
        arguments: '{"city":"Lyon"}',
      }),
    ]);
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(getFailoverInfo(final)?.provider).toBe("mistral");
    expect(mocks.mistral.lastRequest?.body).toMatchObject({
      tool_choice: "any",
      model: "mistral-large-latest",
    });
  });

  it("an OpenAI-compatible server answers over Chat Completions when OpenAI and Mistral are down", async () => {
    mocks.openai.script(faults.serverError());
    mocks.mistral.script(faults.rateLimited());
    const response = await wrapped().responses.create({
      model: "gpt-4.1",
      instructions: "Be brief.",
      input: "Hi",
      text: { format: { type: "json_object" } },
    });
    expect(response).toMatchObject({ output_text: "Hello from vllm", model: "qwen-3", status: "completed" });
    expect(mocks.vllm.lastRequest).toMatchObject({ path: "/v1/chat/completions" });
    expect(mocks.vllm.lastRequest?.body).toMatchObject({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      response_format: { type: "json_object" },
    });
    expect(getFailoverInfo(response)?.attempts.map((a) => a.provider)).toEqual(["openai", "mistral", "vllm"]);
  });

  it("keep-alives do not hide a stalled OpenAI stream: the idle deadline ends it after its first content", async () => {
    mocks.openai.script(faults.stall(1, { pingIntervalMs: 50, reply: { text: "abcdefgh", chunkSize: 2 } }));
    const stream = await wrapped({ primary: { policy: { deadlines: { idleMs: 300 } } } }).responses.create({
      model: "gpt-4.1",
      input: "Hi",
      stream: true,
    });
    let error: any;
    const events: Event[] = [];
    try {
      for await (const event of stream) events.push(event);
    } catch (e) {
      error = e;
    }
    expect(isStreamInterruptedError(error)).toBe(true);
    expect(error).toMatchObject({ provider: "openai", failureClass: "timeout", partialText: "ab" });
    expect(events.at(-1)?.type).toBe("response.output_text.delta");
    expect(mocks.mistral.callCount + mocks.vllm.callCount).toBe(0);
  });

  it("a stalled OpenAI stream before any content falls over within firstContentMs", async () => {
    mocks.openai.script(faults.stall(0, { pingIntervalMs: 50 }));
    // The short deadline on OpenAI only: the fallback keeps the suite's, so load cannot fail it.
    const stream = await wrapped({
      primary: { policy: { deadlines: { firstContentMs: 400 } } },
    }).responses.create({
      model: "gpt-4.1",
      input: "Hi",
      stream: true,
    });
    const events = await collect(stream);
    expect(events.map((e) => e.type).at(-1)).toBe("response.completed");
    expect(getFailoverInfo(stream)?.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["openai", "timeout"],
      ["mistral", "ok"],
    ]);
  });
});
