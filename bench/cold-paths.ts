/**
 * What an operation costs the first time after the process idled, as it does between a real call's
 * events (not part of `npm run bench`):
 *
 *   npx tsx bench/cold-paths.ts [rounds]
 *
 * Every round sleeps 20 ms (a paced reply's first-token wait), then runs each operation twice in a
 * row, in a random order, and times both. The first use pays for code and data that left the CPU's
 * caches while the process slept; the second runs warm. On a real call nearly all of the library's
 * code runs cold this way, which is why its time in front of the request (bench section 1, the
 * time-to-first-text split) is ~15× what the same code costs in a hot loop (section 5). Work that
 * the SDK or `fetch` does anyway (timers, abort signals) is warmed for them by whoever runs it
 * first; only what nothing else on the path does is a saving when removed.
 */
import { performance } from "node:perf_hooks";

const rounds = Number(process.argv[2] ?? 400);
if (!Number.isSafeInteger(rounds) || rounds < 1)
  throw new Error(`rounds must be a positive integer, not ${process.argv[2]}`);
const warmup = 30;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;
const operations: Record<string, (signal: AbortSignal, other: AbortSignal) => unknown> = {
  "crypto.randomUUID()": () => globalThis.crypto.randomUUID(),
  // What src/engine/create-call-id.ts does per call.
  "a counter id": () => `c-${(++counter).toString(16).padStart(12, "0")}`,
  "new AbortController()": () => new AbortController(),
  "AbortSignal.any([a, b])": (signal, other) => AbortSignal.any([signal, other]),
  "setTimeout(fn, 600000)": () => setTimeout(() => {}, 600_000),
  "signal.addEventListener": (signal) => signal.addEventListener("abort", () => {}),
  "Date.now()": () => Date.now(),
  "performance.now()": () => performance.now(),
  "new Map()": () => new Map(),
};
const names = Object.keys(operations);
const costs = new Map<string, [number[], number[]]>(names.map((name) => [name, [[], []]]));

for (let round = 0; round < rounds + warmup; round++) {
  await sleep(20);
  const a = new AbortController();
  const b = new AbortController();
  const timers: unknown[] = [];
  const order = names
    .map((name) => ({ name, key: Math.random() }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.name);
  for (const name of order) {
    for (const use of [0, 1] as const) {
      const start = performance.now();
      const result = operations[name]!(a.signal, b.signal);
      const us = (performance.now() - start) * 1000;
      if (round >= warmup) costs.get(name)![use].push(us);
      if (typeof result === "object" && result !== null && "unref" in result) timers.push(result);
    }
  }
  for (const timer of timers) clearTimeout(timer as ReturnType<typeof setTimeout>);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
};
console.log(`median µs over ${rounds} rounds, each after 20 ms idle: first use · second use`);
for (const name of names) {
  const [first, second] = costs.get(name)!;
  console.log(`${name.padEnd(26)} ${median(first).toFixed(1).padStart(6)} · ${median(second).toFixed(1)}`);
}
