/**
 * A provider object is something apps log (`console.log(provider)`, a JSON logger dumping a config):
 * neither shows the key it was given.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { anthropic, azureOpenAI, mistral, openai, openaiCompatible, perplexity } from "../../src/index.js";

/** Does not look like a key: only keeping it out of sight keeps it out of the log. */
const KEY = "opensesame-4242";
const TOKEN = "gw-pass-7781";

describe("a logged provider shows no key", () => {
  it.each([
    ["openai", () => openai({ apiKey: KEY, defaultHeaders: { "x-gateway-token": TOKEN }, model: "gpt-4.1" })],
    [
      "openaiCompatible",
      () =>
        openaiCompatible({
          name: "gw",
          baseURL: "https://gw.example/v1",
          apiKey: KEY,
          headers: { "x-gateway-token": TOKEN },
          model: "llama",
        }),
    ],
    [
      "azureOpenAI",
      () =>
        azureOpenAI({
          endpoint: "https://x.openai.azure.com",
          apiKey: KEY,
          deployment: "d",
          apiVersion: "2024-10-21",
          model: "gpt-4.1",
        }),
    ],
    ["perplexity", () => perplexity({ apiKey: KEY, model: "sonar" })],
    ["anthropic", () => anthropic({ apiKey: KEY, model: "claude" })],
    ["mistral", () => mistral({ apiKey: KEY, headers: { "x-gateway-token": TOKEN }, model: "m" })],
  ])("%s", (_name, make) => {
    const provider = make();
    for (const shown of [
      inspect(provider, { depth: Infinity, showHidden: false }),
      JSON.stringify(provider),
    ]) {
      expect(shown).not.toContain(KEY);
      expect(shown).not.toContain(TOKEN);
    }
  });
});
