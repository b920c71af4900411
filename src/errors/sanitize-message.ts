const maxLength = 300;

/**
 * Makes a provider's error text safe for errors, events and logs: HTML pages are never copied
 * (a Cloudflare 502 page becomes "HTML error page"), anything shaped like a key or bearer token is
 * redacted, and the text is cut to a readable length.
 */
export const sanitizeMessage = (message: unknown): string => {
  if (typeof message !== "string" || message.trim() === "") return "no message";
  if (/<\s*(!doctype|html|head|body)\b/i.test(message)) return "HTML error page";
  const cleaned = message
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
