import type { BenchConfig } from "./config.js";
import type { Library, LibraryBuild } from "./library.js";
import type { MockHost } from "./remote-mocks.js";

/** What every benchmark receives. */
export interface BenchContext {
  config: BenchConfig;
  /** The library under test (see library.ts) and which build it is. */
  lib: Library;
  build: LibraryBuild;
  host: MockHost;
  gc: () => void;
  log: (message: string) => void;
}
