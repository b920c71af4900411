/**
 * `npm run demo` as a user runs it: a child process (so the test also proves the process ends on its
 * own, with every server and timer closed), output piped (the CI, non-TTY mode).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { questions } from "../../examples/demo/load.js";
import { startMockProviders } from "../../src/testing/index.js";
import { findRedisServer } from "../helpers/redis-server.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs examples/demo.ts with tsx under this Node; no provider keys in its environment. */
const runDemo = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const { OPENAI_API_KEY: _o, ANTHROPIC_API_KEY: _a, MISTRAL_API_KEY: _m, ...baseEnv } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "examples/demo.ts", ...args], {
      cwd: root,
      env: { ...baseEnv, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

/** The number in the summary row that starts with `label`. */
const summaryNumber = (stdout: string, label: string): number => {
  const match = new RegExp(`^\\s+${label}\\s+([\\d,]+)`, "m").exec(stdout);
  if (!match) throw new Error(`no "${label}" row in the summary:\n${stdout}`);
  return Number(match[1]!.replaceAll(",", ""));
};

// The runs are child processes: they go side by side.
describe.concurrent("npm run demo", () => {
  it("survives the 2024-12-11 outage drill without losing a call, and exits on its own", async ({
    expect,
  }) => {
    const { code, stdout, stderr } = await runDemo(["--duration", "6"]);

    expect(stderr).not.toMatch(/still open|demo failed/);
    expect(code, stdout + stderr).toBe(0);
    // The phases ran, and the live view printed plain lines (no ANSI when piped).
    for (const phase of ["healthy", "503s climbing", "hanging", "recovered"]) expect(stdout).toContain(phase);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for ANSI escapes
    expect(stdout).not.toMatch(/\x1b\[/);
    // The breaker opened, live and in the summary.
    expect(stdout).toMatch(/breaker openai\/gpt-4\.1: closed → open/);
    expect(summaryNumber(stdout, "breaker opened")).toBeGreaterThanOrEqual(1);
    // Zero failed calls, failovers shown.
    expect(summaryNumber(stdout, "calls made")).toBeGreaterThan(0);
    expect(summaryNumber(stdout, "calls failed")).toBe(0);
    expect(summaryNumber(stdout, "failovers")).toBeGreaterThan(0);
    expect(stdout).toMatch(/requests to openai\s+\d+\s+after its breaker opened/);
    expect(stdout).toMatch(/time to recover\s+\d/);
    expect(stdout).toContain("No call lost");
    // The header says what the load is; the summary measures what was in flight.
    expect(stdout).toMatch(/Its traffic: 12 simulated clients, each making one call at a time/);
    const title = /^Summary · dec-11 · [\d.]+ s · 12 clients, ([\d.]+) calls in flight on average$/m.exec(
      stdout,
    );
    expect(title, stdout).not.toBeNull();
    expect(Number(title![1])).toBeGreaterThan(0);
    expect(Number(title![1])).toBeLessThan(12);
    // The header and the summary fit 100 columns (the per-second status lines are log lines).
    const lines = stdout.split("\n");
    const header = lines.slice(
      0,
      lines.findIndex((line) => line.startsWith("[")),
    );
    const summary = lines.slice(lines.findIndex((line) => line.startsWith("Summary ·")));
    expect(header.length).toBeGreaterThan(5);
    expect(summary.length).toBeGreaterThan(15);
    for (const line of [...header, ...summary]) expect([...line].length, line).toBeLessThanOrEqual(100);
    // No prompt text in the output.
    for (const question of questions) expect(stdout).not.toContain(question);
  }, 30_000);

  it("prints its usage with --help", async ({ expect }) => {
    const { code, stdout } = await runDemo(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--duration/);
    expect(stdout).toMatch(/dec-26/);
  });

  it("rejects a bad flag with exit code 2", async ({ expect }) => {
    const { code, stderr } = await runDemo(["--scenario", "nope"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--scenario: expected one of dec-11, dec-26, flaky/);
  });

  it("--real without keys says which are missing and sends nothing", async ({ expect }) => {
    const { code, stderr } = await runDemo(["--real"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/OPENAI_API_KEY/);
    expect(stderr).toMatch(/Nothing was sent/);
  });

  it("--real runs its short flow with the keys it finds (SDKs pointed at local mocks here)", async ({
    expect,
  }) => {
    const mocks = await startMockProviders({ openai: {}, anthropic: {} });
    try {
      const key = "sk-this-key-must-not-be-printed";
      const { code, stdout, stderr } = await runDemo(["--real"], {
        OPENAI_API_KEY: key,
        OPENAI_BASE_URL: mocks.openai.baseURL,
        ANTHROPIC_API_KEY: key,
        ANTHROPIC_BASE_URL: mocks.anthropic.baseURL,
      });
      expect(code, stdout + stderr).toBe(0);
      expect(stdout).toMatch(/fallbacks: \[anthropic\]/);
      expect(stdout).toMatch(/#6 (chat|stream) +answered by openai/);
      expect(stdout + stderr).not.toContain(key);
      for (const question of questions) expect(stdout).not.toContain(question);
      expect(mocks.openai.callCount).toBe(6);
      expect(mocks.anthropic.callCount).toBe(0);
    } finally {
      await mocks.close();
    }
  });
});

// The fleet drill starts several processes of its own: not beside the other runs, which it would slow.
describe("npm run demo -- --fleet", () => {
  it("--fleet 2: two fleets of instance processes side by side; the one sharing Redis costs the dead OpenAI fewer requests", async ({
    expect,
    skip,
  }) => {
    if (!findRedisServer()) {
      if (process.env.CI === "true" || process.env.CI === "1")
        throw new Error("CI=true requires redis-server");
      console.warn("⚠ SKIPPED the --fleet demo: redis-server is not installed");
      skip();
    }
    const { code, stdout, stderr } = await runDemo(["--fleet", "2", "--duration", "8", "-c", "4"]);
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toMatch(/two fleets side by side/);
    const row = (label: string) => {
      const match = new RegExp(`^\\s+${label}\\s+(\\d+)\\s+(\\d+)$`, "m").exec(stdout);
      if (!match) throw new Error(`no "${label}" row:\n${stdout}`);
      return { alone: Number(match[1]), shared: Number(match[2]) };
    };
    const down = row("requests to OpenAI while it was down");
    expect(down.shared).toBeLessThan(down.alone);
    expect(row("calls failed")).toEqual({ alone: 0, shared: 0 });
    expect(stdout).toContain("No call lost in either fleet.");
  }, 120_000);

  it("--fleet without redis-server says how to install it and starts nothing", async ({ expect }) => {
    const { code, stderr } = await runDemo(["--fleet", "2"], {
      REDIS_SERVER_BIN: "/nonexistent/redis-server",
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/redis-server is not installed/);
    expect(stderr).toMatch(/apt-get install -y redis-server/);
  });
});
