const maxLength = 300;

/** Shorter values are not treated as known secrets: redacting every "test" in a message helps nobody. */
const minSecretLength = 6;

/**
 * Replaces every occurrence of each known secret (a configured API key, a gateway token) in
 * `text`, whatever the secret looks like, with `[redacted]`. Also catches the secret as JSON or a
 * URL would have escaped it. Secrets shorter than 6 characters are left alone.
 */
export const redactKnownSecrets = (text: string, secrets: readonly string[] | undefined): string => {
  if (!secrets || secrets.length === 0) return text;
  let out = text;
  for (const secret of secrets) {
    if (secret.length < minSecretLength) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      if (out.includes(form)) out = out.split(form).join("[redacted]");
    }
  }
  return out;
};

/**
 * Makes a provider's error text safe for errors, events and logs: HTML pages are never copied
 * (a Cloudflare 502 page becomes "HTML error page"), the known `secrets` (configured keys and
 * tokens, whatever their shape) and anything shaped like a key or bearer token are redacted, and
 * the text is cut to a readable length (after redaction, so no part of a secret survives a cut).
 */
export const sanitizeMessage = (message: unknown, secrets?: readonly string[]): string => {
  if (typeof message !== "string" || message.trim() === "") return "no message";
  if (/<\s*(!doctype|html|head|body)\b/i.test(message)) return "HTML error page";
  const cleaned = redactKnownSecrets(message, secrets)
    // "Incorrect API key provided: abc…", "invalid token: …": whatever follows is a credential.
    .replace(
      /\b(api[ _-]?key|access[ _-]?token|auth(?:orization)?[ _-]?token|secret|password)((?:\s+provided)?\s*[:=]\s*|\s+)(['"]?)[^\s'",;]{6,}\3/gi,
      "$1$2[redacted]",
    )
    // Long opaque tokens (Azure 32-hex keys, Mistral keys, JWTs) are credentials more often than not.
    .replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g, "[redacted]")
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, "[redacted]")
    .replace(/\b(sk-ant|sk-proj)-[A-Za-z0-9_-]{8,}/g, "[redacted]")
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}…` : cleaned;
};

/**
 * A short identifier a provider sent (an error code or type, a request id, a content-filter
 * category), or undefined when it is not one: longer than `maxLength`, or holding anything but
 * letters, digits and `_ . : - / + =`, or holding a known secret. (Not checked for key-like shapes:
 * request ids such as `req_` + 32 hex characters look like keys and are exactly what support asks
 * for.) Provider bytes reach typed fields only through here.
 */
export const sanitizeIdentifier = (
  value: unknown,
  secrets?: readonly string[],
  maxLength = 128,
): string | undefined => {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string" || text === "" || text.length > maxLength) return undefined;
  if (!/^[\w.:\-/+=]+$/.test(text)) return undefined;
  return redactKnownSecrets(text, secrets) === text ? text : undefined;
};
