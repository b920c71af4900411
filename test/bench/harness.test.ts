/**
 * Smoke test of the benchmark harness: every benchmark runs end to end with tiny iteration counts
 * and renders a well-formed report. It asserts structure only — never a time, a ratio or a verdict.
 */
import { describe, expect, it } from "vitest";
import { benchmarkNames, runBenchmarks } from "../../bench/harness.js";
import { smokeConfig } from "../../bench/lib/config.js";
import { collectTargets } from "../../bench/lib/report.js";

describe("bench harness (smoke)", () => {
  it("runs every benchmark once against the mock host and renders the report", async () => {
    const { sections, markdown } = await runBenchmarks({ config: smokeConfig, command: "vitest smoke" });

    expect(sections.map((s) => s.id)).toEqual(benchmarkNames);
    for (const section of sections) {
      expect(section.tables.length, section.id).toBeGreaterThan(0);
      for (const table of section.tables) {
        expect(table.rows.length, table.title).toBeGreaterThan(0);
        for (const row of table.rows) expect(row.cells, table.title).toHaveLength(table.columns.length);
      }
    }
    // Every target the issue names is reported (pass or miss: timing is never asserted here).
    const targets = collectTargets(sections).map((t) => t.target);
    expect(targets.some((t) => t.includes("chat() median latency ratio"))).toBe(true);
    expect(targets.some((t) => t.includes("added CPU per call"))).toBe(true);
    expect(targets.some((t) => t.includes("time-to-first-token ratio"))).toBe(true);
    expect(targets.some((t) => t.includes("per streamed event"))).toBe(true);
    expect(targets.some((t) => t.includes("zero requests to the primary"))).toBe(true);
    expect(targets.some((t) => t.includes("black-holed: first call"))).toBe(true);

    expect(markdown).toMatch(/^# Benchmarks\n/);
    expect(markdown).toContain("## Summary");
    expect(markdown).toContain("`vitest smoke`");
    expect(markdown).not.toMatch(/NaN|undefined|Infinity/);
  }, 120_000);
});
