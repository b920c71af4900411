import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const run = (cwd: string, file: string): string =>
  execFileSync(process.execPath, [file], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });

/**
 * Builds the package with tsup, installs it into a scratch project that has only the runtime
 * dependencies (zod, cockatiel) and none of the optional provider SDKs, then loads it both ways
 * (the AI SDK entry point once without, then with `@ai-sdk/provider`).
 */
describe("the built package", () => {
  let project: string;

  beforeAll(() => {
    execFileSync(process.execPath, [join(root, "node_modules/tsup/dist/cli-default.js")], {
      cwd: root,
      stdio: "pipe",
    });
    project = mkdtempSync(join(tmpdir(), "ai-failover-pkg-"));
    const installed = join(project, "node_modules/ai-failover");
    mkdirSync(installed, { recursive: true });
    cpSync(join(root, "dist"), join(installed, "dist"), { recursive: true });
    cpSync(join(root, "package.json"), join(installed, "package.json"));
    for (const dep of ["zod", "cockatiel"])
      symlinkSync(join(root, "node_modules", dep), join(project, "node_modules", dep));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  }, 120_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("loads with require() (CJS) without any provider SDK installed", () => {
    writeFileSync(
      join(project, "main.cjs"),
      `const lib = require("ai-failover");
       const testing = require("ai-failover/testing");
       const names = ["createClient", "openai", "azureOpenAI", "anthropic", "mistral", "openaiCompatible", "perplexity", "withFailover", "aiSdk"];
       console.log(JSON.stringify({ missing: names.filter((n) => typeof lib[n] !== "function"), testing: typeof testing.startMockProvider }));`,
    );
    expect(JSON.parse(run(project, "main.cjs"))).toEqual({ missing: [], testing: "function" });
  });

  it("loads with import (ESM) and reports a clear error only when a missing SDK is needed", () => {
    writeFileSync(
      join(project, "main.mjs"),
      `import { createClient, mistral, isConfigError } from "ai-failover";
       import { startMockProvider } from "ai-failover/testing";
       const mock = await startMockProvider({ kind: "mistral" });
       const client = createClient({ providers: [mistral({ apiKey: "k", serverURL: mock.baseURL, model: "mistral-large-latest" })] });
       let message = "";
       try { await client.chat({ messages: [{ role: "user", content: "hi" }] }); } catch (e) { message = String(e?.message ?? e); }
       await mock.close();
       try { createClient({ providers: [] }); } catch (e) { console.log(JSON.stringify({ config: isConfigError(e), message })); }`,
    );
    const out = JSON.parse(run(project, "main.mjs"));
    expect(out.config).toBe(true);
    expect(out.message).toMatch(/@mistralai\/mistralai/);
  });

  it("ai-failover/ai-sdk needs @ai-sdk/provider, and says so when it is missing", () => {
    writeFileSync(
      join(project, "ai-sdk-missing.mjs"),
      `try { await import("ai-failover/ai-sdk"); console.log("loaded"); } catch (e) { console.log(String(e.message)); }`,
    );
    expect(run(project, "ai-sdk-missing.mjs")).toMatch(/@ai-sdk\/provider/);
  });

  it("aiSdk() (root entry, no AI SDK package needed) and failoverModel() (ai-failover/ai-sdk) work both ways", () => {
    // The scratch project gets @ai-sdk/provider (what `ai` brings) and nothing else of the AI SDK.
    mkdirSync(join(project, "node_modules/@ai-sdk"), { recursive: true });
    symlinkSync(join(root, "node_modules/@ai-sdk/provider"), join(project, "node_modules/@ai-sdk/provider"));
    symlinkSync(join(root, "node_modules/json-schema"), join(project, "node_modules/json-schema"));
    // A hand-written v4 model, as any third-party provider package builds one.
    const model = `{
      specificationVersion: "v4", provider: "custom.chat", modelId: "m-1", supportedUrls: {},
      doGenerate: async () => ({ content: [{ type: "text", text: "hello" }], finishReason: { unified: "stop", raw: "done" },
        usage: { inputTokens: { total: 3 }, outputTokens: { total: 1 } }, warnings: [] }),
      doStream: async () => ({ stream: new ReadableStream({ start(c) {
        for (const part of [{ type: "stream-start", warnings: [] }, { type: "text-delta", id: "0", delta: "hello" },
          { type: "finish", finishReason: { unified: "stop", raw: "done" }, usage: { inputTokens: { total: 3 }, outputTokens: { total: 1 } } }]) c.enqueue(part);
        c.close();
      } }) }),
    }`;
    const prompt = `[{ role: "user", content: [{ type: "text", text: "hi" }] }]`;
    writeFileSync(
      join(project, "ai-sdk.cjs"),
      `const { createClient, aiSdk } = require("ai-failover");
       const { failoverModel } = require("ai-failover/ai-sdk");
       const fm = failoverModel(createClient({ providers: [aiSdk({ model: ${model} })] }));
       fm.doGenerate({ prompt: ${prompt} }).then((r) => console.log(JSON.stringify({ v: fm.specificationVersion, text: r.content[0].text, served: r.providerMetadata.aiFailover.provider })));`,
    );
    writeFileSync(
      join(project, "ai-sdk.mjs"),
      `import { createClient, aiSdk } from "ai-failover";
       import { failoverModel } from "ai-failover/ai-sdk";
       const fm = failoverModel(createClient({ providers: [aiSdk({ model: ${model} })] }));
       const r = await fm.doGenerate({ prompt: ${prompt} });
       console.log(JSON.stringify({ v: fm.specificationVersion, text: r.content[0].text, served: r.providerMetadata.aiFailover.provider }));`,
    );
    const expected = { v: "v4", text: "hello", served: "custom" };
    expect(JSON.parse(run(project, "ai-sdk.cjs"))).toEqual(expected);
    expect(JSON.parse(run(project, "ai-sdk.mjs"))).toEqual(expected);
  });

  it("ships types for every entry point and both module systems", () => {
    for (const file of [
      "index.d.ts",
      "index.d.cts",
      "testing/index.d.ts",
      "testing/index.d.cts",
      "ai-sdk/index.d.ts",
      "ai-sdk/index.d.cts",
    ]) {
      expect(() => cpSync(join(root, "dist", file), join(project, "probe.d.ts"))).not.toThrow();
    }
  });
});
