import { formatPath } from "../internal/format-zod-issues.js";
import { suggestKey } from "../internal/suggest-key.js";

/**
 * Per-call `models` and `providerOptions` entries that name no provider of the client: they would
 * apply to nobody, so they are the caller's mistake, not a silent no-op. Each as
 * `request.models.antropic: no provider named "antropic" (…; did you mean "anthropic"?)`.
 */
export const findUnknownProviderKeys = (request: object, names: readonly string[]): string[] => {
  const issues: string[] = [];
  for (const field of ["models", "providerOptions"] as const) {
    const value = (request as Record<string, unknown>)[field];
    if (typeof value !== "object" || value === null) continue;
    for (const key of Object.keys(value)) {
      if (names.includes(key)) continue;
      const near = suggestKey(key, names);
      issues.push(
        `${formatPath(`request.${field}`, [key])}: no provider named ${JSON.stringify(key)} (this client has ${names.map((n) => JSON.stringify(n)).join(", ")}${near ? `; did you mean ${JSON.stringify(near)}?` : ""})`,
      );
    }
  }
  return issues;
};
