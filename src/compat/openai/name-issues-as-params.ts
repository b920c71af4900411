import { InvalidRequestError, isInvalidRequestError } from "../../errors/invalid-request-error.js";

/**
 * An engine's `InvalidRequestError` for a drop-in Chat Completions call, its issues naming the
 * fields the app wrote (`max_completion_tokens`, `tools[0].function.name`, `top_p`) rather than the
 * native request's (`request.maxTokens`…). Any other error is returned as it is.
 */
export const nameIssuesAsParams = (error: unknown, params: Record<string, unknown>): unknown => {
  if (!isInvalidRequestError(error)) return error;
  const maxTokens = "max_completion_tokens" in params ? "max_completion_tokens" : "max_tokens";
  const renamed = error.issues.map((issue) => renameIssue(issue, maxTokens));
  return renamed.every((issue, i) => issue === error.issues[i]) ? error : new InvalidRequestError(renamed);
};

/** Native request paths, in the order they are tried, and the Chat Completions params they came from. */
const renames: readonly [RegExp, string][] = [
  [/^request\.tools\[(\d+)\]\.(name|description|parameters)\b/, "tools[$1].function.$2"],
  [/^request\.maxTokens\b/, "$MAX"],
  [/^request\.topP\b/, "top_p"],
  [/^request\.toolChoice\b/, "tool_choice"],
  [/^request\.responseFormat\b/, "response_format"],
  [/^request\.schemaName\b/, "response_format.json_schema.name"],
  [/^request\.messages\[(\d+)\]\.toolCalls\b/, "messages[$1].tool_calls"],
  [/^request\.messages\[(\d+)\]\.toolCallId\b/, "messages[$1].tool_call_id"],
  [/^request\./, ""],
];

const renameIssue = (issue: string, maxTokens: string): string => {
  for (const [pattern, replacement] of renames) {
    if (pattern.test(issue)) return issue.replace(pattern, replacement.replace("$MAX", maxTokens));
  }
  return issue;
};
