import { InvalidRequestError, isInvalidRequestError } from "../../errors/invalid-request-error.js";

/** Native request paths, in the order they are tried, and the params an app wrote them as. */
export type IssueRenames = readonly (readonly [RegExp, string])[];

/** Chat Completions (`$MAX`: the max-tokens field the app used). */
export const chatCompletionsRenames: IssueRenames = [
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

/**
 * The Responses API: its scalar fields. Messages and tools are not renamed by position (the
 * `instructions`, and items and tools that do not translate, shift them): they keep the native
 * path, which names the message or tool as the engine saw it.
 */
export const responsesRenames: IssueRenames = [
  [/^request\.maxTokens\b/, "max_output_tokens"],
  [/^request\.topP\b/, "top_p"],
  [/^request\.toolChoice\b/, "tool_choice"],
  [/^request\.responseFormat\b/, "text.format"],
  [/^request\.schemaName\b/, "text.format.name"],
  [/^request\.(temperature|metadata)\b/, "$1"],
];

/** Embeddings: the native request's fields are OpenAI's (`input`, `dimensions`). */
export const embeddingsRenames: IssueRenames = [[/^request\.(input|dimensions)\b/, "$1"]];

/**
 * An engine's `InvalidRequestError` for a drop-in call, its issues naming the fields the app wrote
 * (`max_completion_tokens`, `tools[0].function.name`, `top_p`) rather than the native request's
 * (`request.maxTokens`…). Any other error is returned as it is.
 */
export const nameIssuesAsParams = (
  error: unknown,
  params: Record<string, unknown>,
  renames: IssueRenames = chatCompletionsRenames,
): unknown => {
  if (!isInvalidRequestError(error)) return error;
  const maxTokens = "max_completion_tokens" in params ? "max_completion_tokens" : "max_tokens";
  const renamed = error.issues.map((issue) => renameIssue(issue, renames, maxTokens));
  return renamed.every((issue, i) => issue === error.issues[i]) ? error : new InvalidRequestError(renamed);
};

const renameIssue = (issue: string, renames: IssueRenames, maxTokens: string): string => {
  for (const [pattern, replacement] of renames) {
    if (pattern.test(issue)) return issue.replace(pattern, replacement.replace("$MAX", maxTokens));
  }
  return issue;
};
