/**
 * A throwaway `redis-server` for the `--fleet` drill: a free loopback port, no persistence, stopped
 * by its PID. The test suites start theirs with the same pieces (test/helpers/redis-server.ts).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer, Socket } from "node:net";

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/** The `redis-server` binary, or undefined when it is not installed. */
export const findRedisServer = (): string | undefined => {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  const candidates = fromEnv
    ? [fromEnv]
    : ["redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server"];
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // the next one
    }
  }
  return undefined;
};

/** A free TCP port on 127.0.0.1 (the OS picks it; released before redis binds it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

/** Sends `PING` over a raw socket; resolves true on `+PONG` within `timeoutMs`. */
export const pingRedis = (port: number, timeoutMs = 200): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
  });

/** A throwaway server's arguments: loopback only, no persistence, quiet. */
export const redisServerArgs = (port: number): string[] => [
  "--port",
  String(port),
  "--bind",
  "127.0.0.1",
  "--save",
  "",
  "--appendonly",
  "no",
  "--loglevel",
  "warning",
];

/** Starts `binary` on a free port and waits until it answers PING. */
export const startLocalRedis = async (binary: string): Promise<LocalRedis> => {
  const port = await freePort();
  const child: ChildProcess = spawn(binary, redisServerArgs(port), { stdio: "ignore" });
  const started = Date.now();
  while (!(await pingRedis(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (Date.now() - started > 10_000) {
      child.kill("SIGKILL");
      throw new Error("redis-server did not answer within 10 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
};
