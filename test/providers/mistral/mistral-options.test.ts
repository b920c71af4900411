import { Mistral } from "@mistralai/mistralai";
import { describe, expect, it } from "vitest";
import { isConfigError } from "../../../src/errors/config-error.js";
import { mistral } from "../../../src/providers/mistral/index.js";

const configIssues = (build: () => unknown): string[] => {
  try {
    build();
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("mistral() options", () => {
  it("applies defaults and keeps the given ones", () => {
    expect(mistral({ model: "mistral-small-latest" })).toMatchObject({
      kind: "mistral",
      name: "mistral",
      domain: "mistral",
      model: "mistral-small-latest",
      contextWindow: undefined,
    });
    expect(
      mistral({
        model: "m",
        name: "mistral-eu",
        domain: "mistral-eu",
        contextWindow: 128_000,
        extra: { safePrompt: true },
      }),
    ).toMatchObject({ name: "mistral-eu", domain: "mistral-eu", contextWindow: 128_000 });
  });

  it("does not load or construct anything until the first call", () => {
    // A bad key is only noticed by the server: building the adapter must not touch the network or the SDK.
    expect(() => mistral({ model: "m", apiKey: "k", serverURL: "http://127.0.0.1:1" })).not.toThrow();
  });

  it("names each bad field without echoing values", () => {
    const secret = "sk-secret-value-123456";
    const issues = configIssues(() =>
      mistral({
        model: "",
        apiKey: 42 as unknown as string,
        serverURL: secret,
        contextWindow: -1,
        name: "bad name",
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mistral\.model: /),
        expect.stringMatching(/^mistral\.apiKey: /),
        expect.stringMatching(/^mistral\.serverURL: /),
        expect.stringMatching(/^mistral\.contextWindow: /),
        expect.stringMatching(/^mistral\.name: /),
      ]),
    );
    expect(issues.join("\n")).not.toContain(secret);
  });

  it("reports unknown options", () => {
    const issues = configIssues(() => mistral({ model: "m", baseURL: "http://x" } as never));
    expect(issues.join("\n")).toMatch(/baseURL/);
  });

  it("rejects a serverURL ending in /v1 (the SDK adds it)", () => {
    expect(configIssues(() => mistral({ model: "m", serverURL: "https://api.mistral.ai/v1" }))).toEqual([
      expect.stringMatching(/^mistral\.serverURL: leave out \/v1/),
    ]);
  });

  it("rejects a client that is not a Mistral client, and client options mixed with a client", () => {
    expect(configIssues(() => mistral({ model: "m", client: {} as Mistral }))).toEqual([
      expect.stringMatching(/^mistral\.client: expected a Mistral client/),
    ]);
    const client = new Mistral({ apiKey: "k" });
    const issues = configIssues(() =>
      mistral({
        model: "m",
        client,
        apiKey: "k",
        serverURL: "https://api.mistral.ai",
        fetch: globalThis.fetch,
      }),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^mistral\.apiKey: not allowed with client/),
      expect.stringMatching(/^mistral\.serverURL: not allowed with client/),
      expect.stringMatching(/^mistral\.fetch: not allowed with client/),
    ]);
  });

  it("accepts an async apiKey function and default headers", () => {
    expect(() =>
      mistral({ model: "m", apiKey: async () => "k", headers: { "x-team": "a" }, fetch: globalThis.fetch }),
    ).not.toThrow();
  });
});
