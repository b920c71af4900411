import type { ContentChunk } from "@mistralai/mistralai/models/components";

/**
 * The answer text of Mistral message content: a string, or an array of chunks of which only
 * `text` chunks are the answer (`thinking` chunks from Magistral models, `reference` chunks and
 * unknown chunk types are left in `raw`; a stream read from the wire may also hold `null`s).
 */
export const extractMistralText = (
  content: string | readonly (ContentChunk | null | undefined)[] | null | undefined,
): string => {
  if (typeof content === "string") return content;
  if (!content) return "";
  let text = "";
  for (const chunk of content) {
    if (chunk?.type === "text" && typeof (chunk as { text?: unknown }).text === "string") {
      text += (chunk as { text: string }).text;
    }
  }
  return text;
};
