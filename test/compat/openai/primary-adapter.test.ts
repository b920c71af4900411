import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { attachPrimaryCallContext, PrimaryAdapter } from "../../../src/compat/openai/primary-adapter.js";
import { isPlainRequest } from "../../../src/engine/normalize-request.js";
import { isInvalidRequestError } from "../../../src/errors/invalid-request-error.js";
import { OpenAIChatAdapter, type OpenAIChatClient } from "../../../src/providers/openai/index.js";
import type { AttemptContext, ProviderAdapter } from "../../../src/spec/provider.js";
import type { Message, ProviderRequest } from "../../../src/spec/request.js";
import type { ProviderResponse } from "../../../src/spec/result.js";
import { startMockProvider } from "../../../src/testing/index.js";

/** A fake adapter per client that records what it was asked. */
const recordingFactory = () => {
  const calls: { client: object; request: ProviderRequest; context: AttemptContext }[] = [];
  const create = (client: object): ProviderAdapter => ({
    name: "openai",
    kind: "openai",
    model: "per-call",
    domain: "openai",
    contextWindow: undefined,
    async generate(request, context) {
      calls.push({ client, request, context });
      return {} as ProviderResponse;
    },
    async stream(request, context) {
      calls.push({ client, request, context });
      return (async function* () {})();
    },
  });
  return { calls, create };
};

const messages: Message[] = [{ role: "user", content: "hi" }];
const context = (): AttemptContext => ({ signal: new AbortController().signal, timeoutMs: 10_000 });

describe("PrimaryAdapter", () => {
  it("calls the default client when the request carries no call context", async () => {
    const { calls, create } = recordingFactory();
    const defaultClient = {};
    const adapter = new PrimaryAdapter(defaultClient, create);
    expect(adapter).toMatchObject({ name: "openai", kind: "openai", domain: "openai" });
    await adapter.generate({ model: "gpt-4.1", messages }, context());
    expect(calls[0]?.client).toBe(defaultClient);
  });

  it("uses the call's client, headers and timeout, reusing one adapter per client", async () => {
    const { calls, create } = recordingFactory();
    const adapter = new PrimaryAdapter({}, create);
    const clone = {};
    const extra = attachPrimaryCallContext(
      { seed: 1, messages: [] },
      { client: clone, headers: { "x-a": "1" }, timeoutMs: 500, messages },
    );
    expect(Object.keys(extra)).toEqual(["seed", "messages"]);
    const request: ProviderRequest = { model: "gpt-4.1", messages, extra, headers: { "x-all": "2" } };
    await adapter.stream(request, context());
    await adapter.generate(request, context());

    expect(calls[0]?.client).toBe(clone);
    expect(calls[0]?.request.headers).toEqual({ "x-all": "2", "x-a": "1" });
    expect(calls[0]?.request.extra).toEqual({ seed: 1, messages: [] });
    expect(calls[0]?.context.timeoutMs).toBe(500);
    expect(calls[1]?.client).toBe(clone);
  });

  it("leaves the body fields a plain object: a drop-in request passes the engine's hand check, not zod", () => {
    const extra = attachPrimaryCallContext({ seed: 1, messages: [] }, { client: {}, messages });
    expect(Reflect.ownKeys(extra)).toEqual(["seed", "messages"]);
    expect(
      isPlainRequest({ messages, models: { openai: "gpt-4.1" }, providerOptions: { openai: extra } }),
    ).toBe(true);
  });

  it("drops the app's own messages when the engine sends others (a continued stream)", async () => {
    const { calls, create } = recordingFactory();
    const adapter = new PrimaryAdapter({}, create);
    const extra = attachPrimaryCallContext(
      { seed: 1, messages: [{ role: "user", content: "hi" }] },
      { client: {}, messages },
    );
    await adapter.generate(
      { model: "gpt-4.1", messages: [...messages, { role: "assistant", content: "par" }], extra },
      context(),
    );
    expect(calls[0]?.request.extra).toEqual({ seed: 1 });
  });
});

describe("PrimaryAdapter over the real OpenAI adapter and SDK", () => {
  it("an app field JSON cannot carry (seed: 10n) is the caller's InvalidRequestError; nothing reaches OpenAI", async () => {
    const mock = await startMockProvider({ kind: "openai" });
    try {
      const client = new OpenAI({ apiKey: "sk-test-0001", baseURL: mock.baseURL, maxRetries: 0 });
      const create = (sdkClient: object): ProviderAdapter =>
        new OpenAIChatAdapter({
          kind: "openai",
          name: "openai",
          model: "per-call",
          domain: "openai",
          contextWindow: undefined,
          extra: undefined,
          maxTokensField: "max_completion_tokens",
          includeStreamUsage: true,
          client: () => Promise.resolve(sdkClient as OpenAIChatClient),
        });
      const adapter = new PrimaryAdapter(client, create);
      const extra = attachPrimaryCallContext({ seed: 10n }, { client, messages });
      for (const call of ["generate", "stream"] as const) {
        const error = await adapter[call]({ model: "gpt-4.1", messages, extra }, context()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isInvalidRequestError(error)).toBe(true);
        expect((error as Error).message).toContain("body.seed: a bigint");
      }
      expect(mock.callCount).toBe(0);
    } finally {
      await mock.close();
    }
  });
});
