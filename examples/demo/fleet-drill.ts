/**
 * `npm run demo -- --fleet 4`: the outage drill across a fleet of processes, twice side by side.
 * Two fleets of N instance processes (fleet-instance.ts) make the same calls at the same time, each
 * fleet against its own mock OpenAI: one fleet keeps provider health in each process's memory, the
 * other shares it through a local Redis (`redisStore`). OpenAI goes down (every request a 503), then
 * recovers; the live view and the summary show how many requests the dead provider received from
 * each fleet. Exits 0 when no call failed in either fleet.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import type { DemoOptions } from "./cli.js";
import type { InstanceSetup, InstanceStats } from "./fleet-instance.js";
import { type Palette, textWidth, wrap } from "./format.js";
import type { Output } from "./live-view.js";
import { findRedisServer, type LocalRedis, startLocalRedis } from "./local-redis.js";

export interface FleetDrillRun {
  options: DemoOptions & { fleet: number };
  out: Output;
  err: Output;
  paint: Palette;
  signal?: AbortSignal;
}

interface Instance {
  child: ChildProcess;
  call<T>(cmd: string, args?: InstanceSetup): Promise<T>;
}

const entry = fileURLToPath(new URL("./fleet-instance.ts", import.meta.url));

/**
 * The instance script as one JavaScript file (esbuild, a dev dependency of this repository): 2 × N
 * processes then start in a second instead of each compiling TypeScript. Falls back to tsx.
 */
const instanceScript = async (): Promise<{ file: string; execArgv: string[] }> => {
  try {
    const { build } = await import("esbuild");
    const file = join(mkdtempSync(join(tmpdir(), "ai-failover-demo-")), "fleet-instance.cjs");
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node22",
      logLevel: "silent",
    });
    return { file, execArgv: [] };
  } catch {
    return { file: entry, execArgv: ["--import", "tsx"] };
  }
};

const forkInstance = (script: { file: string; execArgv: string[] }): Promise<Instance> =>
  new Promise((resolve, reject) => {
    const child = fork(script.file, [], {
      execArgv: script.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const pending = new Map<number, (value: unknown) => void>();
    let next = 1;
    child.on("message", (message: { ready?: boolean; id?: number; value?: unknown }) => {
      if (message.ready) return resolve(instance);
      pending.get(message.id!)?.(message.value);
      pending.delete(message.id!);
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`a fleet instance exited (${code})`)));
    const instance: Instance = {
      child,
      call: (cmd, args) =>
        new Promise((res) => {
          const id = next++;
          pending.set(id, res as (value: unknown) => void);
          child.send({ id, cmd, args });
        }),
    };
  });

const sleep = (ms: number, signal?: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });

const total = (list: InstanceStats[], pick: (s: InstanceStats) => number) =>
  list.reduce((sum, s) => sum + pick(s), 0);

