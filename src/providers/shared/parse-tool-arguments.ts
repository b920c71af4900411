/**
 * Parses a tool call's JSON arguments. Empty text (some servers send "" for a tool without
 * parameters) is `{}`; text that is not JSON is returned as is, so the caller still sees what the
 * model wrote (`rawArguments` always keeps the exact text).
 */
export const parseToolArguments = (raw: string): unknown => {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};
