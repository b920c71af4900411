/** The mock server itself: scripting, defaults, recording, redaction, down/up, close, groups. */
import OpenAI from "openai";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  faults,
  type MockProvider,
  type MockProviderKind,
  startMockProvider,
  startMockProviders,
} from "../../src/testing/index.js";
import { callThroughSdk, isConnectionError, openaiClient } from "./drivers.js";
import { API_KEY, causeCode } from "./helpers.js";

const messages = [{ role: "user" as const, content: "Hi" }];
const started: MockProvider[] = [];

async function start(kind: MockProviderKind = "openai", extra: { name?: string; apiKey?: string } = {}) {
  const mock = await startMockProvider({ kind, ...extra });
  started.push(mock);
  return mock;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.close()));
});

async function ask(mock: MockProvider, client = openaiClient(mock)): Promise<string> {
  const res = await client.chat.completions.create({ model: "gpt-4o", messages });
  return res.choices[0]!.message.content ?? "";
}

async function statusOfCall(mock: MockProvider): Promise<number | "ok"> {
  try {
    await ask(mock);
    return "ok";
  } catch (error: any) {
    return error.status;
  }
}

describe("startMockProvider", () => {
  test("baseURL is what each SDK expects", async () => {
    const kinds: MockProviderKind[] = ["openai", "azure", "anthropic", "mistral"];
    const mocks = await Promise.all(kinds.map((k) => start(k)));
    const [openai, azure, anthropic, mistral] = mocks;
    expect(openai!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(openai!.baseURL).toBe(`${openai!.url}/v1`);
    expect(azure!.baseURL).toBe(azure!.url);
    expect(anthropic!.baseURL).toBe(anthropic!.url);
    expect(mistral!.baseURL).toBe(mistral!.url);
    expect(new Set(mocks.map((m) => m.port)).size).toBe(4);
    const google = await start("google");
    expect(google.baseURL).toBe(`${google.url}/v1beta`);
  });

  test("name and defaultText", async () => {
    const mock = await start("openai", { name: "primary" });
    expect(await ask(mock)).toBe("Hello from primary");
    const custom = await startMockProvider({ kind: "openai", defaultText: "custom text" });
    started.push(custom);
    expect(await ask(custom)).toBe("custom text");
  });
});

describe("scripting and defaults", () => {
  test("script() is consumed in order, then the default applies", async () => {
    const mock = await start();
    mock.script(faults.serverError(), faults.rateLimited()).script(faults.auth());
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await statusOfCall(mock));
    expect(seen).toEqual([503, 429, 401, "ok", "ok"]);
    expect(mock.callCount).toBe(5);
    expect(mock.requests.map((r) => r.fault)).toEqual(["error", "error", "error", "reply", "reply"]);
  });

  test("setDefault(fault) and setDefault(fn) for error-rate scenarios", async () => {
    const mock = await start();
    mock.setDefault(faults.serverError(502));
    expect(await statusOfCall(mock)).toBe(502);
    mock.setDefault((call) =>
      call.n % 2 === 0 ? faults.serverError() : faults.reply({ text: `call ${call.n}` }),
    );
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await statusOfCall(mock));
    expect(seen).toEqual([503, "ok", 503, "ok"]);
    mock.script(faults.reply({ text: "scripted wins" }));
    expect(await ask(mock)).toBe("scripted wins");
  });

  test("the default function sees the call and its request", async () => {
    const mock = await start("openai", { name: "p" });
    const calls: unknown[] = [];
    mock.setDefault((call) => {
      calls.push({ n: call.n, kind: call.kind, name: call.name, model: call.request.model });
      return { type: "reply" };
    });
    await ask(mock);
    expect(calls).toEqual([{ n: 1, kind: "openai", name: "p", model: "gpt-4o" }]);
  });

  test("reset() clears script, requests, count and default", async () => {
    const mock = await start();
    mock.setDefault(faults.serverError()).script(faults.auth());
    await statusOfCall(mock);
    mock.reset();
    expect(mock.requests).toHaveLength(0);
    expect(mock.callCount).toBe(0);
    expect(await statusOfCall(mock)).toBe("ok");
    expect(mock.requests[0]!.n).toBe(1);
  });

  test("concurrent calls are all served and numbered uniquely", async () => {
    const mock = await start();
    const texts = await Promise.all(Array.from({ length: 8 }, () => ask(mock)));
    expect(texts.every((t) => t === "Hello from openai")).toBe(true);
    expect(mock.requests.map((r) => r.n).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test("eventIntervalMs spaces the stream out and keeps it intact", async () => {
    const mock = await start("anthropic");
    mock.script(faults.reply({ text: "spaced out reply", chunkSize: 4, eventIntervalMs: 2 }));
    const out = await callThroughSdk(mock, { stream: true });
    expect(out.text).toBe("spaced out reply");
    expect(out.contentEvents).toBe(4);
    expect(out.terminal).toBe(true);
  });

  test("faults.x(kind) renders the provider's concrete status fault", () => {
    const fault = faults.overloaded("anthropic");
    expect(fault).toMatchObject({
      type: "status",
      status: 529,
      body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
    });
    expect(faults.serverError(502)).toEqual({ type: "error", error: "server_error", status: 502 });
    expect(faults.auth("openai", 403).status).toBe(403);
  });
});

describe("recorded requests", () => {
  test("records method, path, parsed body, stream flag, model, time and served fault", async () => {
    const mock = await start();
    const before = Date.now();
    await callThroughSdk(mock, { stream: true });
    const req = mock.lastRequest!;
    expect(req).toMatchObject({
      n: 1,
      method: "POST",
      path: "/v1/chat/completions",
      stream: true,
      model: "gpt-4o-mini",
    });
    expect(req.body).toMatchObject({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    expect(req.at).toBeGreaterThanOrEqual(before);
    expect(req.fault).toBe("reply");
    expect(req.headers["content-type"]).toBe("application/json");
  });

  test("no SDK's API key ever appears in the recorded requests", async () => {
    for (const kind of ["openai", "azure", "anthropic", "mistral"] as const) {
      const mock = await start(kind);
      await callThroughSdk(mock, { stream: false });
      await callThroughSdk(mock, { stream: true });
      expect(mock.requests).toHaveLength(2);
      expect(JSON.stringify(mock.requests)).not.toContain(API_KEY);
      expect(JSON.stringify(mock.requests)).toContain("[redacted]");
    }
  });

  test("credential-looking query parameters are redacted too; a non-JSON body is kept raw", async () => {
    const mock = await start();
    await fetch(`${mock.baseURL}/chat/completions?api-key=${API_KEY}&x=1`, {
      method: "POST",
      body: "not json",
    });
    expect(mock.lastRequest!.path).toBe("/v1/chat/completions?api-key=[redacted]&x=1");
    expect(mock.lastRequest!.body).toBe("not json");
  });

  test("an unknown path gets the provider's 404 and does not consume the script", async () => {
    const mock = await start();
    mock.script(faults.serverError());
    const wrong = new OpenAI({ apiKey: API_KEY, baseURL: `${mock.url}/v2`, maxRetries: 0 });
    const err = await wrong.chat.completions.create({ model: "gpt-4o", messages }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.message).toContain("Invalid URL (POST /v2/chat/completions)");
    expect(mock.lastRequest!.fault).toBe("not-found");
    expect(await statusOfCall(mock)).toBe(503);
  });

  test("recordRequests: false keeps nothing but the count and the last request", async () => {
    const mock = await startMockProvider({ kind: "openai", recordRequests: false });
    started.push(mock);
    await ask(mock);
    await ask(mock);
    expect(mock.requests).toHaveLength(0);
    expect(mock.callCount).toBe(2);
    expect(mock.lastRequest?.n).toBe(2);
  });

  test("apiKey option: a wrong key gets the provider's 401", async () => {
    const mock = await start("openai", { apiKey: API_KEY });
    expect(await statusOfCall(mock)).toBe("ok");
    const wrong = new OpenAI({ apiKey: "sk-wrong", baseURL: mock.baseURL, maxRetries: 0 });
    const err = await wrong.chat.completions.create({ model: "gpt-4o", messages }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(mock.lastRequest!.fault).toBe("unauthorized");
  });

  test("closedBy tells a client's hang-up from a reply or cut the mock finished itself", async () => {
    const mock = await start();
    const waitClosed = () => vi.waitFor(() => expect(mock.lastRequest?.closedBy).toBeDefined());
    expect(await statusOfCall(mock)).toBe("ok");
    await waitClosed();
    expect(mock.lastRequest).toMatchObject({ closedBy: "server", closedAt: expect.any(Number) });

    mock.script(faults.cut(0));
    expect((await callThroughSdk(mock, { stream: true })).error).toBeDefined();
    await waitClosed();
    expect(mock.lastRequest!.closedBy).toBe("server");

    mock.script(faults.blackHole());
    const controller = new AbortController();
    const pending = openaiClient(mock)
      .chat.completions.create({ model: "gpt-4o", messages }, { signal: controller.signal })
      .catch((error: unknown) => error);
    await vi.waitFor(() => expect(mock.inFlight).toBe(1));
    expect(mock.lastRequest!.closedBy).toBeUndefined();
    controller.abort();
    await pending;
    await waitClosed();
    expect(mock.lastRequest!.closedBy).toBe("client");
  });
});

describe("non-stream timing faults on the wire", () => {
  async function post(mock: MockProvider, signal: AbortSignal): Promise<Response> {
    return fetch(`${mock.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages }),
      signal,
    });
  }

  test("slow-first-token and stall send the headers at once and hold the body", async () => {
    const mock = await start();
    mock.script(faults.slowFirstToken(60_000), faults.stall(0));
    for (let i = 0; i < 2; i++) {
      const controller = new AbortController();
      const res = await post(mock, controller.signal);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      controller.abort();
      await expect(res.text()).rejects.toThrow();
      await vi.waitFor(() => expect(mock.inFlight).toBe(0), { interval: 5 });
    }
  });
});

describe("down, up, close", () => {
  test("down() refuses connections, up() listens again on the same port", async () => {
    const mock = await start();
    const client = openaiClient(mock);
    expect(await ask(mock, client)).toBe("Hello from openai");
    const port = mock.port;
    await mock.down();
    expect(mock.isUp).toBe(false);
    const err = await ask(mock, client).catch((e) => e);
    expect(isConnectionError("openai", err)).toBe(true);
    expect(causeCode(err)).toBe("ECONNREFUSED");
    await mock.up();
    expect(mock.port).toBe(port);
    expect(await ask(mock, client)).toBe("Hello from openai");
  });

  test("down() without await, then up()", async () => {
    const mock = await start();
    mock.down();
    await mock.up();
    expect(await ask(mock)).toBe("Hello from openai");
  });

  test("close() frees a black-holed call: the client errors out at once, no call left in flight", async () => {
    const mock = await start();
    mock.script(faults.blackHole());
    // A 60 s SDK timeout: only close() can end this call within the test's time.
    const pending = ask(mock, openaiClient(mock, 60_000)).catch((e) => e);
    await vi.waitFor(() => expect(mock.inFlight).toBe(1), { interval: 5 });
    await mock.close();
    const err = await pending;
    expect(isConnectionError("openai", err)).toBe(true);
    expect(mock.inFlight).toBe(0);
    await mock.close();
    await expect(mock.up()).rejects.toThrow(/closed/);
  });

  test("close() ends a stalled stream that sends keep-alives, and its timers", async () => {
    const mock = await start("anthropic");
    mock.script(faults.stall(1, { pingIntervalMs: 5 }));
    let closing: Promise<void> | undefined;
    const out = await callThroughSdk(mock, {
      stream: true,
      timeout: 60_000,
      onEvent: () => {
        closing = mock.close();
      },
    });
    await closing;
    expect(out.contentEvents).toBe(1);
    expect(out.error).toBeInstanceOf(TypeError);
    expect(mock.inFlight).toBe(0);
  });

  test("close() ends a slow-headers wait", async () => {
    const mock = await start("mistral");
    mock.script(faults.slowHeaders(60_000));
    const pending = callThroughSdk(mock, { stream: false, timeout: 60_000 });
    await vi.waitFor(() => expect(mock.inFlight).toBe(1), { interval: 5 });
    await mock.close();
    expect(isConnectionError("mistral", (await pending).error)).toBe(true);
  });
});

describe("startMockProviders", () => {
  test("starts several, keyed by name, closes them together", async () => {
    const mocks = await startMockProviders({
      openai: {},
      backup: { kind: "anthropic" },
      mistral: { name: "eu" },
    });
    try {
      expect(mocks.openai.kind).toBe("openai");
      expect(mocks.backup.kind).toBe("anthropic");
      expect(mocks.backup.name).toBe("backup");
      expect(mocks.mistral.name).toBe("eu");
      expect(mocks.all).toHaveLength(3);
      const out = await callThroughSdk(mocks.backup, { stream: false });
      expect(out.text).toBe("Hello from backup");
      mocks.reset();
      expect(mocks.backup.callCount).toBe(0);
    } finally {
      await mocks.close();
    }
    expect(mocks.all.every((m) => !m.isUp)).toBe(true);
  });

  test("rejects keys that are neither a kind nor given one, and reserved keys", async () => {
    await expect(startMockProviders({ primary: {} })).rejects.toThrow(/set `kind`/);
    await expect(startMockProviders({ close: { kind: "openai" } })).rejects.toThrow(/reserved/);
  });
});
