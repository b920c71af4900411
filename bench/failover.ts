/**
 * Benchmark 2: failover. The OpenAI primary fails (503, connection refused, HTML 502 from a CDN,
 * black hole); Anthropic answers. Time to answer vs a direct SDK call to Anthropic, on a fresh
 * client's first call and with the primary's breaker open (zero requests to the primary).
 */
import { performance } from "node:perf_hooks";
import type { FailoverClient } from "../src/index.js";
import type { Attempt } from "../src/spec/attempt.js";
import type { ProviderAdapter } from "../src/spec/provider.js";
import { faults } from "../src/testing/index.js";
import type { BenchContext } from "./lib/context.js";
import { anthropicKit, MAX_TOKENS, openAIKit, PROMPT, type ProviderKit } from "./lib/providers.js";
import type { RemoteMock } from "./lib/remote-mocks.js";
import {
  fmtCount,
  fmtLatency,
  fmtMs,
  fmtRatio,
  fmtSigned,
  type Row,
  type Section,
  type Table,
} from "./lib/report.js";
import { latencyRow, row } from "./lib/rows.js";
import { summarize } from "./lib/stats.js";
import { compare, sleep, waitUntil } from "./lib/timing.js";

const request = { messages: [{ role: "user" as const, content: PROMPT }], maxTokens: MAX_TOKENS };
/** "Within 5 ms of a direct call to the fallback." */
const TOLERANCE_MS = 5;
/** Long enough that no half-open probe lands inside a measurement: "open" means open here. */
const HALF_OPEN_AFTER_MS = 120_000;

interface Setup {
  primary: RemoteMock;
  fallback: RemoteMock;
  fallbackKit: ProviderKit;
  primaryAdapter: ProviderAdapter;
  fallbackAdapter: ProviderAdapter;
  makeClient(): FailoverClient;
}

interface ErrorFault {
  key: string;
  label: string;
  apply(primary: RemoteMock): Promise<void>;
  undo(primary: RemoteMock): Promise<void>;
}

const errorFaults: ErrorFault[] = [
  {
    key: "503",
    label: "primary returns 503",
    apply: (m) => m.setDefault(faults.serverError(503)),
    undo: (m) => m.reset(),
  },
  {
    key: "refused",
    label: "primary refuses connections (down)",
    apply: (m) => m.down(),
    undo: async (m) => {
      await m.up();
      await m.reset();
    },
  },
  {
    key: "html",
    label: "primary sends a Cloudflare HTML 502",
    apply: (m) => m.setDefault(faults.html(502)),
    undo: (m) => m.reset(),
  },
];

const plural = (n: number, word: string): string => `${fmtCount(n)} ${word}${n === 1 ? "" : "s"}`;

const primaryRequests = async (m: RemoteMock): Promise<number> => (await m.stats()).callCount;

const describeAttempts = (attempts: readonly Attempt[]): string =>
  attempts
    .map(
      (a) =>
        `${a.provider}${a.reason === "hedge" ? " (hedge)" : ""}: ${a.outcome}${a.status ? ` ${a.status}` : ""} (${a.durationMs} ms)`,
    )
    .join(", ");

/** Fresh client per sample: its first call meets the failing primary with a closed breaker. */
const firstCallRows = async (
  ctx: BenchContext,
  setup: Setup,
  fault: ErrorFault,
): Promise<{ rows: Row[]; note: string }> => {
  const { failover } = ctx.config;
  const sample = await setup.makeClient().chat(request);
  if (sample.provider !== "anthropic")
    throw new Error(`failover sanity (${fault.key}): answered by ${sample.provider}`);
  const paired = await compare(
    {
      direct: () => setup.fallbackKit.directChat(),
      wrapped: async () => {
        const client = setup.makeClient();
        const start = performance.now();
        const res = await client.chat(request);
        const ms = performance.now() - start;
        if (res.provider !== "anthropic")
          throw new Error(`failover (${fault.key}): answered by ${res.provider}`);
        return ms;
      },
    },
    { warmupBlocks: 2, blocks: failover.firstCalls, blockSize: 1 },
  );
  const direct = summarize(paired.direct.elapsed);
  const first = summarize(paired.wrapped.metric);
  const added = first.median - direct.median;
  return {
    rows: [
      row(
        `${fault.label}: first call (fresh client)`,
        fmtLatency(direct),
        fmtLatency(first),
        `${fmtSigned(added, fmtMs)} (${fmtRatio(first.median / direct.median)})`,
        {
          text: `≤ +${TOLERANCE_MS} ms`,
          ok: added <= TOLERANCE_MS,
          label: `${fault.label}: first call vs direct fallback`,
        },
      ),
    ],
    note: `${fault.label}: ${describeAttempts(sample.attempts)}`,
  };
};

