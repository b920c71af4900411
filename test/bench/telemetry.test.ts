/**
 * Smoke test of bench/telemetry.ts: it runs end to end with tiny iteration counts and renders its
 * section. Structure only — never a time or a verdict.
 */
import { expect, it } from "vitest";
import { runTelemetryBench } from "../../bench/telemetry.js";

it("runs both phases (no SDK, SDK registered) and renders the telemetry section", async () => {
  const { rows, markdown } = await runTelemetryBench({
    sizes: { rounds: 2, calls: 20, replayRounds: 2, replayCalls: 50 },
  });
  expect(rows.map((row) => row.measure)).toEqual([
    "control, two `telemetry: false` clients: chat()",
    "control, two `telemetry: false` clients: stream() (4 text events)",
    "telemetry's own work per call, no SDK registered",
    "chat() through the engine, no SDK registered",
    "stream() (4 text events) through the engine, no SDK registered",
    "telemetry's own work per call, SDK registered",
    "chat() through the engine, SDK registered",
    "stream() (4 text events) through the engine, SDK registered",
  ]);
  expect(rows[2]!.target).toBe("≤ +2 µs");
  expect(markdown).toMatch(/^## Telemetry\n/);
  expect(markdown.split("\n").filter((line) => line.startsWith("| "))).toHaveLength(2 + rows.length);
  expect(markdown).not.toMatch(/NaN|undefined|Infinity/);
}, 60_000);
