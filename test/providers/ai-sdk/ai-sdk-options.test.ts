import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aiSdk, createClient, isConfigError } from "../../../src/index.js";
import { nameAiSdkProvider } from "../../../src/providers/ai-sdk/name-ai-sdk-provider.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { attempt, caught, collect, MODELS, request, sdkModel } from "./helpers.js";
import { asOlderSpec, type Recorded } from "./spec-versions.js";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe("aiSdk(): names and failure domains", () => {
  it.each([
    ["openai.chat", "openai", "openai"],
    ["openai.responses", "openai", "openai"],
    ["azure.chat", "azure", "openai"],
    ["anthropic.messages", "anthropic", "anthropic"],
    ["google.generative-ai", "google", "google"],
    ["google.vertex.chat", "vertex", "google"],
    ["google.vertex.anthropic.messages", "vertex-anthropic", "google"],
    ["amazon-bedrock", "bedrock", "aws"],
    ["groq.chat", "groq", "groq"],
    ["xai.chat", "xai", "xai"],
    ["mistral.chat", "mistral", "mistral"],
    ["my provider/v2", "my-provider-v2", "my-provider-v2"],
  ])("%s → name %s, domain %s", (provider, name, domain) => {
    expect(nameAiSdkProvider(provider)).toEqual({ name, domain });
  });

  it("takes them from the real provider packages, and `name` / `domain` override them", () => {
    const origin = { url: "http://127.0.0.1:9", baseURL: "http://127.0.0.1:9/v1" };
    expect(
      ["openai", "anthropic", "google"].map((k) => {
        const adapter = aiSdk({ model: sdkModel(k as never, origin) });
        return [adapter.name, adapter.domain, adapter.model, adapter.kind];
      }),
    ).toEqual([
      ["openai", "openai", MODELS.openai, "ai-sdk"],
      ["anthropic", "anthropic", MODELS.anthropic, "ai-sdk"],
      ["google", "google", MODELS.google, "ai-sdk"],
    ]);
    const named = aiSdk({
      model: sdkModel("google", origin),
      name: "gemini-eu",
      domain: "gcp-eu",
      contextWindow: 1_048_576,
    });
    expect([named.name, named.domain, named.contextWindow]).toEqual(["gemini-eu", "gcp-eu", 1_048_576]);
  });

  it("an AI SDK openai model shares the 'openai' domain with the native OpenAI adapter", () => {
    const origin = { url: "http://127.0.0.1:9", baseURL: "http://127.0.0.1:9/v1" };
    const client = createClient({
      providers: [aiSdk({ model: sdkModel("openai", origin), name: "openai-sdk" })],
    });
    expect(client.providers).toEqual(["openai-sdk"]);
    expect(aiSdk({ model: sdkModel("openai", origin) }).domain).toBe("openai");
  });

  it("rejects bad options with a ConfigError that names the field", () => {
    const origin = { url: "http://127.0.0.1:9", baseURL: "http://127.0.0.1:9/v1" };
    for (const [options, field] of [
      [{}, "aiSdk.model"],
      [{ model: "gemini-2.5-pro" }, "aiSdk.model"],
      [
        {
          model: { specificationVersion: "v1", provider: "x", modelId: "y", doGenerate() {}, doStream() {} },
        },
        "aiSdk.model",
      ],
      [{ model: sdkModel("google", origin), name: "bad name" }, "aiSdk.name"],
      [{ model: sdkModel("google", origin), extra: {} }, "extra"],
      [{ model: sdkModel("google", origin), headers: { a: 1 } }, "aiSdk.headers"],
    ] as const) {
      const error = (() => {
        try {
          aiSdk(options as never);
        } catch (e) {
          return e as { issues: string[] };
        }
      })();
      expect(isConfigError(error), JSON.stringify(options)).toBe(true);
      expect(error!.issues.join("\n")).toContain(field);
    }
  });
});