/** Calls per block with the breaker open (the latency target's interval resamples blocks). */
const OPEN_BLOCK = 25;

/** One client; fail until the primary's breaker opens, then measure calls with it open. */
const openBreakerRows = async (
  ctx: BenchContext,
  setup: Setup,
  fault: ErrorFault,
  healthy: FailoverClient,
): Promise<Row[]> => {
  const { failover } = ctx.config;
  const client = setup.makeClient();
  let opening = 0;
  while (!client.health().some((h) => h.provider === "openai" && h.state === "open")) {
    await client.chat(request);
    if (++opening > 50) throw new Error(`failover (${fault.key}): the breaker never opened`);
  }
  const before = await primaryRequests(setup.primary);
  const vsDirect = await compare(
    { direct: () => setup.fallbackKit.directChat(), wrapped: () => client.chat(request) },
    {
      warmupBlocks: 1,
      blocks: Math.max(2, Math.round(failover.openBreakerCalls / OPEN_BLOCK)),
      blockSize: OPEN_BLOCK,
    },
  );
  const vsHealthy = await compare(
    { direct: () => healthy.chat(request), wrapped: () => client.chat(request) },
    {
      warmupBlocks: 1,
      blocks: Math.max(2, Math.round(failover.openBreakerCalls / OPEN_BLOCK)),
      blockSize: OPEN_BLOCK,
    },
  );
  const leaked = (await primaryRequests(setup.primary)) - before;
  const calls = vsDirect.wrapped.elapsed.length + vsHealthy.wrapped.elapsed.length;
  const stillOpen = client.health().some((h) => h.provider === "openai" && h.state === "open");
  return [
    row(
      `${fault.label}: requests to the primary during ${fmtCount(calls)} calls with its breaker open`,
      "—",
      `${fmtCount(leaked)}${stillOpen ? "" : " (breaker no longer open!)"}`,
      `${fmtCount(leaked)} requests`,
      {
        text: "0",
        ok: leaked === 0 && stillOpen,
        label: `${fault.label}: zero requests to the primary while open`,
      },
    ),
    latencyRow(`${fault.label}: breaker open, vs direct SDK call to the fallback`, vsDirect),
    {
      ...latencyRow(`${fault.label}: breaker open, vs a healthy client with the fallback only`, vsHealthy, {
        maxRatio: 1.05,
        label: `${fault.label}: an open breaker costs no time (vs fallback-only client)`,
        blockSize: OPEN_BLOCK,
      }),
    },
  ];
};

interface BlackHoleCall {
  ms: number;
  provider: string;
  primaryRequests: number;
  attempts: string;
  hedged: boolean;
}

const blackHoleSequence = async (
  setup: Setup,
  calls: number,
  client: FailoverClient = setup.makeClient(),
): Promise<BlackHoleCall[]> => {
  const out: BlackHoleCall[] = [];
  for (let i = 0; i < calls; i++) {
    const before = await primaryRequests(setup.primary);
    const start = performance.now();
    const res = await client.chat(request);
    const ms = performance.now() - start;
    out.push({
      ms,
      provider: res.provider,
      primaryRequests: (await primaryRequests(setup.primary)) - before,
      attempts: describeAttempts(res.attempts),
      hedged: res.attempts.some((a) => a.reason === "hedge"),
    });
  }
  // Black-holed requests are aborted by the engine: the mock must see every one of them closed.
  await waitUntil(
    async () => (await setup.primary.stats()).inFlight === 0,
    10_000,
    "black-holed requests to close",
  );
  return out;
};

