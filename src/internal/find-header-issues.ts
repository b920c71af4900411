/** An HTTP field name (RFC 9110 token). */
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What `Headers` (and the wire) cannot carry in a value: CR, LF, NUL, or a character above Latin-1. */
const isBadValue = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x0d || code === 0x0a || code === 0x00 || code > 0xff) return true;
  }
  return false;
};

/**
 * Problems with headers given for a request, as `path: message` lines. A bad name is never echoed
 * (it may be anything); values never are (they may be credentials). A CR or LF in a value is how a
 * header injection starts: refused, not cleaned.
 */
export const findHeaderIssues = (headers: Record<string, string>, path: string): string[] => {
  const issues: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!tokenPattern.test(name)) {
      issues.push(
        `${path}: a header name is not a valid HTTP field name (letters, digits and !#$%&'*+-.^_\`|~ only)`,
      );
      continue;
    }
    if (isBadValue(value)) {
      issues.push(
        `${path}.${name}: the value contains CR, LF, NUL or a character above U+00FF, which HTTP headers cannot carry`,
      );
    }
  }
  return issues;
};
