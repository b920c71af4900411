/**
 * Instruction counts per call of one face, under valgrind's callgrind (not part of `npm run bench`):
 * repeatable even on a loaded machine, unlike CPU time, so the way to decide whether a change to
 * the hot path helps.
 *
 *   npx tsx bench/callgrind.ts stream --fake --events 5 --calls 30
 *   npx tsx bench/callgrind.ts raw --events 300 --interval 40 --calls 5     (over the paced mock)
 *
 * It bundles bench/profile.ts (library included) into `.bench/`, runs it under callgrind with
 * `--marks`, and splits the client's main thread into its phases per call: from the call to its
 * request reaching `fetch` (with `--fake`), from there to the first text, and the rest. Medians
 * over the calls. Background threads (JIT compilation, concurrent GC) are left out: they vary with
 * timing, the main thread's work does not. Under valgrind the client runs ~50× slower: over the
 * network, space the mock's events (`--interval`) so that each still arrives on its own.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { median } from "./lib/stats.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    calls: { type: "string", default: "30" },
    warmup: { type: "string", default: "300" },
    events: { type: "string", default: "5" },
    interval: { type: "string", default: "40" },
    first: { type: "string", default: "40" },
    kind: { type: "string", default: "openai" },
    fake: { type: "boolean", default: false },
    /** Keep the dumps (for `callgrind_annotate`) and print where they are. */
    keep: { type: "boolean", default: false },
  },
});
const face = positionals[0] ?? "stream";
const calls = Number(values.calls);
const root = fileURLToPath(new URL("../", import.meta.url));
const dir = `${root}.bench/callgrind-${process.pid}`;
mkdirSync(dir, { recursive: true });
const entry = `${dir}/profile.mjs`;
await build({
  entryPoints: [`${root}bench/profile.ts`],
  outfile: entry,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  packages: "external",
  logLevel: "silent",
});
const args = [
  "--tool=callgrind",
  "--separate-threads=yes",
  "--dump-before=uv_resident_set_memory",
  `--callgrind-out-file=${dir}/cg.%p`,
  process.execPath,
  entry,
  face,
  String(calls),
  "--source",
  "--marks",
  "--warmup",
  values.warmup,
  "--events",
  values.events,
  "--interval",
  values.interval,
  "--first",
  values.first,
  "--kind",
  values.kind,
  ...(values.fake ? ["--fake"] : []),
];
const run = spawnSync("valgrind", args, { encoding: "utf8", cwd: root });
if (run.status !== 0) {
  console.error(run.stderr.split("\n").slice(-15).join("\n"));
  process.exit(1);
}
// Main thread dumps: cg.<pid>.<n>-01; n = 1 is startup and warm-up, then one dump per marker.
const dumps = readdirSync(dir)
  .map((file) => /^cg\.\d+\.(\d+)-01$/.exec(file))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => {
    const text = readFileSync(`${dir}/${m[0]}`, "utf8");
    return { n: Number(m[1]), ir: Number(/^summary: (\d+)/m.exec(text)?.[1] ?? Number.NaN) };
  })
  .sort((a, b) => a.n - b.n)
  .slice(1);
const phases = values.fake ? 3 : 2;
const perCall = Array.from({ length: calls }, (_, i) =>
  dumps.slice(i * phases, (i + 1) * phases).map((d) => d.ir),
);
const names = values.fake ? ["to fetch", "fetch to first text", "rest"] : ["to first text", "rest"];
const cells = names.map(
  (name, i) => `${name} ${Math.round(median(perCall.map((c) => c[i]!))).toLocaleString("en-US")}`,
);
const total = Math.round(median(perCall.map((c) => c.reduce((a, b) => a + b, 0))));
console.log(
  `${face} (${values.fake ? "in-memory fetch" : values.kind}, ${values.events} events): main-thread instructions per call, median of ${calls}: ${cells.join(" · ")} · total ${total.toLocaleString("en-US")}`,
);
if (values.keep) console.log(`dumps kept in ${dir} (cg.<pid>.<n>-01: n = 2 + phase + ${phases} × call)`);
else rmSync(dir, { recursive: true, force: true });