const blackHoleTable = async (ctx: BenchContext, setup: Setup): Promise<Table> => {
  const { failover } = ctx.config;
  const hedgeMs = failover.suspectHedgeDelayMs;
  await setup.primary.setDefault(faults.blackHole());
  // One unmeasured sequence with short deadlines first: the timeout, abort and hedge code paths run
  // hot in the measured sequences, as they would in a process that has been up for a while.
  await blackHoleSequence(
    setup,
    6,
    ctx.lib.createClient({
      providers: [setup.primaryAdapter, setup.fallbackAdapter],
      deadlines: { headersMs: 60 },
      suspectHedgeDelayMs: 30,
    }),
  );
  const sequences: BlackHoleCall[][] = [];
  const directSamples: number[] = [];
  for (let s = 0; s < failover.blackHoleSequences; s++) {
    ctx.log(`failover: black hole, sequence ${s + 1} of ${failover.blackHoleSequences}`);
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await setup.fallbackKit.directChat();
      directSamples.push(performance.now() - start);
    }
    sequences.push(await blackHoleSequence(setup, failover.blackHoleCallsPerSequence));
  }
  await setup.primary.reset();
  const direct = summarize(directSamples);
  const firsts = sequences.map((seq) => seq[0]!);
  const hedgedCalls = sequences.flatMap((seq) => seq.slice(1).filter((c) => c.primaryRequests > 0));
  const skippedCalls = sequences.flatMap((seq) => seq.slice(1).filter((c) => c.primaryRequests === 0));
  const rows: Row[] = [];

  const first = summarize(firsts.map((c) => c.ms));
  const firstExcess = first.median - (failover.headersMs + direct.median);
  rows.push(
    row(
      `call 1 (${fmtCount(firsts.length)} fresh clients): headers deadline, then the fallback`,
      fmtMs(direct.median),
      `${fmtMs(first.median)} (max ${fmtMs(first.max)})`,
      `${fmtSigned(firstExcess, fmtMs)} over headersMs + direct`,
      {
        text: `≤ headersMs + direct + ${TOLERANCE_MS} ms`,
        ok: firstExcess <= TOLERANCE_MS,
        label: `primary black-holed: first call within headersMs (${failover.headersMs} ms) + direct + ${TOLERANCE_MS} ms`,
      },
    ),
  );
  if (hedgedCalls.length > 0) {
    const hedged = summarize(hedgedCalls.map((c) => c.ms));
    const excess = hedged.median - (hedgeMs + direct.median);
    const allHedged = hedgedCalls.every((c) => c.hedged);
    rows.push(
      row(
        `calls 2+ while the primary is suspect and its breaker closed (${plural(hedgedCalls.length, "call")}): ${allHedged ? "hedged after the delay" : "NOT all hedged"}`,
        fmtMs(direct.median),
        `${fmtMs(hedged.median)} (max ${fmtMs(hedged.max)})`,
        `${fmtSigned(excess, fmtMs)} over the hedge delay + direct`,
        {
          text: `≤ hedge delay + direct + ${TOLERANCE_MS} ms`,
          ok: allHedged && excess <= TOLERANCE_MS,
          label: `primary black-holed: later calls hedged within ${hedgeMs} ms + direct + ${TOLERANCE_MS} ms ("about a second")`,
        },
      ),
    );
  }
  if (skippedCalls.length > 0) {
    const open = summarize(skippedCalls.map((c) => c.ms));
    rows.push(
      row(
        `later calls once the breaker opened (${plural(skippedCalls.length, "call")}): primary skipped`,
        fmtLatency(direct),
        fmtLatency(open),
        `${fmtRatio(open.median / direct.median)}, ${fmtCount(skippedCalls.reduce((n, c) => n + c.primaryRequests, 0))} primary requests`,
      ),
    );
  }
  const notes = [
    `${plural(failover.blackHoleSequences, "sequence")} of ${failover.blackHoleCallsPerSequence} sequential calls, each on a fresh client, after an unmeasured warm-up sequence; ` +
      `\`deadlines.headersMs: ${failover.headersMs}\` (above the hedge delay, so the two can be told apart), ` +
      `\`suspectHedgeDelayMs: ${hedgeMs}\`${hedgeMs === 1_000 ? " (the default)" : ""}, other policy defaults. ` +
      "Direct = 20 direct SDK calls to the fallback before each sequence.",
    `Every call, in ms: ${sequences.map((seq) => seq.map((c) => c.ms.toFixed(0)).join(", ")).join(" | ")}.`,
    `Attempts of the first sequence: ${sequences[0]!.map((c, i) => `(${i + 1}) ${c.attempts}`).join("; ")}.`,
  ];
  return {
    title: "Primary black-holed (reads the request, never answers) → Anthropic",
    columns: ["call", "direct SDK (fallback)", "ai-failover", "over the expected", "target", "result"],
    rows,
    notes,
  };
};

