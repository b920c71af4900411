import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { isConfigError } from "../../../src/errors/config-error.js";
import { anthropic, mistral, openai, withFailover } from "../../../src/index.js";

const key = "sk-test-with-failover-options-1234";
const fallback = () => anthropic({ client: new Anthropic({ apiKey: key }), model: "claude-sonnet-4-6" });

/** The issues `withFailover` reports. */
const issuesOf = (client: unknown, options: unknown): string[] => {
  try {
    withFailover(client as OpenAI, options as never);
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
  return [];
};

describe("withFailover: wiring mistakes name the real place and the fix", () => {
  it("a bare SDK client among the fallbacks is `fallbacks[i]`, not the engine's `providers.1`", () => {
    const issues = issuesOf(new OpenAI({ apiKey: key }), { fallbacks: [new Anthropic({ apiKey: key })] });
    expect(issues).toEqual([
      'withFailover.fallbacks[0]: got an Anthropic SDK client; wrap it: anthropic({ client, model: "…" })',
    ]);
    expect(issues.join("\n")).not.toContain(key);
  });

  it("an uncalled factory, and `new OpenAI()` as a fallback", () => {
    expect(issuesOf(new OpenAI({ apiKey: key }), { fallbacks: [fallback(), mistral] })).toEqual([
      'withFailover.fallbacks[1]: got the factory `mistral` itself, not called; call it: mistral({ model: "…" })',
    ]);
    expect(issuesOf(new OpenAI({ apiKey: key }), { fallbacks: [new OpenAI({ apiKey: key })] })[0]).toMatch(
      /^withFailover\.fallbacks\[0\]: got an OpenAI SDK client; wrap it: openai\(\{ client, model: "…" \}\)/,
    );
  });

  it("a client that is not an OpenAI client says what to use instead", () => {
    expect(issuesOf(new Anthropic({ apiKey: key }), { fallbacks: [] })).toEqual([
      "client: got an Anthropic SDK client; withFailover wraps an OpenAI or AzureOpenAI client — for another primary use createClient({ providers: [...] })",
    ]);
    expect(
      issuesOf(openai({ client: new OpenAI({ apiKey: key }), model: "gpt-4.1" }), { fallbacks: [] }),
    ).toEqual([
      "client: got a provider; withFailover wraps an OpenAI SDK client: withFailover(new OpenAI(), { fallbacks: [...] })",
    ]);
  });

  it("a misspelt option names its near miss", () => {
    expect(issuesOf(new OpenAI({ apiKey: key }), { fallback: [fallback()] })).toEqual([
      "withFailover.fallbacks: expected an array of providers (use [] for none)",
      'withFailover: unknown option "fallback" (did you mean "fallbacks"?)',
    ]);
    expect(issuesOf(new OpenAI({ apiKey: key }), { fallbacks: [], primary: { nmae: "oai" } })).toEqual([
      'withFailover.primary: unknown option "nmae" (did you mean "name"?)',
    ]);
    expect(
      issuesOf(new OpenAI({ apiKey: key }), {
        fallbacks: [],
        primary: { policy: { retry: { maxRetry: 1 } } },
      }),
    ).toEqual(['withFailover.primary.policy.retry: unknown option "maxRetry" (did you mean "maxRetries"?)']);
    expect(issuesOf(new OpenAI({ apiKey: key }), { fallbacks: [], hedgeing: {} })).toEqual([
      'withFailover: unknown option "hedgeing" (did you mean "hedging"?)',
    ]);
  });

  it("a `models` mapping that names no provider is an error, not a silent no-op", () => {
    expect(
      issuesOf(new OpenAI({ apiKey: key }), {
        fallbacks: [fallback()],
        models: { "gpt-4.1": { antropic: "claude-sonnet-4-6" } },
      }),
    ).toEqual([
      'withFailover.models["gpt-4.1"].antropic: no provider named "antropic" (the providers are "openai", "anthropic"; did you mean "anthropic"?)',
    ]);
    expect(
      issuesOf(new OpenAI({ apiKey: key }), {
        fallbacks: [fallback()],
        models: { "gpt-4.1": { anthropic: "claude-sonnet-4-6" } },
      }),
    ).toEqual([]);
  });

  it("a fallback named like the wrapped client is a duplicate, named where it was written", () => {
    expect(
      issuesOf(new OpenAI({ apiKey: key }), {
        fallbacks: [openai({ client: new OpenAI({ apiKey: key }), model: "gpt-4.1-mini" })],
      }),
    ).toEqual([
      'withFailover.fallbacks[0]: duplicate provider name "openai" (give each provider a unique `name`)',
    ]);
  });
});
