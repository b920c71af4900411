/**
 * Recipe: logs, metrics and health checks from the attempts log and the engine's events — for the
 * native client and for `withFailover(new OpenAI())`.
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/observability.ts
 * See docs/recipes/observability.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import {
  type Attempt,
  anthropic,
  createClient,
  type FailoverClient,
  getFailoverClient,
  getFailoverInfo,
  isAllProvidersFailedError,
  openai,
  withFailover,
} from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

const mocks = await startMockProviders({ openai: {}, anthropic: {} });
const lines: string[] = [];

// --- the app's observability, written once for any FailoverClient ---
/** One JSON line per event. Events and attempts never carry prompt text or keys. */
const log = (event: string, fields: object): void => {
  const line = JSON.stringify({ event, ...fields });
  lines.push(line);
  console.log(line);
};

/** Counters and latencies per provider and outcome: what you would export to Prometheus/StatsD. */
const metrics = new Map<string, number[]>();
const observe = (attempt: Attempt): void => {
  const key = `${attempt.provider} ${attempt.outcome}`;
  metrics.set(key, [...(metrics.get(key) ?? []), attempt.durationMs]);
};

const instrument = (client: FailoverClient): void => {
  client.onAttemptEnd(({ attempt }) => {
    observe(attempt);
    if (attempt.outcome !== "ok") log("llm.attempt_failed", attempt);
  });
  client.onFallback((e) => log("llm.fallback", e));
  client.onRetry((e) => log("llm.retry", e));
  client.onBreakerStateChange((e) => log("llm.breaker", e));
  client.onHedge((e) => log("llm.hedge", e));
  client.onSkip((e) => log("llm.skip", e));
  client.onBudgetExhausted((e) => log("llm.retry_budget_exhausted", e));
};
// --- end of the observability ---

const client = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
});
instrument(client);
const secret = "my customer's private question";
const messages = [{ role: "user" as const, content: secret }];

// Healthy traffic, then OpenAI starts failing: five failures in a row open its breaker.
await client.chat({ messages });
mocks.openai.setDefault(faults.serverError(503));
for (let i = 0; i < 5; i++) await client.chat({ messages });
const requestsWhenOpen = mocks.openai.callCount;
// With the breaker open, OpenAI costs nothing: calls go straight to Anthropic.
const res = await client.chat({ messages });
console.log(`answered by ${res.provider}; attempts: ${res.attempts.map((a) => a.provider).join(", ")}`);
console.log(`requests to openai while its breaker was open: ${mocks.openai.callCount - requestsWhenOpen}`);

// A health endpoint: breaker state per (provider, model).
console.log(`health: ${JSON.stringify(client.health())}`);

// Every provider down: the error lists each attempt and each provider skipped.
mocks.anthropic.setDefault(faults.overloaded());
try {
  await client.chat({ messages });
} catch (error) {
  if (!isAllProvidersFailedError(error)) throw error;
  console.log(`all failed (${error.failureClass}); skipped: ${JSON.stringify(error.skipped)}`);
  for (const a of error.attempts) console.log(`  ${a.provider} ${a.reason} ${a.outcome} ${a.status ?? "-"}`);
}

// Metrics summary.
for (const [key, durations] of [...metrics].sort()) {
  const sorted = [...durations].sort((a, b) => a - b);
  console.log(`metric ${key}: count ${sorted.length}, p50 ${sorted[Math.floor(sorted.length / 2)]} ms`);
}

// The drop-in face: which provider answered, and the same events through getFailoverClient().
mocks.reset();
mocks.openai.setDefault(faults.serverError(503));
const wrapped = withFailover(new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), {
  fallbacks: [
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
});
instrument(getFailoverClient(wrapped)!);
const completion = await wrapped.chat.completions.create({ model: "gpt-4.1", messages });
const info = getFailoverInfo(completion);
console.log(
  `drop-in: answered by ${info?.provider} (failedOver ${info?.failedOver}), ${info?.attempts.length} attempts`,
);

await mocks.close();

const events = lines.map((l) => JSON.parse(l).event as string);
if (
  res.provider !== "anthropic" ||
  res.attempts.length !== 1 ||
  mocks.openai.callCount !== 1 ||
  !events.includes("llm.breaker") ||
  !events.includes("llm.fallback") ||
  info?.provider !== "anthropic" ||
  lines.some((l) => l.includes(secret))
) {
  console.error("unexpected result");
  process.exit(1);
}
