/**
 * Recipe: prove every provider can answer before traffic needs it — a deploy check that fails the
 * rollout when a fallback's key is wrong, and a readiness probe that says whether the app can serve.
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/verify-providers.ts
 * See docs/recipes/verify-providers.md.
 */
import { createServer } from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import {
  anthropic,
  createClient,
  type FailoverClient,
  getFailoverClient,
  openai,
  type VerifyReport,
  withFailover,
} from "../../src/index.js";
import { startMockProviders } from "../../src/testing/index.js";

// The mocks check keys as the real APIs do; Anthropic's key below is the wrong one.
const mocks = await startMockProviders({
  openai: { apiKey: "sk-test", models: ["gpt-4.1"] },
  anthropic: { apiKey: "sk-ant-test" },
});

const client = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-revoked", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
});

// --- a deploy check: run it after deploying, fail the rollout on any broken provider ---
/** One line per provider, then the verdict. Reports carry no key and no prompt. */
const deployCheck = async (llm: FailoverClient): Promise<boolean> => {
  const report = await llm.verify({ timeoutMs: 5_000 });
  for (const p of report.providers) {
    const detail = p.outcome === "ok" ? p.check : `${p.status ?? ""} ${p.message ?? p.check ?? ""}`.trim();
    console.log(`${p.provider.padEnd(10)} ${p.outcome.padEnd(12)} ${detail} (${p.durationMs} ms)`);
  }
  return report.ok;
};
// --- end of the deploy check ---

const deployed = await deployCheck(client);
console.log(`deploy check: ${deployed ? "pass" : "FAIL — fix the provider above before the outage does"}`);

// --- a readiness probe: ready while at least one provider answers; checked at most once a minute ---
const readiness = (llm: FailoverClient, maxAgeMs = 60_000) => {
  let last: { at: number; report: Promise<VerifyReport> } | undefined;
  return async (): Promise<{ ready: boolean; report: VerifyReport }> => {
    if (!last || Date.now() - last.at > maxAgeMs) last = { at: Date.now(), report: llm.verify() };
    const report = await last.report;
    return { ready: report.providers.some((p) => p.outcome === "ok"), report };
  };
};

const probe = readiness(client);
const server = createServer(async (req, res) => {
  if (req.url !== "/readyz") return void res.writeHead(404).end();
  const { ready, report } = await probe();
  res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
  res.end(JSON.stringify({ ready, providers: report.providers.map((p) => [p.provider, p.outcome]) }));
});
// --- end of the readiness probe ---

await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };
const checksSoFar = mocks.openai.callCount;
const first = await fetch(`http://127.0.0.1:${port}/readyz`);
console.log(`/readyz: HTTP ${first.status} ${await first.text()}`);
await fetch(`http://127.0.0.1:${port}/readyz`);
console.log(`requests to openai for 2 probes in a minute: ${mocks.openai.callCount - checksSoFar}`);

// The drop-in has the same check, on the engine behind the wrapped client.
const wrapped = withFailover(new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), {
  fallbacks: [
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
});
const dropIn = await getFailoverClient(wrapped)!.verify();
console.log(`drop-in: ${dropIn.providers.map((p) => `${p.provider} ${p.outcome}`).join(", ")}`);

// Verifying changed no health: the wrong key did not take anthropic out of rotation.
console.log(`health rows after verify: ${client.health().length}`);

server.close();
await mocks.close();
if (deployed || !first.ok || !dropIn.ok) {
  console.error("unexpected result");
  process.exit(1);
}
