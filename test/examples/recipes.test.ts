/**
 * Every recipe example runs, so the docs cannot rot: each examples/recipes/*.ts as a child process
 * (as a user runs it, proving it exits on its own), and the vitest-style recipe as tests of this file.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, it } from "vitest";
// The testing recipe is itself a vitest suite: importing it registers its tests here.
import "../../examples/recipes/testing-failover.test.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const recipes = readdirSync(new URL("../../examples/recipes/", import.meta.url)).filter(
  (file) => file.endsWith(".ts") && !file.endsWith(".test.ts"),
);

/** Runs one recipe with tsx under this Node, with no provider keys in its environment. */
const run = async (file: string): Promise<string> => {
  const { OPENAI_API_KEY: _o, ANTHROPIC_API_KEY: _a, MISTRAL_API_KEY: _m, ...env } = process.env;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", `examples/recipes/${file}`],
    {
      cwd: root,
      env,
      // A hang guard, not a speed check: eight recipes compile and run side by side, on a shared CI machine too.
      timeout: 60_000,
    },
  );
  return stdout;
};

/** Lines each recipe must print (each recipe also checks itself and exits 1 when something is off). */
const expected: Record<string, (string | RegExp)[]> = {
  "http-streaming.ts": [
    /^node:http healthy +HTTP 200 \[openai\] "Hello from openai" finish\(stop\)$/m,
    /^express +openai 503 +HTTP 200 \[anthropic\] .*finish\(stop\)$/m,
    /^fastify +cut mid-stream HTTP 200 \[openai\] .*error\(interrupted, connection\)$/m,
    /^hono +all down +HTTP 503 all_providers_failed$/m,
    /^next\.js +browser leaves .*the browser left; provider requests still open: 0$/m,
  ],
  "structured-output.ts": [
    'anthropic: {"category":"billing","priority":2,"summary":"Double charge","orderId":"1042"}',
    "openai: response_format json_schema, strict true, additionalProperties false",
    "StructuredOutputError from openai: priority:",
  ],
  "tool-loop.ts": [
    "steps: openai:get_order → anthropic:text",
    "anthropic was sent: user/text, assistant/tool_use, user/tool_result",
  ],
  "per-call-overrides.ts": [
    "models: openai used gpt-4.1-mini",
    "preferPrimary: openai/initial/server_error → openai/retry/ok",
    "default: openai/initial/server_error → anthropic/fallback/ok",
    "content_filter fall-over: openai/initial/content_filter → anthropic/fallback/ok",
    "signal: TimeoutError",
    "(requests sent: 0)",
    "no response headers within 1000 ms",
  ],
  "ai-sdk-app.ts": [
    'generateText: "The capital of France is Paris." from claude-sonnet-4-6',
    "attempts: openai/server_error → anthropic/ok",
    'route, openai 502: HTTP 200 "The capital of France is Paris."',
    'route, cut mid-answer: "Paris is the cap" + error "The answer was interrupted (connection). Please retry."',
    "logged: AI_APICallError, isRetryable false, cause AllProvidersFailedError",
  ],
  "gemini-fallback.ts": [
    "dec-26: Answer from Gemini. [google/gemini-2.5-flash] openai/server_error 503 → google/ok",
    "azure requests: 0",
    "gemini 429: openai/server_error 503 → google/rate_limited 429 → azure-openai/ok; google cooling 30 s",
  ],
  "rag-app.ts": [
    "healthy: refunds (vector 1.000 via openai); answer by openai: Refunds reach your card within 5 days.",
    "dec-11: refunds (vector 1.000 via azure-openai); answer by anthropic: Refunds reach your card within 5 days (Claude).",
    "dec-26: refunds (keyword (no embedding provider of the space is up)); answer by anthropic:",
    "refused: fallbacks.0 (mistral) (mistral-embed is another vector space)",
  ],
  "tracing.ts": [
    /^ {2}chat gpt-4\.1 → anthropic \(claude-sonnet-4-6\), 2 attempt\(s\)$/m,
    /^ {4}chat gpt-4\.1 \[openai\] server_error 503$/m,
    "event ai_failover.failover openai → anthropic (server_error)",
    "event ai_failover.breaker openai closed → open",
    "event ai_failover.skip openai (breaker-open)",
    "ai_failover.failovers {from=openai to=anthropic failure_class=server_error} 2",
    /gen_ai\.client\.operation\.duration \{provider\.name=anthropic response\.model=claude-sonnet-4-6\} count 3/,
  ],
  "observability.ts": [
    /"event":"llm\.breaker","callId":"[^"]+","provider":"openai","model":"gpt-4\.1","from":"closed","to":"open"/,
    "requests to openai while its breaker was open: 0",
    /skipped: \[\{"provider":"openai","model":"gpt-4.1","reason":"breaker-open","retryInMs":\d+\}\]/,
    "drop-in: answered by anthropic (failedOver true), 2 attempts",
  ],
  "verify-providers.ts": [
    /^openai +ok +GET \/models\/gpt-4\.1 \(\d+ ms\)$/m,
    /^anthropic +auth +401 invalid x-api-key \(\d+ ms\)$/m,
    "deploy check: FAIL — fix the provider above before the outage does",
    '/readyz: HTTP 200 {"ready":true,"providers":[["openai","ok"],["anthropic","auth"]]}',
    "requests to openai for 2 probes in a minute: 1",
    "drop-in: openai ok, anthropic ok",
    "health rows after verify: 0",
  ],
};

describe.concurrent("examples/recipes", () => {
  it("has an expectation for every recipe", ({ expect }) => {
    expect(recipes.sort()).toEqual(Object.keys(expected).sort());
  });
  for (const file of recipes) {
    it(`${file} runs against the mock providers and exits 0`, async ({ expect }) => {
      const stdout = await run(file);
      for (const line of expected[file] ?? []) {
        if (typeof line === "string") expect(stdout).toContain(line);
        else expect(stdout).toMatch(line);
      }
    }, 70_000);
  }
});
