/**
 * What a suite that needs Redis does when `redis-server` is missing: skipped with a notice that says
 * how to run it on a laptop, a failure under `CI=true` (CI must not pass by running nothing). Checked
 * end to end: vitest runs a Redis suite (redis-server.test.ts) in a child process that cannot find
 * the binary.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const vitest = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url));

const runRedisSuite = (ci: boolean): Promise<{ code: number; output: string }> => {
  // The child is a vitest of its own: none of this worker's VITEST_* variables leak into it.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && name !== "CI"),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [vitest, "run", "test/helpers/redis-server.test.ts", "--reporter=verbose", "--color=false"],
      {
        cwd: root,
        env: {
          ...env,
          REDIS_SERVER_BIN: "/nonexistent/redis-server",
          NO_COLOR: "1",
          ...(ci ? { CI: "true" } : {}),
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
};

describe("describeWithRedis without redis-server", () => {
  it.concurrent("skips the suite loudly on a laptop: a notice that says how to install it", async ({
    expect,
  }) => {
    const { code, output } = await runRedisSuite(false);
    expect(code, output).toBe(0);
    expect(output).toContain('⚠ SKIPPED "a real redis-server for tests": redis-server is not installed');
    expect(output).toContain("apt-get install -y redis-server");
    expect(output).toMatch(/1 skipped/);
  }, 60_000);

  it.concurrent("fails the run under CI=true", async ({ expect }) => {
    const { code, output } = await runRedisSuite(true);
    expect(code, output).not.toBe(0);
    expect(output).toContain(
      "a real redis-server for tests: redis-server is not installed, and CI=true requires it",
    );
  }, 60_000);
});
