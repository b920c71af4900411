import { existsSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * A `require` that resolves from this file, in both builds (tsup's CommonJS build turns
 * `import.meta.url` into this file's URL). Made once, on first use.
 */
let localRequire: NodeJS.Require | undefined;

const installed = new Map<string, boolean>();

/**
 * Whether `name` can be imported from where this library is installed — found synchronously,
 * without importing it (an SDK import costs tens of milliseconds and may run its side effects).
 * A package that is present but exports no `require` entry (an ESM-only SDK) counts as installed;
 * any answer other than "not found" does too: this check must never refuse a working setup.
 */
export const isPackageInstalled = (name: string): boolean => {
  const known = installed.get(name);
  if (known !== undefined) return known;
  let found = true;
  try {
    (localRequire ??= createRequire(import.meta.url)).resolve(name);
  } catch (error) {
    found = (error as { code?: unknown } | null)?.code !== "MODULE_NOT_FOUND";
  }
  installed.set(name, found);
  return found;
};

/** An environment variable as the SDKs read it: set and not blank. */
export const readEnv = (name: string): string | undefined => {
  const value = globalThis.process?.env?.[name]?.trim();
  return value ? value : undefined;
};

/** The issue of a provider whose SDK is missing, with the command that fixes it. */
export const missingPackageIssue = (name: string): string =>
  `the ${name} package is not installed: npm install ${name}`;

/** What a provider built from plain options (no `client`) needs before its first call. */
export interface SetupRequirements {
  /** The SDK package the provider imports. */
  packageName: string;
  /** Problems with the credentials (or endpoint), each with its fix; empty when there are none. */
  credentialIssues: () => string[];
}

/**
 * The setup issues of a provider: none when the user passed their own client (it is configured
 * the way they chose), else a missing SDK, then missing credentials. Read anew on every call (an
 * app may set its environment before building each client); the package lookup is cached.
 */
export const createSetupCheck =
  (requirements: SetupRequirements | undefined): (() => string[]) =>
  () => {
    if (requirements === undefined) return [];
    if (!isPackageInstalled(requirements.packageName)) return [missingPackageIssue(requirements.packageName)];
    return requirements.credentialIssues();
  };

/** True when `headers` carries one of `names` (case-insensitive) with a value. */
export const hasHeader = (headers: Record<string, string> | undefined, names: readonly string[]): boolean =>
  Object.entries(headers ?? {}).some(
    ([key, value]) => names.includes(key.toLowerCase()) && typeof value === "string" && value.trim() !== "",
  );

/** Whether a path exists, for SDKs that read credentials from a config directory. Never throws. */
export const pathExists = (path: string): boolean => {
  try {
    return existsSync(path);
  } catch {
    return false;
  }
};
