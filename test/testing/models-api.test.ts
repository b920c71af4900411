/** The mock's models API (what `verify()` calls), through each real SDK. */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import { describe, expect, it } from "vitest";
import { startMockProvider } from "../../src/testing/index.js";

describe("mock models API", () => {
  it("OpenAI: list and retrieve; a model outside `models` is OpenAI's 404", async () => {
    const mock = await startMockProvider({ kind: "openai", models: ["gpt-4.1", "gpt-4.1-mini"] });
    try {
      const client = new OpenAI({ apiKey: "k", baseURL: mock.baseURL, maxRetries: 0 });
      const page = await client.models.list();
      expect(page.data.map((m) => m.id)).toEqual(["gpt-4.1", "gpt-4.1-mini"]);
      expect(await client.models.retrieve("gpt-4.1")).toMatchObject({ id: "gpt-4.1", object: "model" });
      const error = await client.models.retrieve("gpt-5-typo").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(mock.requests.map((r) => `${r.method} ${r.path} ${r.fault}`)).toEqual([
        "GET /v1/models reply",
        "GET /v1/models/gpt-4.1 reply",
        "GET /v1/models/gpt-5-typo not-found",
      ]);
    } finally {
      await mock.close();
    }
  });

  it("Azure: /openai/models needs api-version, as the service does", async () => {
    const mock = await startMockProvider({ kind: "azure" });
    try {
      const client = new AzureOpenAI({
        apiKey: "k",
        endpoint: mock.url,
        apiVersion: "2024-10-21",
        maxRetries: 0,
      });
      expect((await client.models.list()).data[0]).toMatchObject({ object: "model" });
      expect((await fetch(`${mock.url}/openai/models`)).status).toBe(404);
    } finally {
      await mock.close();
    }
  });

  it("Anthropic and Mistral: retrieve parses with their SDKs' own types", async () => {
    const [an, mi] = await Promise.all([
      startMockProvider({ kind: "anthropic" }),
      startMockProvider({ kind: "mistral" }),
    ]);
    try {
      const anthropic = new Anthropic({ apiKey: "k", baseURL: an.url, maxRetries: 0 });
      expect(await anthropic.models.retrieve("claude-sonnet-4-6")).toMatchObject({
        type: "model",
        id: "claude-sonnet-4-6",
      });
      expect((await anthropic.models.list()).data).toHaveLength(1);
      const mistral = new Mistral({ apiKey: "k", serverURL: mi.url });
      expect(await mistral.models.retrieve({ modelId: "mistral-large-latest" })).toMatchObject({
        id: "mistral-large-latest",
        type: "base",
        capabilities: { completionChat: true },
      });
      expect((await mistral.models.list()).data).toHaveLength(1);
    } finally {
      await Promise.all([an.close(), mi.close()]);
    }
  });
});
