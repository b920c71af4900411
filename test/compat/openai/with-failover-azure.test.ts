import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverInfo, withFailover } from "../../../src/compat/openai/index.js";
import { anthropic } from "../../../src/providers/anthropic/index.js";
import { faults, type MockProviderGroup, startMockProviders } from "../../../src/testing/index.js";
import { collect, type Sdk, sdks, userMessage } from "./drop-in-fixture.js";

let mocks: MockProviderGroup<{ azure: object; anthropic: object }>;
beforeAll(async () => {
  mocks = await startMockProviders({ azure: {}, anthropic: {} });
});
afterAll(async () => {
  await mocks.close();
});
beforeEach(() => {
  mocks.reset();
});

const wrappedAzure = (sdk: Sdk) =>
  withFailover(
    new sdk.AzureOpenAI({
      endpoint: mocks.azure.baseURL,
      apiVersion: "2024-10-21",
      apiKey: "azure-test-key",
    }),
    {
      fallbacks: [
        anthropic({
          client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
          model: "claude-x",
        }),
      ],
      models: { "my-gpt-deployment": { anthropic: "claude-mapped" } },
      retry: { maxRetries: 0 },
    },
  );

describe.each(sdks)("withFailover(new AzureOpenAI()) with openai $major", (sdk) => {
  it("keeps the client an AzureOpenAI and calls the deployment named by the model", async () => {
    const azure = wrappedAzure(sdk);
    expect(azure).toBeInstanceOf(sdk.AzureOpenAI);
    const completion = await azure.chat.completions.create({
      model: "my-gpt-deployment",
      messages: userMessage(),
    });

    expect(completion.choices[0]?.message.content).toBe("Hello from azure");
    expect(getFailoverInfo(completion)).toMatchObject({ provider: "azure-openai", failedOver: false });
    expect(mocks.azure.lastRequest?.path).toBe(
      "/openai/deployments/my-gpt-deployment/chat/completions?api-version=2024-10-21",
    );
    expect(mocks.azure.lastRequest?.headers["api-key"]).toBe("[redacted]");
  });

  it("falls over to Anthropic, streaming and not", async () => {
    const azure = wrappedAzure(sdk);
    mocks.azure.script(faults.serverError(), faults.rateLimited({ retryAfter: "86400" }));
    const completion = await azure.chat.completions.create({
      model: "my-gpt-deployment",
      messages: userMessage(),
    });
    expect(completion.choices[0]?.message.content).toBe("Hello from anthropic");
    expect(getFailoverInfo(completion)).toMatchObject({ provider: "anthropic", model: "claude-mapped" });

    const stream = await azure.chat.completions.create({
      model: "my-gpt-deployment",
      messages: userMessage(),
      stream: true,
    });
    const text = (await collect(stream)).map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello from anthropic");
    expect(mocks.anthropic.requests.map((r) => r.model)).toEqual(["claude-mapped", "claude-mapped"]);
  });
});
