import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { anthropic } from "../../../src/providers/anthropic/index.js";
import type { MockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, caught, MODEL, request, startAnthropicMock } from "./helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startAnthropicMock();
});
afterAll(() => mock.close());

const configIssues = (options: unknown): string[] => {
  try {
    anthropic(options as Parameters<typeof anthropic>[0]);
  } catch (error: any) {
    expect(error.name).toBe("ConfigError");
    return error.issues;
  }
  throw new Error("expected a ConfigError");
};

describe("anthropic factory", () => {
  it("has kind, name, domain, model and context window", () => {
    const provider = anthropic({ apiKey: API_KEY, model: MODEL });
    expect(provider).toMatchObject({
      kind: "anthropic",
      name: "anthropic",
      domain: "anthropic",
      model: MODEL,
    });
    expect(provider.contextWindow).toBeUndefined();
    const named = anthropic({
      apiKey: API_KEY,
      model: MODEL,
      name: "claude-eu",
      domain: "aws",
      contextWindow: 200_000,
    });
    expect(named).toMatchObject({ name: "claude-eu", domain: "aws", contextWindow: 200_000 });
  });

  it("requires a model", () => {
    expect(configIssues({ apiKey: API_KEY })).toEqual([expect.stringMatching(/^anthropic\.model: /)]);
  });

  it("reports unknown options by name", () => {
    const issues = configIssues({ model: MODEL, temprature: 0.3 });
    expect(issues.join("\n")).toContain("temprature");
  });

  it.each([
    [{ model: MODEL, baseURL: "not a url sk-ant-SECRETVALUE" }, "anthropic.baseURL"],
    [{ model: MODEL, apiKey: "" }, "anthropic.apiKey"],
    [{ model: MODEL, apiKey: 42 }, "anthropic.apiKey"],
    [{ model: MODEL, defaultMaxTokens: 0 }, "anthropic.defaultMaxTokens"],
    [{ model: MODEL, defaultMaxTokens: 1.5 }, "anthropic.defaultMaxTokens"],
    [{ model: MODEL, fetch: "fetch" }, "anthropic.fetch"],
    [{ model: MODEL, defaultHeaders: { "x-a": 1 } }, "anthropic.defaultHeaders"],
    [{ model: MODEL, client: { messages: {} } }, "anthropic.client"],
    [{ model: MODEL, name: "has spaces" }, "anthropic.name"],
    [{ model: MODEL, contextWindow: -1 }, "anthropic.contextWindow"],
    [{ model: MODEL, apiKey: "sk-ant-SECRETVALUE", authToken: "tok-SECRETVALUE" }, "anthropic.authToken"],
  ])("rejects %o naming %s, without echoing values", (options, field) => {
    const issues = configIssues(options);
    expect(
      issues.some(
        (issue) =>
          issue.startsWith(`${field}: `) || issue.startsWith(`${field}.`) || issue.startsWith(`${field}[`),
      ),
    ).toBe(true);
    expect(issues.join("\n")).not.toContain("SECRETVALUE");
  });

  it("rejects plain client options next to a client", () => {
    const client = new Anthropic({ apiKey: API_KEY });
    const issues = configIssues({ model: MODEL, client, apiKey: API_KEY, baseURL: "http://localhost:1" });
    expect(issues).toEqual([
      expect.stringMatching(/^anthropic\.apiKey: cannot be combined with `client`/),
      expect.stringMatching(/^anthropic\.baseURL: cannot be combined with `client`/),
    ]);
  });

  it("authenticates with authToken", async () => {
    const provider = anthropic({ authToken: API_KEY, baseURL: mock.baseURL, model: MODEL });
    expect((await provider.generate(request(), attempt())).text).toBe("Hello from anthropic");
  });

  it("a wrong key is an auth failure", async () => {
    const provider = anthropic({ apiKey: "sk-ant-wrong-key-000000000", baseURL: mock.baseURL, model: MODEL });
    const error = await caught(() => provider.generate(request(), attempt()));
    expect(error).toMatchObject({ failureClass: "auth", status: 401 });
    expect(error.message).not.toContain("sk-ant-wrong-key");
  });

  it("no credentials at all is an auth failure (whether the SDK finds none or the server refuses)", async () => {
    vi.stubEnv("ANTHROPIC_API_KEY", undefined);
    vi.stubEnv("ANTHROPIC_AUTH_TOKEN", undefined);
    try {
      const provider = anthropic({ baseURL: mock.baseURL, model: MODEL });
      expect(await caught(() => provider.generate(request(), attempt()))).toMatchObject({
        failureClass: "auth",
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("uses the given fetch", async () => {
    const urls: string[] = [];
    const provider = anthropic({
      apiKey: API_KEY,
      baseURL: mock.baseURL,
      model: MODEL,
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await provider.generate(request(), attempt());
    expect(urls).toEqual([`${mock.baseURL}/v1/messages`]);
  });

  it("does not mutate a given client", async () => {
    const client = new Anthropic({ apiKey: API_KEY, baseURL: mock.baseURL, maxRetries: 3, timeout: 60_000 });
    await anthropic({ client, model: MODEL }).generate(request(), attempt());
    expect(client.maxRetries).toBe(3);
    expect(client.timeout).toBe(60_000);
  });
});
