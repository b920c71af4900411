import { createRequire } from "node:module";

/** The part of `@opentelemetry/api` (any 1.x from 1.4) this library uses. */
export type OtelApi = typeof import("@opentelemetry/api");

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` as the application resolves it, or `undefined` when it is not installed.
 * Loaded synchronously on first use (not at import), so a client built at startup is traced from its
 * first call, and the package still loads without it. The same copy an app's SDK registers through
 * (npm installs one copy for a peer dependency): an api of a newer minor than the one that registered
 * the SDK would see no SDK, so the peer range stays wide.
 */
export const loadOtelApi = (): OtelApi | undefined => {
  if (loaded === undefined) {
    try {
      // Resolved from this file, as the app's own import would be. tsup turns `import.meta.url` into
      // this file's URL in the CommonJS build; a bare `require` would be bundler-shimmed in ESM.
      loaded = createRequire(import.meta.url)("@opentelemetry/api") as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
};
