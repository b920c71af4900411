import type { Pacing } from "./pacing.js";
import type { BenchKind } from "./providers.js";

/** Iteration counts and pacing of one run. Everything else (the mocks, the clients) is the same in every mode. */
export interface BenchConfig {
  mode: "full" | "quick" | "smoke";
  /** How the paced mocks answer (see pacing.ts). */
  pacing: {
    /** The short reply of the overhead benchmark: time to first text, fixed cost per call. */
    short: Pacing;
    /** The long reply: with the short one, CPU per streamed event. */
    long: Pacing;
    /** Reply lengths (events) of the transport trade-off, paced like `short`. */
    transportEvents: number[];
    /** Paced like a real provider, for sustained throughput. */
    sustained: Pacing;
  };
  overhead: {
    /** Providers measured; the first also gets the drop-in face and the A/A calibration. */
    kinds: BenchKind[];
    warmupRounds: number;
    /** Rounds of the short reply (each round: one block of every variant). */
    rounds: number;
    otherRounds: number;
    blockSize: number;
    /** Rounds of the long reply. */
    longRounds: number;
    otherLongRounds: number;
    longBlockSize: number;
  };
  transport: {
    /** Rounds per reply length (one call of each variant per round). */
    rounds: number;
    /** Headers deadline of the black-hole measurement. */
    headersMs: number;
  };
  sustained: {
    concurrency: number[];
    /** Each variant runs this long before and during its measured window. */
    warmupMs: number;
    windowMs: number;
  };
  failover: {
    /** Fresh clients whose first call meets the failing primary. */
    firstCalls: number;
    /** Calls made while the primary's breaker is open. */
    openBreakerCalls: number;
    /** Black-hole sequences (each a fresh client: ~headersMs + 4 × suspectHedgeDelayMs). */
    blackHoleSequences: number;
    blackHoleCallsPerSequence: number;
    headersMs: number;
    /** Hedge delay for a suspect provider (the library's default is 1 000 ms). */
    suspectHedgeDelayMs: number;
  };
  memory: {
    /** Streams held open at once, per side and scenario. */
    streams: number;
    /** Streams of the unmeasured warm-up round per side and scenario (0: none). */
    warmupStreams: number;
    /** Streams held open after the long stream's events (each receives `longStreamEvents`). */
    longStreams: number;
    longStreamEvents: number;
  };
  engine: {
    rounds: number;
    callsPerRound: number;
    /** In-flight calls in the concurrent scenario. */
    concurrency: number;
    /** Parts of the long in-memory stream. */
    longStreamParts: number;
  };
}

/** Short replies: a first token after 20 ms, then an event every 2 ms (real providers: 10–50 ms). */
const short: Pacing = { firstTokenMs: 20, intervalMs: 2, events: 10, chunkSize: 4, preciseFirstToken: true };

export const fullConfig: BenchConfig = {
  mode: "full",
  pacing: {
    short,
    long: { ...short, events: 300 },
    transportEvents: [10, 300, 1_000],
    sustained: { firstTokenMs: 300, intervalMs: 20, events: 30, chunkSize: 4 },
  },
  overhead: {
    kinds: ["openai", "anthropic", "mistral"],
    warmupRounds: 2,
    rounds: 12,
    otherRounds: 8,
    blockSize: 10,
    longRounds: 8,
    // As many as the first kind's: an interval from fewer blocks is not trusted to decide a target.
    otherLongRounds: 8,
    longBlockSize: 2,
  },
  transport: { rounds: 4, headersMs: 500 },
  sustained: { concurrency: [100, 1_000], warmupMs: 2_000, windowMs: 3_000 },
  failover: {
    firstCalls: 60,
    openBreakerCalls: 200,
    // 8, not 4: the first-call row is the median of one first call per sequence, and with 4 one
    // late timer moved it by 2-3 ms (three runs read +4.1, +3.0 and +6.2 ms against a 5 ms tolerance).
    blackHoleSequences: 8,
    blackHoleCallsPerSequence: 8,
    headersMs: 2_000,
    suspectHedgeDelayMs: 1_000,
  },
  memory: { streams: 1_000, warmupStreams: 20, longStreams: 250, longStreamEvents: 2_000 },
  engine: { rounds: 10, callsPerRound: 5_000, concurrency: 100, longStreamParts: 2_000 },
};

export const quickConfig: BenchConfig = {
  mode: "quick",
  pacing: {
    short,
    long: { ...short, events: 200 },
    transportEvents: [10, 300, 1_000],
    sustained: { firstTokenMs: 300, intervalMs: 20, events: 30, chunkSize: 4 },
  },
  overhead: {
    kinds: ["openai"],
    warmupRounds: 1,
    rounds: 4,
    otherRounds: 3,
    blockSize: 6,
    longRounds: 3,
    otherLongRounds: 2,
    longBlockSize: 1,
  },
  transport: { rounds: 1, headersMs: 500 },
  sustained: { concurrency: [100, 1_000], warmupMs: 1_500, windowMs: 2_000 },
  failover: {
    firstCalls: 20,
    openBreakerCalls: 50,
    blackHoleSequences: 1,
    blackHoleCallsPerSequence: 6,
    headersMs: 2_000,
    suspectHedgeDelayMs: 1_000,
  },
  memory: { streams: 300, warmupStreams: 0, longStreams: 100, longStreamEvents: 2_000 },
  engine: { rounds: 4, callsPerRound: 3_000, concurrency: 100, longStreamParts: 2_000 },
};

/** For the smoke test: every code path once or twice; numbers meaningless. */
export const smokeConfig: BenchConfig = {
  mode: "smoke",
  pacing: {
    short: { firstTokenMs: 2, intervalMs: 1, events: 3, chunkSize: 4 },
    long: { firstTokenMs: 2, intervalMs: 1, events: 8, chunkSize: 4 },
    transportEvents: [3, 8],
    sustained: { firstTokenMs: 5, intervalMs: 2, events: 4, chunkSize: 4 },
  },
  overhead: {
    kinds: ["openai", "anthropic", "mistral"],
    warmupRounds: 1,
    rounds: 2,
    otherRounds: 2,
    blockSize: 2,
    longRounds: 2,
    otherLongRounds: 2,
    longBlockSize: 1,
  },
  transport: { rounds: 1, headersMs: 150 },
  sustained: { concurrency: [5, 20], warmupMs: 100, windowMs: 300 },
  failover: {
    firstCalls: 2,
    openBreakerCalls: 3,
    blackHoleSequences: 1,
    blackHoleCallsPerSequence: 3,
    headersMs: 150,
    suspectHedgeDelayMs: 100,
  },
  memory: { streams: 10, warmupStreams: 0, longStreams: 5, longStreamEvents: 50 },
  engine: { rounds: 2, callsPerRound: 20, concurrency: 5, longStreamParts: 50 },
};
