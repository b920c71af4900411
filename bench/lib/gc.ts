import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection. Uses `global.gc` when node runs with `--expose-gc`; otherwise exposes
 * it at runtime (the V8 flag, then a fresh context picks up the `gc` global), so `npm run bench`
 * needs no extra node flags.
 */
export const getGc = (): (() => void) => {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === "function") return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
};

/** Two full collections (the second reclaims what finalizers and weak references released), then heapUsed. */
export const settleHeap = async (gc: () => void): Promise<number> => {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().heapUsed;
};