export const runFailover = async (ctx: BenchContext): Promise<Section> => {
  const { failover } = ctx.config;
  const primary = await ctx.host.start("failover-openai", "openai");
  const fallback = await ctx.host.start("failover-anthropic", "anthropic");
  const primaryKit = openAIKit(ctx.lib, primary);
  const fallbackKit = anthropicKit(ctx.lib, fallback);
  const primaryAdapter = primaryKit.adapter();
  const fallbackAdapter = fallbackKit.adapter();
  const setup: Setup = {
    primary,
    fallback,
    fallbackKit,
    primaryAdapter,
    fallbackAdapter,
    makeClient: () =>
      ctx.lib.createClient({
        providers: [primaryAdapter, fallbackAdapter],
        deadlines: { headersMs: failover.headersMs },
        suspectHedgeDelayMs: failover.suspectHedgeDelayMs,
        breaker: { halfOpenAfterMs: HALF_OPEN_AFTER_MS, maxHalfOpenAfterMs: HALF_OPEN_AFTER_MS },
      }),
  };
  const healthy = ctx.lib.createClient({ providers: [fallbackAdapter] });
  // Warm both SDK clients and the engine before anything is measured.
  for (let i = 0; i < 20; i++) {
    await fallbackKit.directChat();
    await primaryKit.directChat();
    await healthy.chat(request);
    await setup.makeClient().chat(request);
  }

  const firstRows: Row[] = [];
  const openRows: Row[] = [];
  const attemptNotes: string[] = [];
  for (const fault of errorFaults) {
    ctx.log(`failover: ${fault.label}`);
    await fault.apply(primary);
    try {
      const first = await firstCallRows(ctx, setup, fault);
      firstRows.push(...first.rows);
      attemptNotes.push(first.note);
      openRows.push(...(await openBreakerRows(ctx, setup, fault, healthy)));
    } finally {
      await fault.undo(primary);
      await sleep(10);
    }
  }
  ctx.log("failover: black hole");
  const blackHole = await blackHoleTable(ctx, setup);

  return {
    id: "failover",
    heading: "Failover",
    intro: [
      "`createClient({ providers: [openai({ client }), anthropic({ client })] })` with the OpenAI mock failing; the " +
        "Anthropic mock answers. *Direct SDK* is the Anthropic SDK's `messages.create` (non-streaming) called by hand " +
        "against the same Anthropic mock. The engine streams under the hood (the default), so even a healthy " +
        "call through it costs what section 1 shows on top of the SDK; the first-call targets include that.",
      `Breakers use \`halfOpenAfterMs: ${HALF_OPEN_AFTER_MS}\` here so no half-open probe falls inside a measurement ` +
        "(with the default 5 s one probe per 5 s would reach the primary, by design).",
    ],
    tables: [
      {
        title: "First call on a fresh client (breaker closed): time to the fallback's answer",
        columns: ["fault", "direct SDK (fallback)", "ai-failover", "added (ratio)", "target", "result"],
        rows: firstRows,
        notes: [
          `${fmtCount(failover.firstCalls)} fresh clients per fault (client creation not timed), alternating with direct calls.`,
          `Attempt logs of one first call: ${attemptNotes.join("; ")}.`,
        ],
      },
      {
        title: "Later calls, primary's breaker open",
        columns: ["fault", "direct / baseline", "ai-failover", "ratio / count", "target", "result"],
        rows: openRows,
        notes: [
          "The breaker opens after 5 consecutive failures (the default); requests to the primary are counted by the mock " +
            "(`callCount`) from the moment it is open. The second latency row compares against " +
            "`createClient({ providers: [anthropic(...)] })`, which isolates what the open breaker costs. Its verdict " +
            `comes from the ratio's 90 % interval over blocks of ${OPEN_BLOCK} calls (as in section 1): pass or miss only ` +
            "when the interval, and each half of the blocks alone, lies on one side of 1.05×.",
        ],
      },
      blackHole,
    ],
    notes: [],
  };
};
