import { type BreakerView, breakerStates, type DrillState } from "./drill-state.js";
import { bar, fitWidth, int, ms, type Palette, padEnd, padStart, pct, secs } from "./format.js";
import { answersByProvider, quantile } from "./stats.js";

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * The live terminal view. On a TTY it redraws a small dashboard in place (ANSI cursor moves) a few
 * times a second, with the latest events under it. Elsewhere (CI, a pipe) it prints one status
 * line per interval and each event as it happens, so the log reads top to bottom.
 */
export class LiveView {
  private timer: ReturnType<typeof setInterval> | undefined;
  private drawnLines = 0;
  private stopped = false;
  private readonly events: string[] = [];
  private readonly maxEvents = 7;

  constructor(
    private readonly out: Output,
    private readonly state: DrillState,
    private readonly paint: Palette,
    private readonly tty: boolean,
  ) {}

  start(): void {
    const interval = this.tty ? 200 : Math.max(1_000, Math.round(this.state.durationMs / 30 / 500) * 500);
    this.timer = setInterval(() => this.draw(), interval);
    this.draw();
  }

  /** Something happened: a phase change, a breaker transition. */
  event(text: string): void {
    if (this.stopped) return;
    const line = `${this.clock()}  ${text}`;
    if (this.tty) {
      this.events.push(line);
      if (this.events.length > this.maxEvents) this.events.shift();
      this.draw();
    } else this.out.write(`${line}\n`);
  }

  /** Draws a last frame and stops. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.draw();
  }

  private clock(): string {
    return this.paint.dim(`[${padStart(secs(Date.now() - this.state.startedAt), 7)}]`);
  }

  private draw(): void {
    if (!this.tty) {
      this.out.write(`${this.statusLine()}\n`);
      return;
    }
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const lines = this.dashboard().map((line) => `${fitWidth(line, width)}\x1b[K`);
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : "";
    this.out.write(`${up}${lines.join("\n")}\n\x1b[J`);
    this.drawnLines = lines.length;
  }

  private breakerText(view: BreakerView | undefined, provider: string): string {
    const p = this.paint;
    if (!view || view.state === "closed") return p.green("closed");
    const last = this.state.stats.lastFailure.get(provider);
    const lastText = last ? p.dim(` · ${last}`) : "";
    if (view.state === "half-open") return `${p.yellow("HALF-OPEN")} · probing${lastText}`;
    const label = view.state === "disabled" ? "DISABLED" : "OPEN";
    const when = view.retryInMs > 0 ? `probe in ${secs(view.retryInMs)}` : "probe due";
    return `${p.red(label)} · ${when}${lastText}`;
  }

  private dashboard(): string[] {
    const p = this.paint;
    const { state } = this;
    const { stats, scenario } = state;
    const now = Date.now();
    const elapsed = Math.min(now - state.startedAt, state.durationMs);
    const phase = scenario.phases[state.phase]!;
    const recent = stats.recent(now);
    const latencies = recent.map((c) => c.ms);
    const answers = answersByProvider(recent, state.app.providers);
    const answered = recent.filter((c) => c.provider).length;
    const breakers = breakerStates(state);
    const primary = state.app.providers[0]!;
    const failovers = stats.calls.filter((c) => c.failedOver).length;
    const openedAt = stats.firstOpened(primary);
    const afterOpen =
      openedAt === undefined
        ? `        ${primary}'s breaker has not opened`
        : `        ${int(stats.attemptsBetween(primary, openedAt, state.recoveryAt ?? now))} requests to ${primary} since its breaker opened${state.recoveryAt ? " (until it recovered)" : ""}`;
    const nameWidth = Math.max(...state.app.providers.map((n) => n.length)) + 2;
    const status = phase.status ? ` · ${phase.status(now)}` : "";

    return [
      `${p.bold("ai-failover outage drill")} · ${scenario.name} · ${secs(elapsed)} / ${secs(state.durationMs)} ${p.cyan(bar(elapsed / state.durationMs, 24))}`,
      `phase ${state.phase + 1}/${scenario.phases.length} ${p.bold(phase.label)}${status}`,
      `  ${phase.description}`,
      `${int(recent.length)} calls/s · ${stats.inFlight} in flight · p50 ${ms(quantile(latencies, 0.5))} · p95 ${ms(quantile(latencies, 0.95))} ${p.dim("(last second)")}`,
      "",
      p.dim(`${padEnd("provider", nameWidth)}${padEnd("answering (last second)", 29)}breaker`),
      ...state.app.providers.map((name) => {
        const n = answers.get(name) ?? 0;
        const share = answered > 0 ? n / answered : 0;
        const barText = n > 0 ? p.green(bar(share, 20)) : p.dim(bar(0, 20));
        return `${padEnd(name, nameWidth)}${barText} ${padStart(pct(n, answered), 4)}    ${this.breakerText(breakers.get(name), name)}`;
      }),
      "",
      `so far: ${int(stats.calls.length)} calls · ${stats.failed > 0 ? p.red(`${int(stats.failed)} failed`) : p.green("0 failed")} · ${int(failovers)} answered by a fallback`,
      afterOpen,
      "",
      p.dim("events"),
      ...this.events,
    ];
  }

  /** One line for logs: phase, rate, shares, breakers, latency, totals. */
  private statusLine(): string {
    const { state } = this;
    const { stats, scenario } = state;
    const now = Date.now();
    const recent = stats.recent(now);
    const latencies = recent.map((c) => c.ms);
    const answers = answersByProvider(recent, state.app.providers);
    const answered = recent.filter((c) => c.provider).length;
    const shares = state.app.providers
      .map((name) => `${name} ${pct(answers.get(name) ?? 0, answered)}`)
      .join(" ");
    const breakers = breakerStates(state);
    const notClosed = [...breakers]
      .filter(([, b]) => b.state !== "closed")
      .map(([name, b]) => `${name} ${b.state}`);
    const phase = scenario.phases[state.phase]!;
    return [
      `${this.clock()} ${padEnd(phase.label, 15)}`,
      `${padStart(int(recent.length), 4)} calls/s`,
      shares,
      `breakers: ${notClosed.length ? notClosed.join(", ") : "all closed"}`,
      `p50 ${ms(quantile(latencies, 0.5))} p95 ${ms(quantile(latencies, 0.95))}`,
      `${int(stats.calls.length)} calls, ${int(stats.failed)} failed`,
    ].join(" | ");
  }
}
