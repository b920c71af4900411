import type { MachineInfo } from "./machine.js";

/**
 * A target's result. "unresolved": the run cannot say pass or miss — the figure's interval from
 * the run's own noise (see `bootstrapInterval`) contains the target, rests on too few samples, or
 * the run's calibration failed.
 */
export type Verdict = "pass" | "miss" | "unresolved";

/** One row: a measure, its cells, and a verdict when the row carries a target. */
export interface Row {
  cells: string[];
  verdict?: Verdict;
  /** Short label of the target for the summary ("OpenAI chat() latency ratio ≤ 1.05"). */
  target?: string;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Row[];
  notes?: string[];
}

/** What one benchmark returns: markdown-ready tables plus free notes. */
export interface Section {
  id: string;
  heading: string;
  intro: string[];
  tables: Table[];
  notes: string[];
}

export interface RunInfo {
  date: Date;
  command: string;
  mode: string;
  durationMs: number;
  machine: MachineInfo;
  settings: string[];
  loadAverageAtEnd: string;
  /** 1-minute load average at the start, and the core count, for the "busy machine" warning. */
  busy: boolean;
}

export const COMPARISON_COLUMNS = [
  "measure",
  "direct SDK",
  "ai-failover",
  "ratio / added",
  "target",
  "result",
];

const NA = "—";

export const fmtMs = (ms: number): string =>
  !Number.isFinite(ms)
    ? NA
    : ms >= 100
      ? `${ms.toFixed(0)} ms`
      : ms >= 10
        ? `${ms.toFixed(1)} ms`
        : `${ms.toFixed(3)} ms`;
export const fmtUs = (us: number): string =>
  !Number.isFinite(us) ? NA : Math.abs(us) >= 100 ? `${us.toFixed(0)} µs` : `${us.toFixed(2)} µs`;
export const fmtRatio = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(3)}×` : NA);
export const fmtSigned = (value: number, format: (x: number) => string): string =>
  !Number.isFinite(value) ? NA : value >= 0 ? `+${format(value)}` : `−${format(-value)}`;
export const fmtBytes = (bytes: number): string => {
  if (!Number.isFinite(bytes)) return NA;
  const abs = Math.abs(bytes);
  if (abs >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes.toFixed(0)} B`;
};
export const fmtRate = (perSecond: number): string =>
  Number.isFinite(perSecond) ? `${Math.round(perSecond).toLocaleString("en-US")}/s` : NA;
export const fmtCount = (n: number): string => (Number.isFinite(n) ? n.toLocaleString("en-US") : NA);

/** `median / p95` of a latency summary. */
export const fmtLatency = (s: { median: number; p95: number }): string =>
  `${fmtMs(s.median)} / ${fmtMs(s.p95)}`;

export const verdictOf = (ok: boolean): Verdict => (ok ? "pass" : "miss");

/**
 * Fewer samples than this in any set, and a bootstrap interval is not trusted to decide: with a
 * handful of blocks the resampled medians take a few values only, and the interval comes out
 * narrower than the figure's spread from one run to the next.
 */
export const MIN_SAMPLES_FOR_VERDICT = 8;

/**
 * The verdict on "at most `limit`" of a figure known to lie in `interval` (see `Verdict`): pass when
 * the interval lies wholly at or below the limit, miss when wholly above, and either only when the
 * figure of each half of the run (`halves`, when known) is on the same side: a verdict that one half
 * of the run contradicts comes from drift across the run, not from the code.
 */
export const verdictWithin = (
  interval: { low: number; high: number; fewest?: number; halves?: readonly number[] },
  limit: number,
): Verdict => {
  if (
    (interval.fewest ?? Number.POSITIVE_INFINITY) < MIN_SAMPLES_FOR_VERDICT ||
    !(interval.low <= interval.high)
  )
    return "unresolved";
  const halves = interval.halves ?? [];
  if (interval.high <= limit && halves.every((half) => half <= limit)) return "pass";
  if (interval.low > limit && halves.every((half) => half > limit)) return "miss";
  return "unresolved";
};

const verdictText = (verdict: Verdict): string =>
  verdict === "pass" ? "pass" : verdict === "miss" ? "**miss**" : "not resolved";

const escapeCell = (cell: string): string => cell.replace(/\|/g, "\\|").replace(/\n/g, " ");

const renderTable = (table: Table): string[] => {
  const lines = [`**${table.title}**`, ""];
  lines.push(`| ${table.columns.join(" | ")} |`);
  lines.push(`|${table.columns.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`);
  for (const row of table.rows) {
    const cells = row.cells.map(escapeCell);
    lines.push(`| ${cells.join(" | ")} |`);
  }
  lines.push("");
  for (const note of table.notes ?? []) lines.push(`${note}`, "");
  return lines;
};

