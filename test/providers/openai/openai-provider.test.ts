import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { isConfigError } from "../../../src/errors/config-error.js";
import { openai } from "../../../src/providers/openai/index.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, caught, collect, request } from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "openai" });
});
beforeEach(() => mock.reset());
afterEach(() => vi.unstubAllEnvs());
afterAll(() => mock.close());

const configIssues = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("openai factory", () => {
  it("has the documented defaults", () => {
    const p = openai({ apiKey: API_KEY, model: "gpt-4o" });
    expect(p).toMatchObject({
      name: "openai",
      kind: "openai",
      model: "gpt-4o",
      domain: "openai",
      contextWindow: undefined,
    });
    const named = openai({
      apiKey: API_KEY,
      model: "gpt-4o",
      name: "openai-eu",
      domain: "oai",
      contextWindow: 128_000,
    });
    expect(named).toMatchObject({ name: "openai-eu", domain: "oai", contextWindow: 128_000 });
  });

  it("works with a ready client and never mutates it; SDK retries stay off", async () => {
    const client = new OpenAI({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 3, timeout: 60_000 });
    const before = { maxRetries: client.maxRetries, timeout: client.timeout, baseURL: client.baseURL };
    const p = openai({ client, model: "gpt-4o-mini" });
    expect((await p.generate(request(), attempt())).text).toBe("Hello from openai");
    expect((await collect(await p.stream(request(), attempt()))).text).toBe("Hello from openai");

    mock.script(faults.serverError(500), faults.serverError(500));
    const error = await caught(() => p.generate(request(), attempt()));
    expect(error).toMatchObject({ failureClass: "server_error" });
    expect(mock.callCount).toBe(3); // one request per call: the client's maxRetries: 3 is not used
    expect({ maxRetries: client.maxRetries, timeout: client.timeout, baseURL: client.baseURL }).toEqual(
      before,
    );
  });

  it("builds its own client from plain options (organization, project, default headers, fetch)", async () => {
    const fetched: string[] = [];
    const p = openai({
      apiKey: API_KEY,
      baseURL: mock.baseURL,
      organization: "org-1",
      project: "proj-1",
      defaultHeaders: { "x-team": "search" },
      fetch: (input, init) => {
        fetched.push(String(input));
        return globalThis.fetch(input, init);
      },
      model: "gpt-4o-mini",
    });
    await p.generate(request(), attempt());
    expect(fetched).toEqual([`${mock.baseURL}/chat/completions`]);
    expect(mock.lastRequest?.headers).toMatchObject({
      "openai-organization": "org-1",
      "openai-project": "proj-1",
      "x-team": "search",
    });
  });

  it("reports missing credentials as an auth failure of this provider, at call time", async () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    const p = openai({ baseURL: mock.baseURL, model: "gpt-4o-mini" });
    const error = await caught(() => p.generate(request(), attempt()));
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "auth" });
    expect(error.message).toContain("cannot create the openai client");
    expect(mock.callCount).toBe(0);
  });

  it("validates options, naming each bad field and never echoing values", () => {
    expect(configIssues(() => openai({} as never))).toEqual([expect.stringMatching(/^openai\.model: /)]);
    expect(configIssues(() => openai({ model: "" }))).toEqual(["openai.model: model is required"]);
    const secret = "sk-should-not-appear-1234567890";
    const issues = configIssues(() =>
      openai({ model: "m", apiKey: secret, baseURL: "not a url", maxRetries: 2, name: "has space" } as never),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^openai\.baseURL: /),
        expect.stringMatching(/^openai\.name: /),
        expect.stringMatching(
          /^openai: unknown option "maxRetries" \(SDK retries are always off.*retry\.maxRetries/,
        ),
      ]),
    );
    expect(issues.join("\n")).not.toContain(secret);
    expect(configIssues(() => openai({ model: "m", client: {} as never }))).toEqual([
      expect.stringMatching(/^openai\.client: expected an OpenAI SDK client/),
    ]);
    const client = new OpenAI({ apiKey: API_KEY });
    expect(
      configIssues(() => openai({ model: "m", client, apiKey: secret, baseURL: "https://x.test/v1" })),
    ).toEqual([
      expect.stringMatching(/^openai\.apiKey: cannot be combined with `client`/),
      expect.stringMatching(/^openai\.baseURL: cannot be combined with `client`/),
    ]);
  });
});
