import type { PolicyOptions } from "../../src/index.js";
import { faults, type MockFault, type MockProvider } from "../../src/testing/index.js";
import { type DrillMocks, healthy, healthyReply } from "./mocks.js";

/** What a phase can act on when it starts. */
export interface PhaseContext {
  mocks: DrillMocks;
  /** When the phase started (epoch ms). */
  startedAt: number;
  /** How long the phase lasts (ms). */
  durationMs: number;
}

/** One step of an outage timeline. */
export interface Phase {
  /** Short label for the live view and the summary table. */
  label: string;
  /** What is happening, in one line. */
  description: string;
  /** Share of the drill's duration (the shares of a scenario add up to 1). */
  share: number;
  /** The failing providers are healthy again from this phase on ("time to recover" counts from here). */
  recovery?: boolean;
  /** Puts the mocks into this phase's state. */
  enter(ctx: PhaseContext): void | Promise<void>;
  /** A live detail for the phase line, e.g. the current error rate. */
  status?(now: number): string;
}

export interface Scenario {
  name: string;
  title: string;
  /** One line for `--help`. */
  summary: string;
  /** What happened in real life, printed before the drill starts. */
  story: string[];
  /** Whether an Azure OpenAI deployment (same failure domain as OpenAI) is among the fallbacks. */
  withAzure: boolean;
  /** Provider names that fail in this scenario (the first is the wrapped OpenAI client). */
  failing: string[];
  /** Policy the app sets for this scenario, over the drill's, and why (printed before the drill). */
  policy?: PolicyOptions;
  policyNotes?: string[];
  phases: Phase[];
}

const everyoneHealthy = ({ mocks }: PhaseContext): void => {
  for (const mock of mocks.all) mock.setDefault(healthy(mock));
};

const allHealthyPhase = (share: number): Phase => ({
  label: "healthy",
  description: "All providers healthy: OpenAI answers every call",
  share,
  enter: everyoneHealthy,
});

/** An error rate climbing linearly from 0 to 100% over the first `rampShare` of the phase, then held. */
const climbingRate = (ctx: PhaseContext, rampShare: number) => (now: number) =>
  Math.min(1, Math.max(0, (now - ctx.startedAt) / (ctx.durationMs * rampShare)));

const dec11 = (): Scenario => {
  let rate: (now: number) => number = () => 0;
  return {
    name: "dec-11",
    title: "OpenAI outage of 2024-12-11",
    summary: "OpenAI's 503s climb to 100%, then its connections hang, then it recovers",
    story: [
      "On 2024-12-11 a telemetry rollout took out the Kubernetes control planes behind OpenAI's API:",
      "error rates climbed, requests then hung, and the API was down for over four hours.",
    ],
    withAzure: false,
    failing: ["openai"],
    phases: [
      allHealthyPhase(0.15),
      {
        label: "503s climbing",
        description: "OpenAI's error rate climbs to 100% (HTTP 503)",
        share: 0.25,
        enter(ctx) {
          rate = climbingRate(ctx, 0.8);
          const { openai } = ctx.mocks;
          openai.setDefault(() =>
            Math.random() < rate(Date.now()) ? faults.serverError(503) : healthyReply(openai),
          );
        },
        status: (now) => `OpenAI 503 rate ${Math.round(rate(now) * 100)}%`,
      },
      {
        label: "hanging",
        description: "OpenAI black-holed: connections accepted, no response headers, ever",
        share: 0.25,
        enter: ({ mocks }) => {
          mocks.openai.setDefault(faults.blackHole());
        },
      },
      {
        label: "recovered",
        description: "OpenAI healthy again",
        share: 0.35,
        recovery: true,
        enter: everyoneHealthy,
      },
    ],
  };
};

