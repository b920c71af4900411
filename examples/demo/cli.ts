import { parseArgs } from "node:util";
import { type ScenarioName, scenarioNames, scenarios } from "./scenarios.js";

/** What the command line asks for. */
export interface DemoOptions {
  /** Length of the drill in seconds; every phase scales to it. */
  durationS: number;
  scenario: ScenarioName;
  /** Simulated clients, each making one call at a time (so at most this many calls in flight). */
  concurrency: number;
  /** Share of calls that stream (the rest are plain chat completions). */
  streamShare: number;
  /** Use the real providers (keys from the environment) instead of the mocks. */
  real: boolean;
  /** Instances per fleet for the fleet drill (two fleets side by side, one sharing health through Redis). */
  fleet: number | undefined;
}

export type ParsedArgs =
  | { kind: "run"; options: DemoOptions }
  | { kind: "help" }
  | { kind: "error"; message: string };

export const defaultOptions: DemoOptions = {
  durationS: 30,
  scenario: "dec-11",
  concurrency: 12,
  streamShare: 0.4,
  real: false,
  fleet: undefined,
};

const limits = { minDurationS: 4, maxDurationS: 3_600, maxConcurrency: 256, maxFleet: 16 };

/** Parses `process.argv.slice(2)`. Never throws: bad input comes back as `{ kind: "error" }`. */
export const parseDemoArgs = (argv: readonly string[]): ParsedArgs => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        duration: { type: "string", short: "d" },
        scenario: { type: "string", short: "s" },
        concurrency: { type: "string", short: "c" },
        "stream-share": { type: "string" },
        real: { type: "boolean" },
        fleet: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: "help" };

  const options: DemoOptions = { ...defaultOptions, real: values.real === true };
  if (typeof values.duration === "string") {
    const n = Number(values.duration);
    if (!Number.isFinite(n) || n < limits.minDurationS || n > limits.maxDurationS)
      return {
        kind: "error",
        message: `--duration: expected seconds between ${limits.minDurationS} and ${limits.maxDurationS}, got "${values.duration}"`,
      };
    options.durationS = n;
  }
  if (typeof values.scenario === "string") {
    if (!(scenarioNames as readonly string[]).includes(values.scenario))
      return {
        kind: "error",
        message: `--scenario: expected one of ${scenarioNames.join(", ")}, got "${values.scenario}"`,
      };
    options.scenario = values.scenario as ScenarioName;
  }
  if (typeof values.concurrency === "string") {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > limits.maxConcurrency)
      return {
        kind: "error",
        message: `--concurrency: expected a whole number between 1 and ${limits.maxConcurrency}, got "${values.concurrency}"`,
      };
    options.concurrency = n;
  }
  if (typeof values.fleet === "string") {
    const n = Number(values.fleet);
    if (!Number.isInteger(n) || n < 1 || n > limits.maxFleet)
      return {
        kind: "error",
        message: `--fleet: expected a whole number of instances between 1 and ${limits.maxFleet}, got "${values.fleet}"`,
      };
    if (options.real) return { kind: "error", message: "--fleet runs on the mock providers: drop --real" };
    options.fleet = n;
  }
  if (typeof values["stream-share"] === "string") {
    const n = Number(values["stream-share"]);
    if (!Number.isFinite(n) || n < 0 || n > 1)
      return {
        kind: "error",
        message: `--stream-share: expected a fraction between 0 and 1, got "${values["stream-share"]}"`,
      };
    options.streamShare = n;
  }
  return { kind: "run", options };
};

export const helpText = (): string => {
  const scenarioLines = scenarioNames.map((name) => `  ${name.padEnd(8)} ${scenarios[name].summary}`);
  return [
    "npm run demo -- [options]        (or: npx tsx examples/demo.ts [options])",
    "",
    "An outage drill for ai-failover. Starts local mock OpenAI, Anthropic and Mistral servers (no API",
    "keys, no network), sends a steady flow of chat and streaming calls through",
    "withFailover(new OpenAI(), { fallbacks: [anthropic(...), mistral(...)] }), then makes OpenAI fail",
    "the way it did in December 2024 and shows, live, who answers, the breaker states and the latency.",
    "",
    "Options:",
    `  -d, --duration <seconds>   length of the drill; every phase scales to it (default ${defaultOptions.durationS})`,
    `  -s, --scenario <name>      which outage to play (default ${defaultOptions.scenario}):`,
    ...scenarioLines.map((line) => `    ${line}`),
    `  -c, --concurrency <n>      simulated clients, each making one call at a time (default ${defaultOptions.concurrency})`,
    `      --stream-share <0..1>  share of streaming calls (default ${defaultOptions.streamShare})`,
    "      --real                 no mocks, no faults: a short flow against the real providers, showing",
    "                             who answered. Needs OPENAI_API_KEY and ANTHROPIC_API_KEY and/or",
    "                             MISTRAL_API_KEY in the environment. Makes a few tiny paid calls.",
    "      --fleet <n>            the drill across a fleet: two fleets of n instance processes side by side,",
    "                             one keeping provider health in memory, one sharing it through a local",
    "                             Redis (needs redis-server); shows the requests the dead OpenAI received",
    "                             from each. -c is then the calls in flight per fleet.",
    "  -h, --help                 this text",
    "",
    "Exit status: 0 when every call was answered, 1 when a call was lost, 2 for bad usage or missing keys.",
  ].join("\n");
};
