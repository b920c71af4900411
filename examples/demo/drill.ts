import { setTimeout as sleep } from "node:timers/promises";
import { createMockApp, models } from "./app-client.js";
import type { DemoOptions } from "./cli.js";
import type { DrillState } from "./drill-state.js";
import { type Palette, secs, textWidth, wrap } from "./format.js";
import { LiveView, type Output } from "./live-view.js";
import { defaultThinkMs, LoadGenerator } from "./load.js";
import { startDrillMocks } from "./mocks.js";
import { drillPolicy } from "./policy.js";
import { createScenario } from "./scenarios.js";
import { DrillStats } from "./stats.js";
import { type DrillResult, summarize } from "./summary.js";

export interface DrillRun {
  options: DemoOptions;
  out: Output;
  paint: Palette;
  /** Redraw in place (a terminal) or print lines (CI, a pipe). */
  tty: boolean;
  /** Aborting ends the drill early (Ctrl-C); the summary still prints. */
  signal?: AbortSignal;
}

/** Waits until `at` (epoch ms); false when the drill was interrupted first. */
const waitUntil = async (at: number, signal: AbortSignal | undefined): Promise<boolean> => {
  const ms = at - Date.now();
  if (signal?.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
};

/**
 * The outage drill: mock providers, the app's wrapped OpenAI client, a steady flow of calls, and
 * the scenario's phases on a timeline. Closes everything it started before it returns.
 */
export const runDrill = async (run: DrillRun): Promise<{ exitCode: number; result: DrillResult }> => {
  const { options, out, paint, signal } = run;
  const durationMs = Math.round(options.durationS * 1_000);
  const policy = drillPolicy(durationMs);
  const scenario = createScenario(options.scenario, policy.headersMs);
  const mocks = await startDrillMocks(scenario.withAzure);
  let view: LiveView | undefined;
  let load: LoadGenerator | undefined;
  let stats: DrillStats | undefined;
  try {
    const app = createMockApp(mocks, { ...policy.policy, ...scenario.policy });
    stats = new DrillStats(app.providers);
    const state: DrillState = {
      scenario,
      app,
      stats,
      mocks,
      durationMs,
      concurrency: options.concurrency,
      startedAt: Date.now(),
      phase: 0,
      phaseStarts: [],
      recoveryAt: undefined,
      endedAt: undefined,
      interrupted: false,
    };

    const print = (line = "") => out.write(`${line}\n`);
    /** A paragraph, wrapped to the text width. */
    const say = (text: string, style: (line: string) => string = (line) => line) => {
      for (const line of wrap(text, textWidth)) print(style(line));
    };
    say(`ai-failover outage drill · ${scenario.name}: ${scenario.title}`, paint.bold);
    for (const line of scenario.story) say(line, paint.dim);
    print();
    say(
      `The app: withFailover(new OpenAI(...), { fallbacks: [${app.providers.slice(1).join(", ")}] }), asking for ${models.openai}.`,
    );
    const [minThink, maxThink] = defaultThinkMs;
    say(
      `Its traffic: ${options.concurrency} simulated clients, each making one call at a time with a ${minThink}–${maxThink} ms pause between calls (${Math.round(options.streamShare * 100)}% streams), so fewer than ${options.concurrency} calls are in flight at any moment. Providers: embedded mock servers on 127.0.0.1 (no keys, no network).`,
    );
    for (const line of [...policy.explanation, ...(scenario.policyNotes ?? [])]) say(line, paint.dim);
    say(
      `Timeline: ${scenario.phases.map((p) => `${p.label} ${secs(p.share * durationMs)}`).join(" → ")}. Ctrl-C ends early.`,
      paint.dim,
    );
    print();

    view = new LiveView(out, state, paint, run.tty);
    stats.onBreakerChange((c) => {
      const to =
        c.to === "open" ? paint.red(c.to) : c.to === "closed" ? paint.green(c.to) : paint.yellow(c.to);
      view?.event(`breaker ${c.provider}/${c.model}: ${c.from} → ${to} (${c.reason})`);
    });

    const enterPhase = async (index: number) => {
      const phase = scenario.phases[index]!;
      const startedAt = Date.now();
      state.phase = index;
      state.phaseStarts[index] = startedAt;
      await phase.enter({ mocks, startedAt, durationMs: phase.share * durationMs });
      if (phase.recovery) state.recoveryAt = Date.now();
      view?.event(
        `${paint.cyan(`phase ${index + 1}/${scenario.phases.length}`)} ${paint.bold(phase.label)}: ${phase.description}`,
      );
    };

    load = new LoadGenerator(app, stats, () => state.phase, {
      concurrency: options.concurrency,
      streamShare: options.streamShare,
      model: models.openai,
    });
    await load.warmUp();
    for (const mock of mocks.all) mock.reset();
    stats.attach(app.engine);
    state.startedAt = Date.now();
    await enterPhase(0);
    view.start();
    load.start();

    let boundary = state.startedAt;
    for (let i = 0; i < scenario.phases.length; i++) {
      boundary += scenario.phases[i]!.share * durationMs;
      const last = i === scenario.phases.length - 1;
      if (!(await waitUntil(last ? state.startedAt + durationMs : boundary, signal))) {
        state.interrupted = true;
        break;
      }
      if (!last) await enterPhase(i + 1);
    }

    state.endedAt = Date.now();
    view.event(
      `${state.interrupted ? "drill ended early (Ctrl-C)" : "drill over"}: no new calls; waiting for the ${stats.inFlight} in flight`,
    );
    await load.stop();
    view.stop();

    const { lines, result } = summarize(state, paint);
    for (const line of lines) print(line);
    return { exitCode: result.failed === 0 && result.calls > 0 ? 0 : 1, result };
  } finally {
    // On an error too: no timer, worker or server outlives the drill.
    view?.stop();
    await load?.stop();
    stats?.detach();
    await mocks.close();
  }
};
