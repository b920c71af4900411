import { formatPath } from "../internal/format-zod-issues.js";

/**
 * Messages written in another API's shape — OpenAI's `image_url` parts and `tool_calls`, the
 * Responses API's `input_image`, Anthropic's image `source` blocks, the `developer` role — each
 * as `path: what it is and how the native face writes it`. The schema would only say "Invalid
 * input" there; these name the fix. Values are never echoed.
 */
export const findForeignMessageShapes = (messages: unknown): string[] => {
  if (!Array.isArray(messages)) return [];
  const issues: string[] = [];
  messages.forEach((message: unknown, i) => {
    if (typeof message !== "object" || message === null) return;
    const m = message as Record<string, unknown>;
    const at = (...rest: (string | number)[]) => formatPath("request.messages", [i, ...rest]);
    if (m.role === "developer")
      issues.push(`${at("role")}: the native face has no "developer" role; use { role: "system" }`);
    if (m.role === "assistant" && "tool_calls" in m)
      issues.push(
        `${at("tool_calls")}: OpenAI-style tool calls; the native face takes toolCalls: [{ id, name, arguments }] (as result.toolCalls gives them)`,
      );
    if (!Array.isArray(m.content)) return;
    m.content.forEach((part: unknown, j) => {
      const type = typeof part === "object" && part !== null ? (part as { type?: unknown }).type : undefined;
      if (type === "image_url" || type === "input_image")
        issues.push(
          `${at("content", j)}: an OpenAI-style ${type} part; the native face takes { type: "image", image: url }`,
        );
      else if (type === "image" && "source" in (part as object))
        issues.push(
          `${at("content", j)}: an Anthropic-style image block; the native face takes { type: "image", image: url or base64, mediaType }`,
        );
    });
  });
  return issues;
};