export const runFleetDrill = async ({ options, out, err, paint, signal }: FleetDrillRun): Promise<number> => {
  const print = (line = "") => out.write(`${line}\n`);
  const binary = findRedisServer();
  if (!binary) {
    err.write(
      "The --fleet drill shares provider health through a local Redis, and redis-server is not installed.\n" +
        "Install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis), or set\n" +
        "REDIS_SERVER_BIN to its path, and run it again. Nothing was started.\n",
    );
    return 2;
  }
  const n = options.fleet;
  const durationMs = Math.round(options.durationS * 1_000);
  const halfOpenAfterMs = Math.max(1_000, Math.round(durationMs / 15));
  const breaker = {
    halfOpenAfterMs,
    maxHalfOpenAfterMs: Math.max(halfOpenAfterMs, Math.round(durationMs / 5)),
  };
  const lanes = Math.max(1, Math.round(options.concurrency / n));
  const phases = [
    { label: "healthy", share: 0.2, fault: undefined },
    { label: "OpenAI down (503)", share: 0.5, fault: faults.serverError(503) },
    { label: "recovered", share: 0.3, fault: undefined },
  ];
  let redis: LocalRedis | undefined;
  const mocks: MockProvider[] = [];
  const fleets: { alone: Instance[]; shared: Instance[] } = { alone: [], shared: [] };
  try {
    redis = await startLocalRedis(binary);
    const [aloneOpenAI, sharedOpenAI, fallback] = await Promise.all([
      startMockProvider({ kind: "openai", name: "openai", recordRequests: false }),
      startMockProvider({ kind: "openai", name: "openai", recordRequests: false }),
      startMockProvider({ kind: "anthropic", name: "anthropic", recordRequests: false }),
    ]);
    mocks.push(aloneOpenAI, sharedOpenAI, fallback);
    print(paint.bold(`ai-failover fleet drill: ${n} instances per fleet, two fleets side by side`));
    print(
      paint.dim(
        "Each instance is a Node process: createClient({ providers: [openai(...), anthropic(...)] }),",
      ),
    );
    print(
      paint.dim(
        `${lanes} call(s) at a time each. Left fleet: health in each process's memory (the default).`,
      ),
    );
    print(paint.dim(`Right fleet: store: redisStore({ client }) on a local redis-server (${redis.url}).`));
    print(
      paint.dim(
        `Breaker: 5 failures in a row open it; a probe after ${halfOpenAfterMs} ms, breaks doubling.`,
      ),
    );
    print(
      paint.dim(
        `Timeline: ${phases.map((p) => `${p.label} ${((p.share * durationMs) / 1000).toFixed(1)} s`).join(" → ")}.`,
      ),
    );
    print("Starting the instance processes…");
    const script = await instanceScript();
    const started = await Promise.all(Array.from({ length: 2 * n }, () => forkInstance(script)));
    fleets.alone = started.slice(0, n);
    fleets.shared = started.slice(n);
    const keyPrefix = `demo-${Date.now()}:`;
    const setupOf = (i: number, shared: boolean): InstanceSetup => ({
      name: `${shared ? "shared" : "alone"}-${i + 1}`,
      primaryBaseURL: (shared ? sharedOpenAI : aloneOpenAI).baseURL,
      fallbackBaseURL: fallback.baseURL,
      ...(shared ? { redis: { url: redis!.url, keyPrefix } } : {}),
      lanes,
      thinkMs: [30, 90],
      breaker,
    });
    await Promise.all([
      ...fleets.alone.map((instance, i) => instance.call("setup", setupOf(i, false))),
      ...fleets.shared.map((instance, i) => instance.call("setup", setupOf(i, true))),
    ]);
    const stats = async (list: Instance[]) => Promise.all(list.map((i) => i.call<InstanceStats>("stats")));
    const start = Date.now();
    const down = { alone: 0, shared: 0 };
    let interrupted = false;
    print();
    print(
      paint.bold(
        "  time  phase               │ requests to OpenAI (this second / this phase), breakers open",
      ),
    );
    print(paint.bold("                            │ alone (in memory)                 │ shared (Redis)"));
    for (const [index, phase] of phases.entries()) {
      for (const mock of [aloneOpenAI, sharedOpenAI]) mock.setDefault(phase.fault ?? faults.reply());
      const baseline = { alone: aloneOpenAI.callCount, shared: sharedOpenAI.callCount };
      const phaseEnd = start + phases.slice(0, index + 1).reduce((s, p) => s + p.share * durationMs, 0);
      let last = { ...baseline };
      while (Date.now() < phaseEnd) {
        if (!(await sleep(Math.min(1_000, phaseEnd - Date.now()), signal))) {
          interrupted = true;
          break;
        }
        const [a, s] = await Promise.all([stats(fleets.alone), stats(fleets.shared)]);
        const now = { alone: aloneOpenAI.callCount, shared: sharedOpenAI.callCount };
        const cell = (side: "alone" | "shared", list: InstanceStats[]) => {
          const open = list.filter((x) => x.breaker !== "closed").length;
          const text = `+${String(now[side] - last[side]).padStart(3)} / ${String(now[side] - baseline[side]).padStart(4)}   open ${open}/${n}`;
          return (phase.fault ? paint.red : paint.dim)(text.padEnd(33));
        };
        print(
          `${((Date.now() - start) / 1000).toFixed(1).padStart(6)} ${phase.label.padEnd(19)} │ ${cell("alone", a)} │ ${cell("shared", s)}`,
        );
        last = now;
      }
      if (phase.fault) {
        down.alone += aloneOpenAI.callCount - baseline.alone;
        down.shared += sharedOpenAI.callCount - baseline.shared;
      }
      if (interrupted) break;
    }
    const [aloneFinal, sharedFinal] = await Promise.all([
      Promise.all(fleets.alone.map((i) => i.call<InstanceStats>("stop"))),
      Promise.all(fleets.shared.map((i) => i.call<InstanceStats>("stop"))),
    ]);
    const failed = total(aloneFinal, (s) => s.failed) + total(sharedFinal, (s) => s.failed);
    const row = (label: string, alone: string | number, shared: string | number) =>
      `  ${label.padEnd(40)} ${String(alone).padStart(18)} ${String(shared).padStart(16)}`;
    print();
    print(
      paint.bold(
        `Summary · ${n} instances per fleet · ${((Date.now() - start) / 1000).toFixed(1)} s${interrupted ? " (ended early)" : ""}`,
      ),
    );
    print(row("", "alone (in memory)", "shared (Redis)"));
    print(row("requests to OpenAI while it was down", down.alone, down.shared));
    print(
      row(
        "calls made",
        total(aloneFinal, (s) => s.calls),
        total(sharedFinal, (s) => s.calls),
      ),
    );
    print(
      row(
        "calls answered by the fallback",
        total(aloneFinal, (s) => s.byProvider.anthropic ?? 0),
        total(sharedFinal, (s) => s.byProvider.anthropic ?? 0),
      ),
    );
    print(
      row(
        "calls failed",
        total(aloneFinal, (s) => s.failed),
        total(sharedFinal, (s) => s.failed),
      ),
    );
    print(
      row(
        "Redis errors (events, never call failures)",
        "-",
        total(sharedFinal, (s) => s.storeErrors),
      ),
    );
    print();
    const explanation =
      "Alone, every instance learns of the outage by itself: 5 failures each before its breaker opens, then a probe of its own after every break. Shared, the failures of all instances add up in Redis, the first opening reaches every instance in milliseconds, and one instance probes for the fleet.";
    for (const line of wrap(explanation, textWidth)) print(paint.dim(line));
    print(
      failed === 0 ? paint.green("No call lost in either fleet.") : paint.red(`${failed} call(s) failed.`),
    );
    return failed === 0 ? 0 : 1;
  } finally {
    for (const instance of [...fleets.alone, ...fleets.shared]) {
      instance.child.removeAllListeners("exit");
      instance.child.kill("SIGTERM");
    }
    await Promise.all(mocks.map((mock) => mock.close()));
    await redis?.stop();
  }
};
