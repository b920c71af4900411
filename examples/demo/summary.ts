import type { DrillState } from "./drill-state.js";
import { fitTable, int, ms, type Palette, pct, secs, table, textWidth, wrap } from "./format.js";
import { answersByProvider, type CallRecord, quantile } from "./stats.js";

export interface DrillResult {
  calls: number;
  failed: number;
  failovers: number;
  breakerOpened: boolean;
  /** ms from recovery to the first call OpenAI answered again. */
  timeToRecoverMs: number | undefined;
}

const plural = (n: number, noun: string): string => `${int(n)} ${noun}${n === 1 ? "" : "s"}`;

const latencyCells = (calls: readonly CallRecord[]): string[] => {
  const values = calls.map((c) => c.ms);
  return [
    ms(quantile(values, 0.5)),
    ms(quantile(values, 0.95)),
    ms(values.length ? Math.max(...values) : undefined),
  ];
};

/** The final summary table, and the numbers the exit code and the test rely on. */
export const summarize = (state: DrillState, paint: Palette): { lines: string[]; result: DrillResult } => {
  const { stats, scenario, app } = state;
  const calls = stats.calls;
  const providers = app.providers;
  const primary = providers[0]!;
  const endedAt = state.endedAt ?? Date.now();
  const at = (t: number) => secs(t - state.startedAt);
  const failovers = calls.filter((c) => c.failedOver).length;
  const streams = calls.filter((c) => c.stream).length;
  const answers = answersByProvider(calls, providers);
  const answered = calls.length - stats.failed;

  const rows: [string, string, string][] = [];
  rows.push([
    "calls made",
    int(calls.length),
    `${int(calls.length - streams)} chat completions, ${int(streams)} streams`,
  ]);
  rows.push([
    "calls failed",
    stats.failed === 0 ? paint.green("0") : paint.red(int(stats.failed)),
    stats.failed === 0
      ? "every call was answered (the goal: zero)"
      : paint.red("calls were lost (the goal: zero)"),
  ]);
  const direct = calls.filter((c) => c.failedOver && c.attempts === 1).length;
  rows.push(["failovers", int(failovers), "calls answered by a fallback:"]);
  rows.push([
    "  after a failed try",
    int(failovers - direct),
    "a provider failed first, the next one answered",
  ]);
  rows.push([
    "  straight to a fallback",
    int(direct),
    `${primary} skipped at no cost (breaker open, or cooling after a 429)`,
  ]);

  const resumed = calls.filter((c) => c.resumedFrom !== undefined);
  if (resumed.length > 0)
    rows.push([
      "  continued mid-stream",
      int(resumed.length),
      `streams cut mid-answer (${[...new Set(resumed.map((c) => c.resumedFrom))].join(", ")}), finished by another provider (opt-in)`,
    ]);

  // The failing provider's load once its breaker had opened, until it recovered.
  const openedAt = stats.firstOpened(primary);
  const outageEnd = state.recoveryAt ?? endedAt;
  const opens = stats.breakerChanges.filter((c) => c.provider === primary && c.to === "open");
  if (openedAt === undefined) {
    rows.push(["breaker", "–", `${primary}'s breaker never opened`]);
  } else {
    const models = [...new Set(opens.map((c) => c.model))].join(", ");
    const fresh = opens.filter((c) => c.from === "closed");
    const failedProbes = opens.length - fresh.length;
    rows.push([
      "breaker opened",
      `${int(fresh.length)}×`,
      `${primary}/${models}, first at ${at(openedAt)} (${opens[0]!.reason})${failedProbes ? `; reopened after ${plural(failedProbes, "failed probe")}` : ""}`,
    ]);
    const sent = stats.attemptsBetween(primary, openedAt, outageEnd);
    const made = calls.filter((c) => c.startedAt >= openedAt && c.startedAt < outageEnd).length;
    const probes = stats.probes(primary, openedAt, outageEnd);
    const until = state.recoveryAt ? "until it recovered" : "until the end";
    rows.push([
      `requests to ${primary}`,
      int(sent),
      sent <= probes
        ? `after its breaker opened, of the app's ${int(made)} calls ${until}: only half-open probes`
        : `after its breaker opened, of the app's ${int(made)} calls ${until}: ${plural(probes, "half-open probe")}, the rest while the breaker had closed again`,
    ]);
  }
  const outageStart = state.phaseStarts[1];
  for (const other of scenario.failing.slice(1)) {
    if (outageStart === undefined) continue;
    rows.push([
      `requests to ${other}`,
      int(stats.attemptsBetween(other, outageStart, outageEnd)),
      `during the outage: same failure domain as ${primary}, passed over for providers outside it`,
    ]);
  }

  let timeToRecoverMs: number | undefined;
  if (state.recoveryAt !== undefined) {
    const recoveryAt = state.recoveryAt;
    const first = calls.find((c) => c.provider === primary && c.endedAt >= recoveryAt);
    timeToRecoverMs = first ? first.endedAt - recoveryAt : undefined;
    const lastChange = stats.breakerChanges
      .filter((c) => c.provider === primary && c.at <= recoveryAt)
      .at(-1);
    const breakerWait =
      lastChange !== undefined && lastChange.to !== "closed" ? ": the wait for the breaker's next probe" : "";
    rows.push([
      "time to recover",
      first ? secs(timeToRecoverMs!) : "–",
      first
        ? `from ${primary} healthy again (${at(recoveryAt)}) to the first call it answered (${at(first.endedAt)})${breakerWait}`
        : `${primary} answered no call after its recovery at ${at(recoveryAt)}`,
    ]);
  }
  const [p50, p95, max] = latencyCells(calls);
  rows.push(["latency p95", p95!, `p50 ${p50}, max ${max}: per call, as the app saw it`]);
  rows.push([
    "answers per provider",
    "",
    providers
      .map((name) => `${name} ${int(answers.get(name) ?? 0)} (${pct(answers.get(name) ?? 0, answered)})`)
      .join(" · "),
  ]);
  if (state.mocks)
    rows.push([
      "requests per mock",
      "",
      [...state.mocks.all]
        .sort((a, b) => providers.indexOf(a.name) - providers.indexOf(b.name))
        .map((m) => `${m.name} ${int(m.callCount)}`)
        .join(" · "),
    ]);

  const phaseRows = [
    ["phase", "calls", "failed", ...providers, "p50", "p95", "max"],
    ...scenario.phases.flatMap((phase, i) => {
      if (state.phaseStarts[i] === undefined) return [];
      const inPhase = calls.filter((c) => c.phase === i);
      const phaseAnswers = answersByProvider(inPhase, providers);
      const phaseAnswered = inPhase.filter((c) => c.provider).length;
      const failed = inPhase.length - phaseAnswered;
      return [
        [
          phase.label,
          int(inPhase.length),
          failed ? paint.red(int(failed)) : "0",
          ...providers.map((name) => pct(phaseAnswers.get(name) ?? 0, phaseAnswered)),
          ...latencyCells(inPhase),
        ],
      ];
    }),
  ];

  const failureKinds = new Map<string, number>();
  for (const c of calls) if (c.error) failureKinds.set(c.error, (failureKinds.get(c.error) ?? 0) + 1);

  // Little's law: the time all calls spent in flight over the drill's length.
  const drillMs = Math.max(1, endedAt - state.startedAt);
  const inFlight = calls.reduce((sum, c) => sum + c.ms, 0) / drillMs;
  const title = `Summary · ${scenario.name} · ${secs(drillMs)}${state.interrupted ? " (interrupted)" : ""} · ${plural(state.concurrency, "client")}, ${inFlight.toFixed(1)} calls in flight on average`;
  const lines = [
    "",
    ...wrap(title, textWidth).map((l) => paint.bold(l)),
    "",
    ...fitTable(rows, textWidth - 2).map((l) => `  ${l}`),
    "",
    ...table(phaseRows, (col) => col > 0).map((l, i) => `  ${i === 0 ? paint.dim(l) : l}`),
  ];
  if (failureKinds.size > 0) {
    lines.push("", paint.red("  lost calls:"));
    for (const [kind, n] of [...failureKinds].sort((a, b) => b[1] - a[1]).slice(0, 6))
      lines.push(...wrap(`${int(n)} × ${kind}`, textWidth - 4).map((l) => `    ${l}`));
  }
  lines.push("");
  lines.push(
    stats.failed === 0 && calls.length > 0
      ? paint.green(`✔ No call lost: ${int(calls.length)} calls, all answered.`)
      : paint.red(`✘ ${int(stats.failed)} of ${int(calls.length)} calls lost.`),
  );

  return {
    lines,
    result: {
      calls: calls.length,
      failed: stats.failed,
      failovers,
      breakerOpened: openedAt !== undefined,
      timeToRecoverMs,
    },
  };
};
