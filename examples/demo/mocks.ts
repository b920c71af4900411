import {
  faults,
  type MockDefault,
  type MockFault,
  type MockProvider,
  startMockProviders,
} from "../../src/testing/index.js";

/** The embedded providers of the drill. `azure` runs only in scenarios that need it. */
export interface DrillMocks {
  openai: MockProvider;
  anthropic: MockProvider;
  mistral: MockProvider;
  azure: MockProvider | undefined;
  /** Every mock, to close. */
  all: readonly MockProvider[];
  close(): Promise<void>;
}

/** Simulated latency of a healthy provider: time to response headers, then a few streamed chunks. */
interface Latency {
  headersMinMs: number;
  headersMaxMs: number;
  /** Gap between streamed content events. */
  eventIntervalMs: number;
}

const latencies: Record<"openai" | "azure" | "anthropic" | "mistral", Latency> = {
  openai: { headersMinMs: 8, headersMaxMs: 28, eventIntervalMs: 2 },
  azure: { headersMinMs: 10, headersMaxMs: 30, eventIntervalMs: 2 },
  anthropic: { headersMinMs: 12, headersMaxMs: 38, eventIntervalMs: 3 },
  mistral: { headersMinMs: 10, headersMaxMs: 32, eventIntervalMs: 2 },
};

/** Starts the mocks on free ports of 127.0.0.1, each answering normally (with a little latency). */
export const startDrillMocks = async (withAzure: boolean): Promise<DrillMocks> => {
  const group = withAzure
    ? await startMockProviders({
        openai: {},
        anthropic: {},
        mistral: {},
        azure: { kind: "azure", name: "azure-openai" },
      })
    : await startMockProviders({ openai: {}, anthropic: {}, mistral: {} });
  const azure = "azure" in group ? (group.azure as MockProvider) : undefined;
  const mocks: DrillMocks = {
    openai: group.openai,
    anthropic: group.anthropic,
    mistral: group.mistral,
    azure,
    all: group.all,
    close: () => group.close(),
  };
  for (const mock of mocks.all) mock.setDefault(healthy(mock));
  return mocks;
};

const between = (min: number, max: number): number => Math.round(min + Math.random() * (max - min));

/** A normal answer from `mock`, after a few milliseconds, in several streamed chunks. */
export const healthyReply = (mock: MockProvider): MockFault => {
  const latency = latencies[mock.kind as keyof typeof latencies];
  return faults.slowHeaders(
    between(latency.headersMinMs, latency.headersMaxMs),
    faults.reply({
      text: `The service is up. This answer came from ${mock.name}.`,
      chunkSize: 12,
      eventIntervalMs: latency.eventIntervalMs,
    }),
  );
};

/** The default behaviour of a healthy provider. */
export const healthy =
  (mock: MockProvider): MockDefault =>
  () =>
    healthyReply(mock);
