/**
 * The `store` option of `createClient` and `withFailover`, with a shared store over a scripted
 * backend (the Redis backend is tested against a real server elsewhere): validation, what `health()`
 * and `onBreakerStateChange` say about the fleet, and a change made by another instance reaching the
 * engine through the breaker's own transitions.
 */
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, getFailoverClient, isConfigError, withFailover } from "../../src/index.js";
import { healthKeyId } from "../../src/state/health-backend.js";
import { createSharedHealthStore, type SharedHealthStore } from "../../src/state/shared-health-store.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { configIssues } from "../helpers/rejections.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";
import { ScriptedBackend } from "../helpers/scripted-backend.js";

const messages = [{ role: "user" as const, content: "hi" }];
let backend: ScriptedBackend;
let store: SharedHealthStore;

beforeEach(() => {
  backend = new ScriptedBackend();
  store = createSharedHealthStore(backend, { instance: "pod-a" });
});
afterEach(async () => {
  await store.close();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("createClient({ store })", () => {
  it("refuses something that is not a store, naming the field", () => {
    const error = (() => {
      try {
        createClient({ providers: [new ScriptedAdapter("a")], store: {} as never });
      } catch (e) {
        return e;
      }
    })();
    expect(isConfigError(error)).toBe(true);
    expect((error as { issues: string[] }).issues).toEqual([
      "store: expected a health store, such as redisStore() from ai-failover/redis",
    ]);
  });

  it("a misspelt store names its near miss", () => {
    expect(
      configIssues(() => createClient({ providers: [new ScriptedAdapter("a")], stroe: store } as never)),
    ).toEqual(['(root): unknown option "stroe" (did you mean "store"?)']);
  });

  it("health() says where each state came from and shows the fleet's view", async () => {
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a, new ScriptedAdapter("b")], store });
    await client.chat({ messages });
    await settle();
    expect(client.health().find((h) => h.provider === "a")).toMatchObject({
      state: "closed",
      origin: { source: "local" },
      fleet: { instance: "pod-a", store: "available", probe: undefined },
    });
  });

  it("a breaker another instance opened: skipped without a request, an event with its origin, then closed by the fleet's probe", async () => {
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a, new ScriptedAdapter("b")], store });
    const events: unknown[] = [];
    client.onBreakerStateChange((e) => events.push(e));
    await client.chat({ messages });
    await settle(); // the first sync: the store knows the backend's generation
    const id = healthKeyId("a", "a-model");
    backend.records = {
      [id]: {
        breaker: {
          state: "open",
          leftMs: 5_000,
          level: 1,
          reason: "consecutive-failures",
          lastResortSpent: false,
          setBy: "pod-b",
          version: 1,
        },
      },
    };
    backend.pushChange("pod-b", backend.records);
    const before = a.calls;
    expect((await client.chat({ messages })).provider).toBe("b");
    expect(a.calls).toBe(before);
    expect(events).toEqual([
      expect.objectContaining({
        callId: undefined,
        provider: "a",
        from: "closed",
        to: "open",
        reason: "consecutive-failures",
        origin: { source: "shared", instance: "pod-b" },
      }),
    ]);
    expect(client.health().find((h) => h.provider === "a")?.origin).toEqual({
      source: "shared",
      instance: "pod-b",
    });
    backend.records = { [id]: { breaker: { state: "closed", setBy: "pod-c", version: 2 } } };
    backend.pushChange("pod-c", backend.records);
    expect((await client.chat({ messages })).provider).toBe("a");
    expect(events.at(-1)).toMatchObject({
      to: "closed",
      reason: "probe-succeeded",
      origin: { instance: "pod-c" },
    });
  });

  it("this instance's opening is written to the fleet, in the background", async () => {
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "server_error", status: 503 });
    const client = createClient({ providers: [a, new ScriptedAdapter("b")], store });
    for (let i = 0; i < 5; i++) await client.chat({ messages });
    await settle();
    const ops = backend.ops.filter((op) => op.k === healthKeyId("a", "a-model"));
    expect(ops.map((op) => op.op)).toContain("strike");
    expect(ops.find((op) => op.op === "open")).toMatchObject({
      state: "open",
      level: 1,
      reason: "consecutive-failures",
    });
  });
});

describe("withFailover(client, { store })", () => {
  let mock: MockProvider;
  beforeEach(async () => {
    mock = await startMockProvider({ kind: "openai" });
  });
  afterEach(async () => {
    await mock.close();
  });

  it("validates it as createClient does: a non-store and a misspelt name are refused", () => {
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: mock.baseURL });
    expect(configIssues(() => withFailover(openai, { fallbacks: [], store: {} as never }))).toEqual([
      "withFailover.store: expected a health store, such as redisStore() from ai-failover/redis",
    ]);
    expect(configIssues(() => withFailover(openai, { fallbacks: [], stores: store } as never))).toEqual([
      'withFailover: unknown option "stores" (did you mean "store"?)',
    ]);
  });

  it("takes the same option: the wrapped client's health is shared", async () => {
    const wrapped = withFailover(new OpenAI({ apiKey: "sk-test", baseURL: mock.baseURL, maxRetries: 0 }), {
      fallbacks: [],
      store,
    });
    // 40 s: more than the engine would wait for a retry, so the call fails at once.
    mock.script(faults.rateLimited({ retryAfter: "40", resetHeaders: false }));
    await expect(wrapped.chat.completions.create({ model: "gpt-4.1", messages })).rejects.toThrow();
    await settle();
    expect(backend.ops.find((op) => op.op === "cool")).toMatchObject({
      k: healthKeyId("openai", "gpt-4.1"),
      capped: false,
      status: 429,
    });
    expect(getFailoverClient(wrapped)!.health()[0]).toMatchObject({
      unavailable: "cooling",
      fleet: { instance: "pod-a" },
    });
  });
});
