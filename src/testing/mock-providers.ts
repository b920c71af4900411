import { type MockProvider, startMockProvider } from "./mock-provider.js";
import type { MockProviderKind, MockProviderOptions } from "./types.js";

/** One entry of `startMockProviders`: `kind` may be left out when the key is a kind. */
export type MockProviderSpec = Omit<MockProviderOptions, "kind"> & { kind?: MockProviderKind };

/** Several mocks started together: each under its key, plus `close()` and `reset()` for all. */
export type MockProviderGroup<T extends Record<string, MockProviderSpec>> = {
  readonly [K in keyof T]: MockProvider;
} & {
  /** Every mock, in key order. */
  readonly all: readonly MockProvider[];
  /** Resets every mock. */
  reset(): void;
  /** Closes every mock. */
  close(): Promise<void>;
};

const KINDS = new Set<string>(["openai", "azure", "anthropic", "mistral", "google"]);
const RESERVED = new Set(["all", "reset", "close"]);

/**
 * Starts several mock providers at once; the key names each one (and is its kind unless `kind` is
 * given). If one fails to start, the others are closed.
 *
 * @example
 * const mocks = await startMockProviders({ openai: {}, backup: { kind: "anthropic" } });
 * mocks.openai.script(faults.serverError());
 * await mocks.close();
 */
export async function startMockProviders<T extends Record<string, MockProviderSpec>>(
  specs: T,
): Promise<MockProviderGroup<T>> {
  const entries = Object.entries(specs).map(([key, spec]): [string, MockProviderOptions] => {
    if (RESERVED.has(key)) throw new TypeError(`startMockProviders: "${key}" is reserved, pick another name`);
    const kind = spec.kind ?? (KINDS.has(key) ? (key as MockProviderKind) : undefined);
    if (!kind) throw new TypeError(`startMockProviders: "${key}" is not a provider kind; set \`kind\``);
    return [key, { ...spec, kind, name: spec.name ?? key }];
  });
  const started = await Promise.allSettled(entries.map(([, options]) => startMockProvider(options)));
  const mocks = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(mocks.map((m) => m.close()));
    throw failed.reason;
  }
  const group: Record<string, unknown> = {
    all: mocks,
    reset: () => {
      for (const m of mocks) m.reset();
    },
    close: async () => {
      await Promise.all(mocks.map((m) => m.close()));
    },
  };
  entries.forEach(([key], i) => {
    group[key] = mocks[i];
  });
  return group as MockProviderGroup<T>;
}
