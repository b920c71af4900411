/**
 * Recipe: one client, different needs per call — models, deadlines, retry style, failure actions,
 * provider-specific fields, headers, cancellation.
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/per-call-overrides.ts
 * See docs/recipes/per-call-overrides.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { anthropic, createClient, isInvalidRequestError, openai } from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

const mocks = await startMockProviders({ openai: {}, anthropic: {} });
const client = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
});
const messages = [{ role: "user" as const, content: "Summarise this ticket." }];
const trail = (attempts: { provider: string; reason: string; outcome: string }[]) =>
  attempts.map((a) => `${a.provider}/${a.reason}/${a.outcome}`).join(" → ");
const out: string[] = [];
const log = (line: string) => {
  out.push(line);
  console.log(line);
};

// 1. A cheaper model per provider for this call only (keyed by provider name).
const cheap = await client.chat({
  messages,
  models: { openai: "gpt-4.1-mini", anthropic: "claude-haiku-4-5" },
});
log(`models: ${cheap.provider} used ${mocks.openai.lastRequest?.model}`);

// 2. Provider-specific body fields and extra headers for this call.
await client.chat({
  messages,
  providerOptions: { openai: { seed: 7 }, anthropic: { metadata: { user_id: "u-123" } } },
  headers: { "x-request-id": "req-42" },
});
const sent = mocks.openai.lastRequest!;
log(
  `providerOptions: seed ${(sent.body as { seed?: number }).seed}, x-request-id ${sent.headers["x-request-id"]}`,
);

// 3. Model consistency matters for this call: retry OpenAI before falling over.
mocks.openai.script(faults.serverError(503));
const consistent = await client.chat({ messages, policy: { retry: { preferPrimary: true } } });
log(`preferPrimary: ${trail(consistent.attempts)}`);

// The same fault with the default policy: fall over at once.
mocks.openai.script(faults.serverError(503));
const fast = await client.chat({ messages });
log(`default: ${trail(fast.attempts)}`);

// 4. This feature may be answered by another provider when one's content filter refuses it.
mocks.openai.script(faults.contentFilter());
const filtered = await client.chat({
  messages,
  policy: { failureActions: { content_filter: { fallover: true } } },
});
log(`content_filter fall-over: ${trail(filtered.attempts)}`);

// 5. A caller-side budget: the call is cancelled with your reason, not retried elsewhere.
mocks.openai.script(faults.slowHeaders(2_000));
const cancelled = await client.chat({ messages, signal: AbortSignal.timeout(300) }).then(
  () => "answered",
  (error: Error) => error.name,
);
log(`signal: ${cancelled}`);

// 6. A mistake in a per-call policy is rejected before anything is sent.
const before = mocks.openai.callCount + mocks.anthropic.callCount;
const invalid = await client.chat({ messages, policy: { deadlines: { headersMs: -1 } } }).then(
  () => "accepted",
  (error: unknown) => (isInvalidRequestError(error) ? error.issues.join("; ") : "?"),
);
log(
  `invalid policy: ${invalid} (requests sent: ${mocks.openai.callCount + mocks.anthropic.callCount - before})`,
);

// 7. An interactive route: a black-holed OpenAI costs 1 s here, not the default 10 s.
mocks.openai.script(faults.blackHole());
const quick = await client.chat({ messages, policy: { deadlines: { headersMs: 1_000, totalMs: 5_000 } } });
log(`deadlines: ${trail(quick.attempts)} (${quick.attempts[0]?.message})`);

await mocks.close();

const expected = [
  "models: openai used gpt-4.1-mini",
  "providerOptions: seed 7, x-request-id req-42",
  "preferPrimary: openai/initial/server_error → openai/retry/ok",
  "default: openai/initial/server_error → anthropic/fallback/ok",
  "content_filter fall-over: openai/initial/content_filter → anthropic/fallback/ok",
  "signal: TimeoutError",
  "invalid policy: request.policy.deadlines.headersMs: Too small: expected number to be >0 (requests sent: 0)",
  "deadlines: openai/initial/timeout → anthropic/fallback/ok (openai (gpt-4.1) timeout: no response headers within 1000 ms)",
];
if (out.join("\n") !== expected.join("\n")) {
  console.error("unexpected output");
  process.exit(1);
}