describe("aiSdk(): calls", () => {
  let mock: MockProvider;
  let images: Server;
  let imageURL: string;
  beforeAll(async () => {
    mock = await startMockProvider({ kind: "google" });
    images = createServer((req, res) => {
      if (req.url === "/cat.png") {
        res.writeHead(200, { "content-type": "image/png", "content-length": String(PNG.length) });
        res.end(PNG);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
    imageURL = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await mock.close();
    await new Promise((resolve) => images.close(resolve));
  });
  beforeEach(() => mock.reset());

  it("refuses a per-call model it cannot serve (a model object is bound to its id)", async () => {
    const error = await caught(() =>
      aiSdk({ model: sdkModel("google", mock) }).generate(
        request("google", { model: "gemini-2.5-pro" }),
        attempt(),
      ),
    );
    expect(error).toMatchObject({ failureClass: "bad_request", provider: "google" });
    expect(error.detail).toMatch(/serves gemini-2\.5-flash only/);
    expect(mock.callCount).toBe(0);
  });

  it("providerOptions and headers of the factory reach every call; per-call ones merge over them", async () => {
    const adapter = aiSdk({
      model: sdkModel("google", mock),
      providerOptions: { google: { thinkingConfig: { thinkingBudget: 0 }, labels: { team: "a" } } },
      headers: { "x-team": "a" },
    });
    await adapter.generate(request("google", { extra: { google: { labels: { team: "b" } } } }), attempt());
    const body = mock.lastRequest!.body as any;
    expect(body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 0 });
    expect(body.labels).toEqual({ team: "b" });
    expect(mock.lastRequest!.headers["x-team"]).toBe("a");
  });

  it("an image URL the model fetches itself is passed as a URL; any other is downloaded first", async () => {
    const adapter = aiSdk({ model: sdkModel("google", mock) });
    await adapter.generate(
      request("google", {
        messages: [
          {
            role: "user",
            content: [
              { type: "image", image: "https://example.com/cat.png", mediaType: "image/png" },
              { type: "image", image: new URL(`${imageURL}/cat.png`) },
            ],
          },
        ],
      }),
      attempt(),
    );
    const parts = (mock.lastRequest!.body as any).contents[0].parts;
    expect(parts[0]).toEqual({ fileData: { mimeType: "image/png", fileUri: "https://example.com/cat.png" } });
    expect(parts[1]).toEqual({ inlineData: { mimeType: "image/png", data: PNG.toString("base64") } });
  });

  it("an image that cannot be downloaded is a bad request naming only the host", async () => {
    const error = await caught(() =>
      aiSdk({ model: sdkModel("google", mock) }).generate(
        request("google", {
          messages: [{ role: "user", content: [{ type: "image", image: `${imageURL}/secret-token/x.png` }] }],
        }),
        attempt(),
      ),
    );
    expect(error).toMatchObject({ failureClass: "bad_request" });
    expect(error.detail).toContain("HTTP 404");
    expect(error.detail).not.toContain("secret-token");
    expect(mock.callCount).toBe(0);
  });

  describe.each(["v3", "v2"] as const)("a specification %s model", (version) => {
    it("generate and stream: untagged file data in, its finish reason and usage shapes out", async () => {
      const recorded: Recorded = { calls: [] };
      const adapter = aiSdk({ model: asOlderSpec(sdkModel("google", mock), version, recorded) as never });
      mock.script(faults.reply({ usage: { inputTokens: 10, outputTokens: 4, cachedInputTokens: 3 } }));
      const image = { type: "image" as const, image: new Uint8Array(PNG) };
      const response = await adapter.generate(
        request("google", { messages: [{ role: "user", content: [{ type: "text", text: "see" }, image] }] }),
        attempt(),
      );
      expect(response.text).toBe("Hello from google");
      expect(response.finishReason).toEqual({ unified: "stop", raw: version === "v3" ? "STOP" : "stop" });
      expect(response.usage).toEqual({
        inputTokens: 10,
        outputTokens: 4,
        cachedInputTokens: 3,
        totalTokens: 14,
      });
      const file = recorded.calls[0]!.prompt[0].content[1];
      expect(file).toMatchObject({ type: "file", mediaType: "image/png" });
      expect(file.data).toBeInstanceOf(Uint8Array);
      expect((mock.lastRequest!.body as any).contents[0].parts[1].inlineData.data).toBe(
        PNG.toString("base64"),
      );

      mock.script(faults.reply({ text: "abcdefgh", chunkSize: 3 }));
      const { text, finish } = await collect(await adapter.stream(request("google"), attempt()));
      expect(text).toBe("abcdefgh");
      expect(finish).toMatchObject({ finishReason: { unified: "stop" }, model: MODELS.google });
      // The stream's end with no finish reason, as each version says it: a truncation, not a success.
      mock.script(faults.noTerminal());
      expect((await collect(await adapter.stream(request("google"), attempt()))).finish).toBeUndefined();
    });
  });
});
