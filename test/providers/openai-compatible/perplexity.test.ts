import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { perplexity } from "../../../src/providers/openai-compatible/index.js";
import { faults, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { API_KEY, attempt, collect, request } from "../openai/helpers.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ kind: "openai", name: "perplexity" });
});
beforeEach(() => mock.reset());
afterEach(() => vi.unstubAllEnvs());
afterAll(() => mock.close());

const sources = {
  citations: ["https://example.com/a", "https://example.com/b"],
  search_results: [{ title: "A", url: "https://example.com/a", date: "2026-01-01" }],
};

describe("perplexity", () => {
  it("is openaiCompatible named perplexity", () => {
    expect(perplexity({ apiKey: API_KEY, model: "sonar" })).toMatchObject({
      name: "perplexity",
      kind: "openai-compatible",
      domain: "perplexity",
      model: "sonar",
    });
  });

  it("keeps citations and search_results in the non-stream raw body", async () => {
    mock.script(faults.reply({ text: "Answer [1]", extra: sources }));
    const p = perplexity({ apiKey: API_KEY, baseURL: mock.baseURL, model: "sonar" });
    const result = await p.generate(request({ model: "sonar" }), attempt());
    expect(result.text).toBe("Answer [1]");
    expect(result.raw).toMatchObject(sources);
  });

  it("keeps citations and search_results in the stream's finish raw", async () => {
    mock.script(faults.reply({ text: "Answer [1]", extra: sources }));
    const p = perplexity({ apiKey: API_KEY, baseURL: mock.baseURL, model: "sonar" });
    const { text, finish } = await collect(await p.stream(request({ model: "sonar" }), attempt()));
    expect(text).toBe("Answer [1]");
    expect(finish?.raw).toEqual(sources);
  });

  it("calls https://api.perplexity.ai with the key from PERPLEXITY_API_KEY", async () => {
    vi.stubEnv("PERPLEXITY_API_KEY", "pplx-from-env");
    const seen: { url: string; auth: string | null }[] = [];
    const p = perplexity({
      model: "sonar-pro",
      fetch: async (input, init) => {
        seen.push({ url: String(input), auth: new Headers(init?.headers).get("authorization") });
        return new Response(
          JSON.stringify({
            id: "x",
            model: "sonar-pro",
            choices: [{ message: { content: "hi" }, finish_reason: "stop" }],
          }),
          { headers: { "content-type": "application/json" } },
        );
      },
    });
    expect((await p.generate(request({ model: "sonar-pro" }), attempt())).text).toBe("hi");
    expect(seen).toEqual([
      { url: "https://api.perplexity.ai/chat/completions", auth: "Bearer pplx-from-env" },
    ]);
  });
});
