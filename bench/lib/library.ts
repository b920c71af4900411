import { mkdir, rm } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type * as Source from "../../src/index.js";

/** The parts of ai-failover the benchmarks call. */
export type Library = Pick<
  typeof Source,
  "createClient" | "openai" | "anthropic" | "mistral" | "withFailover"
>;

/**
 * Which build of the library the client side runs:
 * - "bundle" (default): `src/index.ts` bundled by esbuild the way tsup builds `dist/` (ESM, target
 *   node22, dependencies external, no `keepNames`), written under `node_modules/.cache/` and loaded
 *   from there (dependencies resolve from the project) — the code users run, without touching `dist/`;
 * - "source": the TypeScript source as tsx loads it. tsx compiles with `keepNames`, which wraps every
 *   function created at run time in a `__name()` call: measurably slower per call than what ships.
 */
export type LibraryBuild = "bundle" | "source";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outdir = `${root}node_modules/.cache/ai-failover-bench`;

/**
 * @param tree the source tree whose `src/` is bundled ("bundle" only; default: this project). Its
 *   dependencies resolve from this project's node_modules: bench/ab-builds.ts loads two trees.
 */
export const loadLibrary = async (which: LibraryBuild, tree = root): Promise<Library> => {
  if (which === "source") return import("../../src/index.js");
  // One file per process (a bench and the smoke test may build at the same time), removed once loaded.
  const outfile = `${outdir}/index-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.js`;
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [`${tree.endsWith("/") ? tree : `${tree}/`}src/index.ts`],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    treeShaking: true,
    logLevel: "silent",
  });
  try {
    return (await import(pathToFileURL(outfile).href)) as Library;
  } finally {
    await rm(outfile, { force: true });
  }
};
