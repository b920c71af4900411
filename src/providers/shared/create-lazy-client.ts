import { ConfigError } from "../../errors/config-error.js";

/**
 * Builds an SDK client on first use and caches it. A failed build is not cached (a missing key set
 * later, or a transient import failure, may succeed on the next call). Errors saying the SDK
 * package is missing are rewritten to name the package to install.
 */
export const createLazyClient = <T>(packageName: string, build: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending === undefined) {
      pending = build().catch((error: unknown) => {
        pending = undefined;
        // A missing SDK is a configuration mistake: loud (ConfigError), never a silent fall-over.
        throw isModuleNotFound(error)
          ? new ConfigError([
              `the optional peer dependency '${packageName}' is not installed (npm install ${packageName})`,
            ])
          : error;
      });
    }
    return pending;
  };
};

const isModuleNotFound = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
};
