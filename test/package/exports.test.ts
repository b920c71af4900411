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
 * dependencies (zod, cockatiel) and none of the optional provider SDKs, then loads it both ways.
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
       const names = ["createClient", "openai", "azureOpenAI", "anthropic", "mistral", "openaiCompatible", "perplexity", "withFailover"];
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

  it("ships types for both entry points and both module systems", () => {
    for (const file of ["index.d.ts", "index.d.cts", "testing/index.d.ts", "testing/index.d.cts"]) {
      expect(() => cpSync(join(root, "dist", file), join(project, "probe.d.ts"))).not.toThrow();
    }
  });
});
