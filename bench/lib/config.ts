import type { BenchKind } from "./providers.js";

/** Iteration counts of one run. Everything else (the mocks, the clients) is the same in every mode. */
export interface BenchConfig {
  mode: "full" | "quick" | "smoke";
  overhead: {
    /** Providers measured; the first gets every scenario, the others chat() and stream(). */
    kinds: BenchKind[];
    warmupBlocks: number;
    blocks: number;
    blockSize: number;
    /** Same, for the providers after the first. */
    otherBlocks: number;
    /** Content events of the long stream. */
    longStreamEvents: number;
    longStreamBlocks: number;
    longStreamBlockSize: number;
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
    /** Streams held open after the long stream's events (each receives `overhead.longStreamEvents`). */
    longStreams: number;
  };
  throughput: {
    rounds: number;
    callsPerRound: number;
    /** In-flight calls in the concurrent scenario. */
    concurrency: number;
  };
}

export const fullConfig: BenchConfig = {
  mode: "full",
  overhead: {
    kinds: ["openai", "anthropic", "mistral"],
    warmupBlocks: 4,
    blocks: 50,
    blockSize: 20,
    otherBlocks: 20,
    longStreamEvents: 2_000,
    longStreamBlocks: 16,
    longStreamBlockSize: 5,
  },
  failover: {
    firstCalls: 100,
    openBreakerCalls: 300,
    blackHoleSequences: 3,
    blackHoleCallsPerSequence: 8,
    headersMs: 2_000,
    suspectHedgeDelayMs: 1_000,
  },
  memory: { streams: 1_000, warmupStreams: 20, longStreams: 250 },
  throughput: { rounds: 10, callsPerRound: 5_000, concurrency: 100 },
};

export const quickConfig: BenchConfig = {
  mode: "quick",
  overhead: {
    kinds: ["openai"],
    warmupBlocks: 3,
    blocks: 10,
    blockSize: 20,
    otherBlocks: 6,
    longStreamEvents: 2_000,
    longStreamBlocks: 4,
    longStreamBlockSize: 2,
  },
  failover: {
    firstCalls: 20,
    openBreakerCalls: 50,
    blackHoleSequences: 1,
    blackHoleCallsPerSequence: 6,
    headersMs: 2_000,
    suspectHedgeDelayMs: 1_000,
  },
  memory: { streams: 300, warmupStreams: 0, longStreams: 100 },
  throughput: { rounds: 4, callsPerRound: 3_000, concurrency: 100 },
};

/** For the smoke test: every code path once or twice; numbers meaningless. */
export const smokeConfig: BenchConfig = {
  mode: "smoke",
  overhead: {
    kinds: ["openai", "anthropic", "mistral"],
    warmupBlocks: 1,
    blocks: 2,
    blockSize: 2,
    otherBlocks: 2,
    longStreamEvents: 50,
    longStreamBlocks: 2,
    longStreamBlockSize: 1,
  },
  failover: {
    firstCalls: 2,
    openBreakerCalls: 3,
    blackHoleSequences: 1,
    blackHoleCallsPerSequence: 3,
    headersMs: 150,
    suspectHedgeDelayMs: 100,
  },
  memory: { streams: 10, warmupStreams: 0, longStreams: 5 },
  throughput: { rounds: 2, callsPerRound: 20, concurrency: 5 },
};
