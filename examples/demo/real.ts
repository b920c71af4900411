import type { DemoOptions } from "./cli.js";
import { int, ms, type Palette, pct, table } from "./format.js";
import type { Output } from "./live-view.js";
import { LoadGenerator } from "./load.js";
import { realKeys } from "./real-keys.js";
import { answersByProvider, DrillStats, quantile } from "./stats.js";

/** Calls the `--real` flow makes: enough to see who answers, cheap enough to run any time. */
const realCalls = 6;

/**
 * `--real`: the same app code against the real providers, keys from the environment. No mocks and
 * no fault injection (a real outage is not ours to cause): a short flow that shows who answered.
 */
export const runReal = async (
  options: DemoOptions,
  out: Output,
  err: Output,
  paint: Palette,
): Promise<number> => {
  const keys = realKeys();
  if (!keys.openai || (!keys.anthropic && !keys.mistral)) {
    const missing = [
      keys.openai ? undefined : "OPENAI_API_KEY (the wrapped OpenAI client)",
      keys.anthropic || keys.mistral
        ? undefined
        : "ANTHROPIC_API_KEY or MISTRAL_API_KEY (at least one fallback)",
    ].filter(Boolean);
    err.write(
      [
        "--real needs API keys in the environment; missing:",
        ...missing.map((m) => `  - ${m}`),
        "Nothing was sent. Without --real the drill runs against local mock servers and needs no keys:",
        "  npm run demo",
        "",
      ].join("\n"),
    );
    return 2;
  }

  // The SDKs load only once the keys are known to be there.
  const { createRealApp, models } = await import("./app-client.js");
  const app = createRealApp({});
  const stats = new DrillStats(app.providers);
  stats.attach(app.engine);
  const print = (line = "") => out.write(`${line}\n`);
  print(paint.bold("ai-failover · --real: a short flow against the real providers"));
  print(
    `withFailover(new OpenAI(), { fallbacks: [${app.providers.slice(1).join(", ")}] }), ${realCalls} calls asking for ${models.openai}, 2 at a time, max_tokens 16.`,
  );
  print(
    paint.dim(
      "No fault injection here: every call should be answered by openai unless it is having a bad day.",
    ),
  );
  print();
  let n = 0;
  const load = new LoadGenerator(app, stats, () => 0, {
    concurrency: Math.min(2, options.concurrency),
    streamShare: 0.5,
    model: models.openai,
    maxCalls: realCalls,
    maxTokens: 16,
    thinkMs: [0, 0],
    onCall: (call) => {
      n++;
      const kind = call.stream ? "stream" : "chat  ";
      const who = call.provider
        ? `answered by ${call.failedOver ? paint.yellow(call.provider) : paint.green(call.provider)}`
        : paint.red(`failed: ${call.error}`);
      print(`  #${n} ${kind} ${who} in ${ms(call.ms)}`);
    },
  });
  try {
    load.start();
    await load.done();
  } finally {
    stats.detach();
  }
  const answers = answersByProvider(stats.calls, app.providers);
  const answered = stats.calls.length - stats.failed;
  print();
  for (const line of table(
    [
      ["calls", int(stats.calls.length)],
      ["failed", int(stats.failed)],
      [
        "answered by",
        app.providers
          .map((p) => `${p} ${int(answers.get(p) ?? 0)} (${pct(answers.get(p) ?? 0, answered)})`)
          .join(" · "),
      ],
      [
        "latency p50 / max",
        `${ms(
          quantile(
            stats.calls.map((c) => c.ms),
            0.5,
          ),
        )} / ${ms(Math.max(...stats.calls.map((c) => c.ms)))}`,
      ],
    ],
    () => false,
  ))
    print(`  ${line}`);
  return stats.failed === 0 && stats.calls.length > 0 ? 0 : 1;
};
