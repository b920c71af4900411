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
        throw isModuleNotFound(error)
          ? new Error(
              `the optional peer dependency '${packageName}' is not installed (npm install ${packageName})`,
              {
                cause: error,
              },
            )
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
