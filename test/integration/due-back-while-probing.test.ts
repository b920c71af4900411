/**
 * When every provider is out, `AllProvidersFailedError.retryInMs` and `health().retryInMs` say when
 * the first one is due back, and the docs tell apps to put it in their own 503's `Retry-After`.
 * While a breaker's probe is out, the breaker refuses calls until the probe reports or is presumed
 * lost (60 s), but the provider is due back when the probe succeeds, or one break later if it fails.
 * Before the fix every call that skipped the provider during the probe said "due back in 60 s"
 * while the break that followed the probe's failure was 2 s here (10 s at the defaults).
 * Through the real OpenAI SDK against the mock, the probe answered slowly with a 503.
 */
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, type FailoverClient, isAllProvidersFailedError, openai } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { API_KEYS, MODELS, PROMPT } from "./helpers/providers.js";

const FIRST_BREAK_MS = 1_000;
const NEXT_BREAK_MS = 2 * FIRST_BREAK_MS;
const messages = [{ role: "user" as const, content: PROMPT }];

let primary: MockProvider;
let client: FailoverClient;

beforeEach(async () => {
  primary = await startMockProvider({ kind: "openai", name: "openai" });
  client = createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }),
        model: MODELS.openai,
      }),
    ],
    breaker: { halfOpenAfterMs: FIRST_BREAK_MS },
    retry: { maxRetries: 0 },
  });
  primary.setDefault(faults.serverError(503));
  for (let i = 0; i < 5; i++) await client.chat({ messages }).catch(() => undefined);
  expect(client.health()[0]?.state).toBe("open");
});

afterEach(async () => {
  await primary.close();
});

const refusal = async (): Promise<{ retryInMs: number | undefined; skipped: number[]; message: string }> => {
  const error = await client.chat({ messages }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isAllProvidersFailedError(error))
    throw new Error(`expected AllProvidersFailedError, got ${String(error)}`);
  return {
    retryInMs: error.retryInMs,
    skipped: error.skipped.map((s) => s.retryInMs),
    message: error.message,
  };
};

describe("retryInMs while a probe is out", () => {
  it("the last-resort probe: calls that skip the provider are told the break that follows a failed probe, not the 60 s probe timeout", async () => {
    // The next call finds every provider out and sends the last-resort probe early; it hangs 300 ms.
    primary.setDefault(faults.slowHeaders(300, faults.serverError(503)));
    const probe = client.chat({ messages }).catch((error: unknown) => error);
    while (primary.callCount < 6) await new Promise((resolve) => setTimeout(resolve, 5));

    const during = await refusal();
    const health = client.health()[0]!;
    expect(primary.callCount, "the concurrent call sent nothing").toBe(6);
    for (const value of [during.retryInMs, ...during.skipped, health.retryInMs]) {
      expect(value).toBeGreaterThan(FIRST_BREAK_MS / 2);
      expect(value).toBeLessThanOrEqual(NEXT_BREAK_MS);
    }
    expect(health).toMatchObject({ state: "open", unavailable: "breaker-open" });
    expect(during.message).toMatch(/due back in [12]\.\d s/);

    // The probe fails: the breaker re-opens with the next break, which is what the estimate said.
    expect(isAllProvidersFailedError(await probe)).toBe(true);
    const after = client.health()[0]!;
    expect(after.state).toBe("open");
    expect(after.retryInMs).toBeGreaterThan(NEXT_BREAK_MS / 2);
    expect(after.retryInMs).toBeLessThanOrEqual(NEXT_BREAK_MS);
  });

  it("the half-open probe after the break: calls that skip the provider are told the next break, not 0 and not 60 s", async () => {
    primary.setDefault(faults.slowHeaders(300, faults.serverError(503)));
    // Spend the last-resort probe, then wait out the (second) break so the next call is the half-open probe.
    await client.chat({ messages }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, client.health()[0]!.retryInMs + 20));
    const sent = primary.callCount;
    const probe = client.chat({ messages }).catch((error: unknown) => error);
    while (primary.callCount === sent) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(client.health()[0]).toMatchObject({ state: "half-open", unavailable: "breaker-open" });
    const during = await refusal();
    expect(during.retryInMs).toBeGreaterThan(NEXT_BREAK_MS);
    expect(during.retryInMs).toBeLessThanOrEqual(2 * NEXT_BREAK_MS);

    await probe;
    const after = client.health()[0]!;
    expect(after.state).toBe("open");
    expect(after.retryInMs).toBeGreaterThan(NEXT_BREAK_MS);
  });
});
