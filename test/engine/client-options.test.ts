/**
 * Wiring mistakes a new user makes, named where they made them and with the fix. The SDK clients
 * are the real ones: the checks read their shape, never import an SDK.
 */

import { createOpenAI } from "@ai-sdk/openai";
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/engine/create-client.js";
import { isConfigError } from "../../src/errors/config-error.js";
import { anthropic, openai } from "../../src/index.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";

/** The issues `createClient` reports for these options. */
const issuesOf = (options: unknown): string[] => {
  try {
    createClient(options as never);
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
  return [];
};

const key = "sk-test-client-options-123456";

describe("createClient: a provider that is not one", () => {
  it.each([
    [
      "an OpenAI SDK client",
      () => new OpenAI({ apiKey: key }),
      'providers[1]: got an OpenAI SDK client; wrap it: openai({ client, model: "…" }) (or openaiCompatible({ name, baseURL, client, model }) for another server)',
    ],
    [
      "an AzureOpenAI SDK client",
      () =>
        new AzureOpenAI({ apiKey: key, endpoint: "https://x.openai.azure.com", apiVersion: "2024-10-21" }),
      'providers[1]: got an AzureOpenAI SDK client; wrap it: azureOpenAI({ client, model: "…" })',
    ],
    [
      "an Anthropic SDK client",
      () => new Anthropic({ apiKey: key }),
      'providers[1]: got an Anthropic SDK client; wrap it: anthropic({ client, model: "…" })',
    ],
    [
      "a Mistral SDK client",
      () => new Mistral({ apiKey: key }),
      'providers[1]: got a Mistral SDK client; wrap it: mistral({ client, model: "…" })',
    ],
    [
      "an AI SDK model",
      () => createOpenAI({ apiKey: key }).chat("gpt-4.1"),
      "providers[1]: got an AI SDK model; wrap it: aiSdk({ model })",
    ],
    [
      "a factory that was not called",
      () => anthropic,
      'providers[1]: got the factory `anthropic` itself, not called; call it: anthropic({ model: "…" })',
    ],
    [
      "an SDK class",
      () => OpenAI,
      'providers[1]: got the OpenAI class; pass a provider: openai({ client: new OpenAI(), model: "…" })',
    ],
    [
      "factory options",
      () => ({ model: "gpt-4.1", apiKey: key }),
      "providers[1]: got a plain options object; pass it to a provider factory: openai({ ... }), anthropic({ ... }), …",
    ],
  ])("%s names its place and the fix, never the key", (_name, make, issue) => {
    const issues = issuesOf({ providers: [new ScriptedAdapter("a"), make()] });
    expect(issues).toEqual([issue]);
    expect(issues.join("\n")).not.toContain(key);
  });

  it("inside an entry, names the entry's provider field", () => {
    expect(issuesOf({ providers: [{ provider: new Anthropic({ apiKey: key }), tier: 1 }] })).toEqual([
      'providers[0].provider: got an Anthropic SDK client; wrap it: anthropic({ client, model: "…" })',
    ]);
  });

  it("an unknown key suggests the near miss, at every level", () => {
    const a = new ScriptedAdapter("a");
    expect(issuesOf({ providers: [{ provider: a, teir: 1 }] })).toEqual([
      'providers[0]: unknown option "teir" (did you mean "tier"?)',
    ]);
    expect(issuesOf({ providers: [a], retyr: {} })).toEqual([
      '(root): unknown option "retyr" (did you mean "retry"?)',
    ]);
    expect(issuesOf({ providers: [a], maxRetries: 1 })).toEqual([
      '(root): unknown option "maxRetries" (did you mean "retry.maxRetries"?)',
    ]);
    expect(issuesOf({ providers: [a], deadlines: { totalMS: 1 } })).toEqual([
      'deadlines: unknown option "totalMS" (did you mean "totalMs"?)',
    ]);
    expect(issuesOf({ providers: [{ provider: a, policy: { breaker: { halfOpenAftrMs: 1 } } }] })).toEqual([
      'providers[0].policy.breaker: unknown option "halfOpenAftrMs" (did you mean "halfOpenAfterMs"?)',
    ]);
  });

  it("a missing or empty providers list says so", () => {
    expect(issuesOf({})).toEqual(["providers: expected an array of providers"]);
    expect(issuesOf({ providers: [] })).toEqual(["providers: at least one provider is required"]);
    expect(issuesOf({ provider: [new ScriptedAdapter("a")] })).toEqual([
      '(root): unknown option "provider" (did you mean "providers"?)',
      "providers: expected an array of providers",
    ]);
  });

  it("a real provider passes", () => {
    expect(
      issuesOf({ providers: [openai({ client: new OpenAI({ apiKey: key }), model: "gpt-4.1" })] }),
    ).toEqual([]);
  });
});