const dec26 = (): Scenario => {
  let partial = 0.5;
  return {
    name: "dec-26",
    title: "OpenAI + Azure OpenAI outage of 2024-12-26",
    summary: "a data-centre power failure takes OpenAI and Azure OpenAI down together",
    story: [
      "On 2024-12-26 a power failure in an Azure data centre took ChatGPT and parts of OpenAI's API",
      "down for hours, Azure OpenAI with it: one failure domain. Here Azure OpenAI is the first",
      "fallback; the engine passes over it once OpenAI fails, because they share a domain.",
    ],
    withAzure: true,
    failing: ["openai", "azure-openai"],
    policy: { onStreamInterrupted: "continue" },
    policyNotes: [
      "The power failure also cuts streams mid-answer. A stream is never stitched silently: by default",
      "the app gets a StreamInterruptedError with the partial text. This app opts into",
      'onStreamInterrupted: "continue": the next provider continues from the partial text.',
    ],
    phases: [
      allHealthyPhase(0.15),
      {
        label: "power failure",
        description: "OpenAI and Azure OpenAI refuse connections (ECONNREFUSED)",
        share: 0.3,
        enter: async ({ mocks }) => {
          await Promise.all([mocks.openai.down(), mocks.azure?.down()]);
        },
      },
      {
        label: "partial restore",
        description: "OpenAI and Azure back, half their calls fail: CDN 502 pages, resets",
        share: 0.2,
        enter: async ({ mocks }) => {
          const flaky = (mock: MockProvider) => (): MockFault => {
            if (Math.random() >= partial) return healthyReply(mock);
            return Math.random() < 0.6 ? faults.html(502) : faults.reset();
          };
          for (const mock of [mocks.openai, mocks.azure]) {
            if (!mock) continue;
            mock.setDefault(flaky(mock));
            await mock.up();
          }
        },
        status: () => `failure rate ${Math.round(partial * 100)}%`,
      },
      {
        label: "recovered",
        description: "OpenAI and Azure OpenAI healthy again",
        share: 0.35,
        recovery: true,
        enter: (ctx) => {
          partial = 0;
          everyoneHealthy(ctx);
        },
      },
    ],
  };
};

/** OpenAI's faults in the flaky scenario, with their weights. All strike before the first content. */
const openAIFlakyFaults = (headersMs: number): [number, () => MockFault][] => [
  [5, () => faults.serverError(503)],
  [2, () => faults.serverError(500)],
  [1, () => faults.rateLimited({ retryAfter: "1" })],
  [2, () => faults.reset()],
  [2, () => faults.html(520)],
  [2, () => faults.cut(0)],
  [2, () => faults.inBandError()],
  [1, () => faults.malformed(0)],
  [1, () => faults.stall(0, { pingIntervalMs: 200 })],
  [1, () => faults.slowHeaders(headersMs * 3)],
];

const pickWeighted = <T>(entries: [number, () => T][]): T => {
  const total = entries.reduce((sum, [w]) => sum + w, 0);
  let r = Math.random() * total;
  for (const [w, make] of entries) {
    r -= w;
    if (r < 0) return make();
  }
  return entries[entries.length - 1]![1]();
};

const flaky = (headersMs: number): Scenario => {
  const openAIRate = 0.35;
  const anthropicRate = 0.1;
  return {
    name: "flaky",
    title: "A flaky day: mixed faults at OpenAI and Anthropic",
    summary:
      "random mixed faults: 503/500, 429 with Retry-After, resets, HTML pages, cut and stalled streams",
    story: [
      "Not an outage but a bad day: 35% of OpenAI's calls fail in every way a provider can fail before",
      "its first token, and Anthropic is overloaded now and then (529, in-band overloaded_error).",
    ],
    withAzure: false,
    failing: ["openai"],
    phases: [
      allHealthyPhase(0.1),
      {
        label: "flaky",
        description: `OpenAI: ${openAIRate * 100}% of calls fail (mixed); Anthropic: ${anthropicRate * 100}% overloaded`,
        share: 0.75,
        enter: ({ mocks }) => {
          const { openai, anthropic } = mocks;
          const faultList = openAIFlakyFaults(headersMs);
          openai.setDefault(() =>
            Math.random() < openAIRate ? pickWeighted(faultList) : healthyReply(openai),
          );
          anthropic.setDefault(() => {
            if (Math.random() >= anthropicRate) return healthyReply(anthropic);
            return Math.random() < 0.5
              ? faults.overloaded()
              : faults.inBandError({ errorType: "overloaded_error" });
          });
        },
      },
      {
        label: "calm",
        description: "Every provider healthy again",
        share: 0.15,
        recovery: true,
        enter: everyoneHealthy,
      },
    ],
  };
};

export const scenarioNames = ["dec-11", "dec-26", "flaky"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** Static descriptions (for `--help`). */
export const scenarios: Record<ScenarioName, { summary: string }> = {
  "dec-11": dec11(),
  "dec-26": dec26(),
  flaky: flaky(1_500),
};

/** A fresh scenario (phases keep per-run state). */
export const createScenario = (name: ScenarioName, headersMs: number): Scenario => {
  if (name === "dec-26") return dec26();
  if (name === "flaky") return flaky(headersMs);
  return dec11();
};
