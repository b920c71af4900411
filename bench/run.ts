/**
 * `npm run bench` — runs every benchmark once (~2–3 minutes on 2 cores) and writes docs/benchmarks.md.
 *
 *   npm run bench                      full run, writes docs/benchmarks.md
 *   npm run bench -- --quick           ~20 s, fewer iterations (also writes the doc, marked "quick")
 *   npm run bench -- --only overhead,failover
 *   npm run bench -- --providers openai        (overhead: which providers, first gets every scenario)
 *   npm run bench -- --out /tmp/b.md   write elsewhere;  --no-write  print only
 *   npm run bench -- --source          measure src/ through tsx instead of the bundled build
 *   npm run bench -- --only fleet      the Redis fleet store (bench/fleet.ts; needs redis-server): its own
 *                                      section, kept when the others are rewritten
 *
 * Timing numbers are reported, never asserted: a bench "miss" does not fail the process.
 */
import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { fleetSectionOf, renderFleetSection, runFleetBench, withFleetSection } from "./fleet.js";
import { type BenchmarkName, benchmarkNames, runBenchmarks } from "./harness.js";
import { fullConfig, quickConfig } from "./lib/config.js";
import { type BenchKind, MODELS } from "./lib/providers.js";
import { collectTargets } from "./lib/report.js";
import { runTelemetryBench } from "./telemetry.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    providers: { type: "string" },
    out: { type: "string", default: "docs/benchmarks.md" },
    "no-write": { type: "boolean", default: false },
    source: { type: "boolean", default: false },
  },
});

const requested = values.only
  ?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
// The fleet benchmark is standalone (bench/fleet.ts): run only when asked for.
const fleet = requested?.includes("fleet") ?? false;
// bench/telemetry.ts runs beside the harness: its section is appended to the report.
const telemetry = !requested || requested.includes("telemetry");
const only = requested?.filter((name) => name !== "fleet" && name !== "telemetry") as
  | BenchmarkName[]
  | undefined;
for (const name of only ?? []) {
  if (!benchmarkNames.includes(name)) {
    console.error(
      `unknown benchmark "${name}" (expected one of: ${[...benchmarkNames, "telemetry", "fleet"].join(", ")})`,
    );
    process.exit(2);
  }
}

const args = process.argv.slice(2);
const command = `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`;
const started = Date.now();
const log = (message: string): void => {
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
};

const base = values.quick ? quickConfig : fullConfig;
const kinds = values.providers?.split(",").map((s) => s.trim()) as BenchKind[] | undefined;
for (const kind of kinds ?? []) {
  if (!(kind in MODELS)) {
    console.error(`unknown provider "${kind}" (expected one of: ${Object.keys(MODELS).join(", ")})`);
    process.exit(2);
  }
}
const config = kinds ? { ...base, overhead: { ...base.overhead, kinds } } : base;

const previous = await readFile(values.out, "utf8").catch(() => "");
let markdown = previous;
if (!fleet || (only && only.length > 0) || requested?.includes("telemetry")) {
  const report = await runBenchmarks({
    config,
    build: values.source ? "source" : "bundle",
    ...(only ? { only } : {}),
    command,
    log,
  });
  markdown = report.markdown;
  if (telemetry) {
    const started = Date.now();
    const result = await runTelemetryBench({ quick: values.quick });
    markdown = `${markdown.trimEnd()}

${result.markdown}`;
    for (const row of result.rows.filter((r) => r.pass !== undefined)) {
      console.log(`${row.pass ? "pass" : "MISS"}  ${row.measure} ${row.target}: +${row.added.toFixed(2)} µs`);
    }
    log(`telemetry done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const target of collectTargets(report.sections)) {
    const verdict = { pass: "pass", miss: "MISS", unresolved: "not resolved" }[target.verdict];
    console.log(`${verdict}  ${target.target}: ${target.measured}`);
  }
  // A regenerated report keeps the fleet section of the previous one.
  const kept = fleetSectionOf(previous);
  if (kept) markdown = withFleetSection(markdown, kept);
}
if (fleet) {
  const section = renderFleetSection(await runFleetBench({ quick: values.quick, log }), command);
  markdown = withFleetSection(markdown, section);
}
if (!values["no-write"]) {
  await writeFile(values.out, markdown);
  log(`wrote ${relative(process.cwd(), values.out)}`);
} else {
  console.log(markdown);
}
