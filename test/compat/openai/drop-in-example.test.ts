import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

it("examples/drop-in.ts runs against the mock providers and exits 0", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "examples/drop-in.ts"], {
    cwd: root,
    timeout: 30_000,
  });
  expect(stdout).toContain("[openai / gpt-4.1] Hello from openai");
  expect(stdout).toContain("[anthropic / claude-sonnet-4-6] Hello from anthropic");
  expect(stdout).toContain('[anthropic] streamed: {"city":"Oslo"}');
  expect(stdout).toContain("[mistral / mistral-large-latest] Hello from mistral");
});
