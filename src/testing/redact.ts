import type { IncomingHttpHeaders } from "node:http";

/** The placeholder that replaces secrets in recorded requests. */
export const REDACTED = "[redacted]";

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|api[-_]?key|token|secret|signature/i;
const SECRET_QUERY = /([?&](?:api[-_]?key|key|token|access_token|sig|signature)=)[^&]*/gi;

/** Copies request headers, lower-cased and joined, with every credential replaced by `[redacted]`. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = SECRET_HEADER.test(name) ? REDACTED : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Redacts credential-looking query parameters from a request path. */
export function redactPath(path: string): string {
  return path.includes("?") ? path.replace(SECRET_QUERY, `$1${REDACTED}`) : path;
}

/** The API key a request carries (`Authorization: Bearer`, `api-key`, `x-api-key`, `x-goog-api-key`), if any. */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7);
  const key = headers["api-key"] ?? headers["x-api-key"] ?? headers["x-goog-api-key"];
  return Array.isArray(key) ? key[0] : key;
}