export interface TargetLine {
  section: string;
  target: string;
  measured: string;
  verdict: Verdict;
}

/** "2. Failover": sections are numbered in the order they ran. */
export const sectionTitle = (sections: readonly Section[], section: Section): string =>
  `${sections.indexOf(section) + 1}. ${section.heading}`;

/** Every row that carries a verdict, for the summary. */
export const collectTargets = (sections: readonly Section[]): TargetLine[] =>
  sections.flatMap((section) =>
    section.tables.flatMap((table) =>
      table.rows
        .filter((row) => row.verdict !== undefined)
        .map((row) => ({
          section: sectionTitle(sections, section),
          target: row.target ?? `${table.title}: ${row.cells[0]}`,
          measured: row.cells[3] ?? "",
          verdict: row.verdict!,
        })),
    ),
  );

export const renderReport = (info: RunInfo, sections: readonly Section[]): string => {
  const targets = collectTargets(sections);
  const count = (verdict: Verdict): number => targets.filter((t) => t.verdict === verdict).length;
  const unresolved = count("unresolved");
  const m = info.machine;
  const lines: string[] = [
    "# Benchmarks",
    "",
    "<!-- Generated by bench/run.ts at the end of every run. Do not edit by hand: rerun the command below. -->",
    "",
    `- **Date**: ${info.date.toISOString()}`,
    `- **Command**: \`${info.command}\` (${info.mode} mode, ${(info.durationMs / 1000).toFixed(1)} s)`,
    `- **Node**: ${m.node} (V8 ${m.v8}) · **OS**: ${m.os}`,
    `- **CPU**: ${m.cpuModel} · ${m.cores} cores · **Memory**: ${m.memory}`,
    `- **Load average** (1 / 5 / 15 min): ${m.loadAverage} at the start, ${info.loadAverageAtEnd} at the end`,
    `- **SDKs**: ${m.sdks}`,
    "",
    "How to read this: every number comes from one run against the same local mock provider server",
    "(`ai-failover/testing`), hosted in a **separate child process** so that its CPU, heap and event loop",
    "stay out of the client-side measurements. *Direct SDK* is the official SDK called by hand; *ai-failover*",
    "is the same SDK client behind `createClient(...)`. Direct and wrapped samples alternate in ABBA blocks",
    "after a warm-up, so drift falls on both sides. Latencies are `median / p95`; ratios compare medians;",
    "CPU is `process.cpuUsage()` (user + system) of the client process over whole blocks of sequential calls,",
    "divided by the number of calls. A localhost mock answers in well under a millisecond, so the ratios",
    "here are a worst case: against a real provider (hundreds of ms per call) the same absolute overhead",
    "is a fraction of a percent.",
    "",
    ...(info.busy
      ? [
          "> **The machine was busy during this run**: its 1-minute load average went above the core count",
          "> (plus ~1.5 for this run's own two processes), so other processes were competing for the CPU.",
          "> Wall-clock ratios carry extra noise, and CPU figures are inflated too (shared caches, preemption).",
          "> Rerun on a quiet machine for release numbers.",
          "",
        ]
      : []),
    "Settings:",
    "",
    ...info.settings.map((s) => `- ${s}`),
    "",
    "## Summary",
    "",
    `${count("pass")} of ${targets.length} targets met, ${count("miss")} missed` +
      (unresolved > 0
        ? `, ${unresolved} not resolved by this run: the figure's 90 % interval from the run's own noise ` +
          "(a bootstrap over the interleaved blocks) contains the target or rests on too few blocks, or the run's " +
          "CPU calibration failed (section 1 says which), so the run cannot say pass or miss."
        : "."),
    "",
    "| benchmark | target | measured | result |",
    "| --- | --- | ---: | --- |",
    ...targets.map(
      (t) =>
        `| ${escapeCell(t.section)} | ${escapeCell(t.target)} | ${escapeCell(t.measured)} | ${verdictText(t.verdict)} |`,
    ),
    "",
  ];
  for (const section of sections) {
    lines.push(`## ${sectionTitle(sections, section)}`, "");
    for (const paragraph of section.intro) lines.push(paragraph, "");
    for (const table of section.tables) lines.push(...renderTable(table));
    for (const note of section.notes) lines.push(`- ${note}`);
    if (section.notes.length) lines.push("");
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
};

/** The result cell of a row. */
export const resultCell = (verdict: Verdict | undefined): string =>
  verdict === undefined ? NA : verdictText(verdict);
