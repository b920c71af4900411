import type { z } from "zod";

/**
 * Turns zod issues into `path: message` lines that name the field, e.g.
 * `providers.1.model: Invalid input: expected string, received undefined`. Values are never
 * echoed (they may be keys or prompt text).
 */
export const formatZodIssues = (error: z.ZodError, prefix = ""): string[] =>
  error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    const keys = issue.code === "unrecognized_keys" ? ` (${issue.keys.join(", ")})` : "";
    return `${path || "(root)"}: ${issue.message}${keys}`;
  });
