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
    for (const kind of ["OpenAI", "Anthropic", "Mistral"]) {
      expect(targets).toContain(`${kind} stream() time to first text vs the SDK's stream`);
      expect(targets).toContain(`${kind} stream() CPU per streamed event vs the raw read loop`);
      expect(targets).toContain(`${kind} stream() fixed CPU per call vs the SDK's stream`);
      expect(targets.some((t) => t.startsWith(`${kind} chat(json) CPU per call`))).toBe(true);
    }
    expect(targets).toContain("OpenAI drop-in stream: true time to first text vs the SDK's stream");
    expect(targets.some((t) => t.includes("zero requests to the primary"))).toBe(true);
    expect(targets.some((t) => t.includes("black-holed: first call"))).toBe(true);
    // The transport trade-off has a row per reply length; throughput a row per concurrency and face.
    const transport = sections.find((s) => s.id === "transport")!;
    expect(transport.tables[0]!.rows).toHaveLength(smokeConfig.pacing.transportEvents.length);
    const throughput = sections.find((s) => s.id === "throughput")!;
    expect(throughput.tables[0]!.rows).toHaveLength(smokeConfig.sustained.concurrency.length * 2);

    expect(markdown).toMatch(/^# Benchmarks\n/);
    expect(markdown).toContain("## Summary");
    expect(markdown).toContain("`vitest smoke`");
    expect(markdown).not.toMatch(/NaN|undefined|Infinity/);
  }, 120_000);
});
