/**
 * A real `redis-server` for tests: started on a free loopback port, stopped by its PID, never a
 * system service. Suites that need it use {@link describeWithRedis}: without the binary they skip
 * loudly on a laptop and fail under `CI=true` (`.ci/run` installs Debian's `redis-server`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { describe } from "vitest";

import { findRedisServer, freePort, pingRedis, redisServerArgs } from "../../examples/demo/local-redis.js";

export { findRedisServer, freePort, pingRedis };

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** PID of the running server (changes on {@link restart}). */
  readonly pid: number | undefined;
  /** SIGKILL: the server dies at once, connections are reset. */
  kill(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but never answers (a black hole). */
  pause(): void;
  /** SIGCONT after {@link pause}. */
  resume(): void;
  /** Starts a fresh, empty server on the same port (after {@link kill}, or kills the running one first). */
  restart(): Promise<void>;
  /** Stops the server (SIGCONT first if paused) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

const waitForExit = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));

/** Starts `redis-server` on a free port with persistence off. Throws if the binary is missing. */
export const startRedisServer = async (): Promise<RedisServer> => {
  const binary = findRedisServer();
  if (!binary) throw new Error("redis-server is not installed (apt-get install -y redis-server)");
  const port = await freePort();
  let child: ChildProcess | undefined;
  let paused = false;

  const launch = async (): Promise<void> => {
    const proc = spawn(binary, redisServerArgs(port), { stdio: "ignore" });
    child = proc;
    const started = Date.now();
    while (!(await pingRedis(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with code ${proc.exitCode}`);
      if (Date.now() - started > 10_000) {
        proc.kill("SIGKILL");
        throw new Error(`redis-server did not answer on port ${port} within 10 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    if (!proc) return;
    if (paused) {
      proc.kill("SIGCONT");
      paused = false;
    }
    proc.kill("SIGKILL");
    await waitForExit(proc);
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    kill,
    pause() {
      child?.kill("SIGSTOP");
      paused = true;
    },
    resume() {
      child?.kill("SIGCONT");
      paused = false;
    },
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      await kill();
      child = undefined;
    },
  };
};

/**
 * `describe` for suites that need a real Redis. Without `redis-server`: under `CI=true` the suite
 * fails (CI must install it); elsewhere it is skipped with a notice that says how to run it.
 */
export const describeWithRedis = (name: string, body: () => void): void => {
  if (findRedisServer()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true" || process.env.CI === "1") {
    describe(name, () => {
      throw new Error(
        `${name}: redis-server is not installed, and CI=true requires it (.ci/run installs it with apt-get)`,
      );
    });
    return;
  }
  console.warn(
    `\n⚠ SKIPPED "${name}": redis-server is not installed. Install it (apt-get install -y redis-server) ` +
      "or set REDIS_SERVER_BIN to run the Redis store suites.\n",
  );
  describe.skip(name, body);
};
