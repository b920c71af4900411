/**
 * Rule 4 of the hardening issue, at load over real HTTP: when everything is out, the library sheds
 * load instead of storming. Calls arrive at ~200 a second (an open loop, as from many users) through
 * the real OpenAI and Anthropic SDKs while both providers fail. Measured before the fix: both 503 →
 * 53–80 upstream requests a second while both breakers said "open"; both 429 `Retry-After: 30` →
 * every one of 1,002 calls sent inside the 30 s.
 *
 * THE BOUNDS asserted (docs/concepts.md, "When every provider is out"), per provider, with C the
 * most calls in flight at once:
 * - breakers: requests ≤ C + consecutiveFailures − 1 + 1 + ⌈elapsed / halfOpenAfterMs⌉. While closed
 *   a request is one of the failures before the breaker opened or was in flight when it did (a call
 *   has one request out at a time, retries included); once open, one probe per break, each break at
 *   least halfOpenAfterMs, plus one last-resort probe. So once both breakers are open (the second
 *   phase below), a whole run of calls costs at most 1 + ⌈elapsed / halfOpenAfterMs⌉ requests each.
 * - cooling: requests ≤ C. Once a 429 with a stated wait is recorded nothing more is sent to that
 *   provider inside the wait: only requests already in flight when it came back; in the second
 *   phase, none at all.
 * Counts, never speed: elapsed time only widens the probe allowance.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  anthropic,
  createClient,
  defaultPolicy,
  type FailoverClient,
  isAllProvidersFailedError,
  openai,
  type PolicyOptions,
} from "../../src/index.js";
import { faults } from "../../src/testing/index.js";
import { runPaced } from "./helpers/load.js";
import { API_KEYS, MODELS, PROMPT } from "./helpers/providers.js";
import { type RemoteMock, type RemoteMockHost, startRemoteMockHost } from "./helpers/remote-mocks.js";

const RATE = 200;
const BREAKER = defaultPolicy.breaker;

let host: RemoteMockHost;
let primary: RemoteMock;
let fallback: RemoteMock;

beforeEach(async () => {
  host = await startRemoteMockHost();
  primary = await host.start({ kind: "openai", name: "openai" });
  fallback = await host.start({ kind: "anthropic", name: "anthropic" });
});

afterEach(async () => {
  await host.close();
});

const makeClient = (policy: PolicyOptions = {}): FailoverClient =>
  createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }),
        model: MODELS.openai,
      }),
      anthropic({
        client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: fallback.baseURL }),
        model: MODELS.anthropic,
      }),
    ],
    ...policy,
  });

const load = (client: FailoverClient, durationMs: number) =>
  runPaced(client, {
    ratePerSecond: RATE,
    durationMs,
    request: (i) => ({ messages: [{ role: "user", content: `${PROMPT} #${i}` }], maxTokens: 64 }),
    mode: (i) => (i % 2 === 0 ? "chat" : "stream"),
  });

const count = async (mock: RemoteMock) => (await mock.stats()).callCount;

const report = (label: string, numbers: Record<string, number>) =>
  console.info(`[shed-load] ${label}: ${JSON.stringify(numbers)}`);

describe("every provider out at ~200 calls/s", () => {
  it("both 503: once the breakers are open, calls fail fast and only probes go out", async () => {
    await Promise.all([
      primary.setDefault(faults.serverError(503)),
      fallback.setDefault(faults.serverError(503)),
    ]);
    const client = makeClient();
    // Phase 1: the outage is learnt; both breakers open.
    const opening = await load(client, 1_000);
    const opened = { openai: await count(primary), anthropic: await count(fallback) };
    const openingBound =
      opening.maxInFlight +
      BREAKER.consecutiveFailures -
      1 +
      1 +
      Math.ceil(opening.elapsedMs / BREAKER.halfOpenAfterMs);
    expect(opened.openai).toBeLessThanOrEqual(openingBound);
    expect(opened.anthropic).toBeLessThanOrEqual(openingBound);
    expect(client.health().map((h) => h.state)).toEqual(["open", "open"]);
    // Phase 2: 3 s more of calls against open breakers.
    const run = await load(client, 3_000);
    const requests = {
      openai: (await count(primary)) - opened.openai,
      anthropic: (await count(fallback)) - opened.anthropic,
    };
    const bound = 1 + Math.ceil(run.elapsedMs / BREAKER.halfOpenAfterMs);
    report("both 503", {
      calls: run.calls,
      ...requests,
      bound,
      opening: opening.calls,
      ...prefix("opening", opened),
    });
    expect(run.results).toEqual([]);
    expect(run.failures.every(isAllProvidersFailedError)).toBe(true);
    expect(requests.openai).toBeLessThanOrEqual(bound);
    expect(requests.anthropic).toBeLessThanOrEqual(bound);
    // Calls fail without a request and say when to come back.
    const fast = run.failures.filter(isAllProvidersFailedError).filter((e) => e.attempts.length === 0);
    expect(fast.length).toBeGreaterThanOrEqual(run.calls - 2 * bound);
    for (const error of fast) {
      expect(error.skipped.map((s) => s.reason)).toEqual(["breaker-open", "breaker-open"]);
      expect(error.retryInMs).toBeGreaterThan(0);
      expect(error.retryInMs).toBeLessThanOrEqual(BREAKER.maxHalfOpenAfterMs);
    }
  });

  it("both 429 Retry-After 30: nothing is sent inside the window; calls fail fast saying when each is due back", async () => {
    const limited = faults.rateLimited({ retryAfter: "30", resetHeaders: false });
    await Promise.all([primary.setDefault(limited), fallback.setDefault(limited)]);
    // A 10 s call deadline: no call may wait out the 30 s (it fails at once instead).
    const client = makeClient({ deadlines: { totalMs: 10_000 } });
    const first = await load(client, 1_000);
    const learnt = { openai: await count(primary), anthropic: await count(fallback) };
    expect(learnt.openai).toBeLessThanOrEqual(first.maxInFlight);
    expect(learnt.anthropic).toBeLessThanOrEqual(first.maxInFlight);
    const run = await load(client, 2_000);
    const requests = {
      openai: (await count(primary)) - learnt.openai,
      anthropic: (await count(fallback)) - learnt.anthropic,
    };
    report("both 429", { calls: run.calls, ...requests, first: first.calls, ...prefix("first", learnt) });
    expect(requests).toEqual({ openai: 0, anthropic: 0 });
    expect(run.results).toEqual([]);
    expect(run.failures).toHaveLength(run.calls);
    for (const error of run.failures) {
      if (!isAllProvidersFailedError(error)) throw error;
      expect(error.attempts).toEqual([]);
      expect(error.skipped.map((s) => s.reason)).toEqual(["cooling", "cooling"]);
      expect(error.retryInMs).toBeGreaterThan(25_000);
      expect(error.retryInMs).toBeLessThanOrEqual(30_000);
      expect(error.message).toMatch(/openai: cooling, due back in \d+ s/);
    }
  });
});

const prefix = (name: string, numbers: Record<string, number>) =>
  Object.fromEntries(Object.entries(numbers).map(([key, value]) => [`${name}.${key}`, value]));
