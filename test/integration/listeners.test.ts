/**
 * Rule 3 of the hardening issue: a listener cannot break a call or the process. A listener that
 * throws, or an `async` listener whose promise rejects, is contained: the call goes on, no unhandled
 * rejection reaches the process (before the fix an async listener that rejected crashed Node mid-call),
 * and the error goes to `onListenerError` — or, without one, to a single process warning per
 * listener, not one per event.
 * Through the real SDKs against the mock servers: OpenAI primary (503 once), Anthropic fallback.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { anthropic, type ClientOptions, createClient, openai } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEYS, MODELS, PROMPT } from "./helpers/providers.js";

let primary: MockProvider;
let fallback: MockProvider;
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(async () => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
  primary = await startMockProvider({ kind: "openai", name: "openai" });
  fallback = await startMockProvider({ kind: "anthropic", name: "anthropic" });
  primary.script(faults.serverError(503));
});

afterEach(async () => {
  process.off("unhandledRejection", onUnhandled);
  vi.restoreAllMocks();
  await Promise.all([primary.close(), fallback.close()]);
});

const makeClient = (options: Partial<ClientOptions> = {}) =>
  createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }),
        model: MODELS.openai,
      }),
      anthropic({
        client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: fallback.baseURL }),
        model: MODELS.anthropic,
      }),
    ],
    ...options,
  });

const messages = [{ role: "user" as const, content: PROMPT }];
/** Lets rejected listener promises settle (and be reported, or not). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("listeners are contained", () => {
  it("async listeners that reject and listeners that throw: the call goes on, errors go to onListenerError", async () => {
    const reported: { event: string; message: string }[] = [];
    const client = makeClient({
      onListenerError: (error, { event }) => reported.push({ event, message: (error as Error).message }),
    });
    client.onAttemptEnd(async () => {
      await Promise.resolve();
      throw new Error("metrics backend down");
    });
    client.onFallback(() => {
      throw new Error("logger bug");
    });
    const result = await client.chat({ messages });
    const streamed = await client.stream({ messages }).result();
    await settle();
    expect([result.provider, streamed.provider]).toEqual(["anthropic", "openai"]);
    expect(unhandled).toEqual([]);
    expect(reported).toEqual([
      { event: "onFallback", message: "logger bug" },
      { event: "onAttemptEnd", message: "metrics backend down" },
      { event: "onAttemptEnd", message: "metrics backend down" },
      { event: "onAttemptEnd", message: "metrics backend down" },
    ]);
  });

  it("without a hook: one process warning per failing listener, not per event", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const client = makeClient();
    const rejecting = async () => {
      throw new Error("async listener failed");
    };
    client.onAttemptStart(rejecting);
    client.onCallEnd(() => {
      throw new Error("sync listener failed");
    });
    for (let i = 0; i < 3; i++) await client.chat({ messages });
    await settle();
    expect(unhandled).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    const texts = warn.mock.calls.map((call) => String(call[0])).sort();
    expect(texts[0]).toMatch(/a listener of onAttemptStart failed \(Error: async listener failed\)/);
    expect(texts[1]).toMatch(/a listener of onCallEnd failed \(Error: sync listener failed\)/);
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ code: "AI_FAILOVER_LISTENER_ERROR" });
  });

  it("a hook that throws itself falls back to the warning; the call still answers", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const client = makeClient({
      onListenerError: () => {
        throw new Error("hook bug");
      },
    });
    client.onCallStart(async () => Promise.reject(new Error("x")));
    expect((await client.chat({ messages })).provider).toBe("anthropic");
    await settle();
    expect(unhandled).toEqual([]);
    expect(warn).toHaveBeenCalledOnce();
  });

  it("an async hook that rejects (a log shipper that is down) falls back to the warning, never an unhandled rejection", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const client = makeClient({
      onListenerError: async () => {
        throw new Error("log shipper down");
      },
    });
    client.onCallStart(() => {
      throw new Error("listener bug");
    });
    client.onCallEnd(async () => Promise.reject(new Error("async listener bug")));
    expect((await client.chat({ messages })).provider).toBe("anthropic");
    await settle();
    expect(unhandled).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/log shipper down/);
  });
});
