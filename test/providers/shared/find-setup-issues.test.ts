/**
 * A fallback that cannot work is found when the client is created, not during the outage: a
 * provider built from plain options with no credentials where its SDK would look for them (or
 * whose SDK is missing: see test/package/exports.test.ts, in an app without the SDKs).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient } from "../../../src/engine/create-client.js";
import { isConfigError } from "../../../src/errors/config-error.js";
import {
  anthropic,
  azureOpenAI,
  mistral,
  openai,
  openaiCompatible,
  perplexity,
  withFailover,
} from "../../../src/index.js";
import { isPackageInstalled } from "../../../src/providers/shared/find-setup-issues.js";
import type { ProviderAdapter } from "../../../src/spec/provider.js";

const credentialVariables = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "AZURE_OPENAI_API_KEY",
  "AZURE_OPENAI_ENDPOINT",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "ANTHROPIC_PROFILE",
  "ANTHROPIC_FEDERATION_RULE_ID",
  "ANTHROPIC_CONFIG_DIR",
  "XDG_CONFIG_HOME",
  "MISTRAL_API_KEY",
  "PERPLEXITY_API_KEY",
];

/** The issues `createClient` reports for these providers. */
const issuesOf = (...providers: ProviderAdapter[]): string[] => {
  try {
    createClient({ providers });
    return [];
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
};

let home: string;

beforeEach(() => {
  // No credentials anywhere the SDKs look: no variables, and a home without ~/.config/anthropic.
  home = mkdtempSync(join(tmpdir(), "ai-failover-home-"));
  for (const name of credentialVariables) vi.stubEnv(name, undefined);
  vi.stubEnv("HOME", home);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

describe("createClient refuses a provider with no credentials, naming the fix", () => {
  it.each([
    ["openai", () => openai({ model: "gpt-4.1" }), "no API key: pass apiKey or set OPENAI_API_KEY"],
    [
      "anthropic",
      () => anthropic({ model: "claude-sonnet-4-6" }),
      "no credentials: pass apiKey (or authToken) or set ANTHROPIC_API_KEY",
    ],
    [
      "mistral",
      () => mistral({ model: "mistral-large-latest" }),
      "no API key: pass apiKey or set MISTRAL_API_KEY",
    ],
    ["perplexity", () => perplexity({ model: "sonar" }), "no API key: pass apiKey or set PERPLEXITY_API_KEY"],
  ])("%s", (name, make, issue) => {
    expect(issuesOf(make())).toEqual([`providers[0] (${name}): ${issue}`]);
  });

  it("azureOpenAI: credentials and an endpoint", () => {
    expect(issuesOf(azureOpenAI({ model: "gpt-4.1" }))).toEqual([
      "providers[0] (azure-openai): no credentials: pass apiKey or azureADTokenProvider, or set AZURE_OPENAI_API_KEY",
      "providers[0] (azure-openai): no endpoint: pass endpoint or set AZURE_OPENAI_ENDPOINT",
    ]);
    expect(
      issuesOf(
        azureOpenAI({
          model: "gpt-4.1",
          endpoint: "https://r.openai.azure.com",
          azureADTokenProvider: async () => "token",
        }),
      ),
    ).toEqual([]);
  });

  it("every provider's problems at once, each at its place", () => {
    const ok = openai({ model: "gpt-4.1", apiKey: "sk-test-123456" });
    expect(issuesOf(ok, anthropic({ model: "claude-sonnet-4-6" }), mistral({ model: "m" }))).toEqual([
      "providers[1] (anthropic): no credentials: pass apiKey (or authToken) or set ANTHROPIC_API_KEY",
      "providers[2] (mistral): no API key: pass apiKey or set MISTRAL_API_KEY",
    ]);
  });

  it("withFailover names the fallback as it was written", () => {
    let issues: string[] = [];
    try {
      withFailover(new OpenAI({ apiKey: "sk-test-123456" }), {
        fallbacks: [mistral({ model: "m", apiKey: "k-123456" }), anthropic({ model: "claude-sonnet-4-6" })],
      });
    } catch (error) {
      if (isConfigError(error)) issues = error.issues;
    }
    expect(issues).toEqual([
      "withFailover.fallbacks[1] (anthropic): no credentials: pass apiKey (or authToken) or set ANTHROPIC_API_KEY",
    ]);
  });
});

describe("createClient accepts credentials wherever the SDK would find them", () => {
  it.each([
    ["OPENAI_API_KEY", () => openai({ model: "gpt-4.1" })],
    ["ANTHROPIC_API_KEY", () => anthropic({ model: "claude-sonnet-4-6" })],
    ["ANTHROPIC_AUTH_TOKEN", () => anthropic({ model: "claude-sonnet-4-6" })],
    ["ANTHROPIC_PROFILE", () => anthropic({ model: "claude-sonnet-4-6" })],
    ["MISTRAL_API_KEY", () => mistral({ model: "mistral-large-latest" })],
  ])("%s in the environment", (variable, make) => {
    vi.stubEnv(variable, "from-the-environment");
    expect(issuesOf(make())).toEqual([]);
  });

  it("AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT", () => {
    vi.stubEnv("AZURE_OPENAI_API_KEY", "k");
    vi.stubEnv("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com");
    expect(issuesOf(azureOpenAI({ model: "gpt-4.1" }))).toEqual([]);
  });

  it("PERPLEXITY_API_KEY, read when the provider is made", () => {
    vi.stubEnv("PERPLEXITY_API_KEY", "pplx-123456");
    expect(issuesOf(perplexity({ model: "sonar" }))).toEqual([]);
  });

  it("a blank variable is no key", () => {
    vi.stubEnv("OPENAI_API_KEY", "  ");
    expect(issuesOf(openai({ model: "gpt-4.1" }))).toHaveLength(1);
  });

  it("an Anthropic config directory (profiles, workload identity)", () => {
    mkdirSync(join(home, ".config/anthropic/configs"), { recursive: true });
    expect(issuesOf(anthropic({ model: "claude-sonnet-4-6" }))).toEqual([]);
  });

  it("an auth header, an options key, or a client of the user's own", () => {
    expect(
      issuesOf(
        anthropic({ model: "claude-sonnet-4-6", defaultHeaders: { "X-Api-Key": "k-123456" } }),
        openai({ model: "gpt-4.1", apiKey: "sk-test-123456" }),
        mistral({ model: "m", apiKey: async () => "k" }),
        openai({ name: "mine", client: new OpenAI({ apiKey: "sk-test-123456" }), model: "gpt-4.1" }),
        anthropic({ name: "theirs", client: new Anthropic({ apiKey: "k" }), model: "claude-sonnet-4-6" }),
      ),
    ).toEqual([]);
  });

  it("an OpenAI-compatible server needs no key (Ollama, vLLM)", () => {
    expect(
      issuesOf(openaiCompatible({ name: "ollama", baseURL: "http://localhost:11434/v1", model: "llama3" })),
    ).toEqual([]);
  });
});

describe("isPackageInstalled", () => {
  it("finds installed SDKs without importing them, ESM-only ones included", () => {
    expect(isPackageInstalled("openai")).toBe(true);
    expect(isPackageInstalled("@anthropic-ai/sdk")).toBe(true);
    expect(isPackageInstalled("@mistralai/mistralai")).toBe(true);
    expect(isPackageInstalled("@ai-failover/no-such-package")).toBe(false);
  });
});
