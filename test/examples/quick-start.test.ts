import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

it("the README quick start (examples/quick-start.ts) runs as written against the mock servers", async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "examples/quick-start.ts"],
    { cwd: root, timeout: 30_000 },
  );
  expect(stdout).toContain("Hello from anthropic anthropic");
  expect(stdout).toMatch(
    /provider: 'openai'[\s\S]*outcome: 'server_error'[\s\S]*provider: 'anthropic'[\s\S]*outcome: 'ok'/,
  );
  expect(stdout.trimEnd().endsWith("Hello from anthropic")).toBe(true);
  expect(stderr).toBe("");
});

it("the README shows the quick start exactly as the example runs it", () => {
  const example = readFileSync(new URL("examples/quick-start.ts", `file://${root}`), "utf8");
  const readme = readFileSync(new URL("README.md", `file://${root}`), "utf8");
  const snippet = example
    .split("// quick-start:begin\n")[1]!
    .split("// quick-start:end")[0]!
    .split("\n")
    .filter((line) => !line.startsWith("// biome-ignore"))
    .join("\n")
    .trim();
  expect(readme).toContain(snippet);
});
