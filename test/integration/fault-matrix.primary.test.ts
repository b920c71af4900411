/**
 * The fault matrix, faulty provider FIRST: every fault the mock server injects × every adapter
 * (through its real SDK) × chat / chat(json transport) / stream, with a healthy provider of
 * another kind behind it. Expected outcomes follow DESIGN.md's failure-class table (see
 * helpers/matrix.ts): a fall-over class is answered by the fallback with 1 request each; a
 * bad request / content filter / context-length error stops at once without calling the fallback;
 * a stream failing after its first content raises StreamInterruptedError with exactly the partial
 * text. Every cell also checks that no key, prompt or HTML reaches an error, attempt or event.
 */
import { describe, it, vi } from "vitest";
import { createClient } from "../../src/index.js";
import { faults } from "../../src/testing/index.js";
import { describeFaultMatrix } from "./helpers/fault-matrix-suite.js";
import { PARTNER } from "./helpers/matrix.js";
import { ADAPTER_KINDS, adapterFor, PROMPT, PROVIDER_NAMES, startMock } from "./helpers/providers.js";

// Cells are independent (their own mocks and client); most wait on short deadlines, so run many at once.
vi.setConfig({ maxConcurrency: 24 });

const KINDS = [...ADAPTER_KINDS, "openai-compatible"] as const;

describeFaultMatrix("primary", KINDS);

/** Rows whose outcome depends on provider settings rather than on the fault alone. */
describe.concurrent.each(KINDS)("%s as the primary: settings-dependent outcomes", (kind) => {
  it("context length exceeded falls over only to a provider with a larger window", async ({ expect }) => {
    const primary = await startMock(kind);
    const bigger = await startMock(PARTNER[kind]);
    try {
      primary.script(faults.contextLength());
      const client = createClient({
        providers: [
          adapterFor(kind, primary, { contextWindow: 128_000 }),
          adapterFor(PARTNER[kind], bigger, { contextWindow: 1_000_000 }),
        ],
      });
      const result = await client.chat({ messages: [{ role: "user", content: PROMPT }] });
      expect(result.provider).toBe(PROVIDER_NAMES[PARTNER[kind]]);
      expect(result.attempts.map((a) => [a.provider, a.outcome, a.status])).toEqual([
        [PROVIDER_NAMES[kind], "context_length", 400],
        [PROVIDER_NAMES[PARTNER[kind]], "ok", undefined],
      ]);
      // A smaller window is never tried: the caller gets the typed error at once.
      primary.script(faults.contextLength());
      const smaller = await startMock(PARTNER[kind]);
      const narrow = createClient({
        providers: [
          adapterFor(kind, primary, { contextWindow: 128_000 }),
          adapterFor(PARTNER[kind], smaller, { contextWindow: 32_000 }),
        ],
      });
      const error = await narrow
        .chat({ messages: [{ role: "user", content: PROMPT }] })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "ProviderError", failureClass: "context_length", status: 400 });
      expect(smaller.callCount).toBe(0);
      await smaller.close();
    } finally {
      await Promise.all([primary.close(), bigger.close()]);
    }
  });

  it("a 429's reset time is read from the provider's own headers (120 s, cooling capped at 60 s)", async ({
    expect,
  }) => {
    const primary = await startMock(kind);
    const fallback = await startMock(PARTNER[kind]);
    try {
      primary.script(faults.rateLimited({ resetSeconds: 120 }));
      const client = createClient({
        providers: [adapterFor(kind, primary), adapterFor(PARTNER[kind], fallback)],
      });
      const result = await client.chat({ messages: [{ role: "user", content: PROMPT }] });
      expect(result.provider).toBe(PROVIDER_NAMES[PARTNER[kind]]);
      const health = client.health().find((h) => h.provider === PROVIDER_NAMES[kind])!;
      // OpenAI "2m0s", Azure retry-after-ms 120000, Anthropic RFC 3339 reset / retry-after 120: more
      // than maxCoolingMs (60 s), so cooling is capped and one probe decides after it. The Mistral
      // mock sends no reset header: the engine's default cooling (1 s) applies.
      expect(health.unavailable).toBe("cooling");
      if (kind === "mistral") expect(health.cooling).toMatchObject({ capped: false });
      else {
        expect(health.cooling).toMatchObject({ capped: true, status: 429 });
        expect(health.retryInMs).toBeGreaterThan(50_000);
      }
      expect(health.retryInMs).toBeLessThanOrEqual(60_000);
      // While cooling, the primary is skipped at no cost.
      await client.chat({ messages: [{ role: "user", content: PROMPT }] });
      expect(primary.callCount).toBe(1);
    } finally {
      await Promise.all([primary.close(), fallback.close()]);
    }
  });
});
