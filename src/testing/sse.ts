/** Server-sent-event framing, exactly as the providers write it. */

/** A data-only frame (OpenAI, Azure, Mistral). */
export function sseData(json: unknown): string {
  return `data: ${JSON.stringify(json)}\n\n`;
}

/** A named frame (Anthropic: every frame carries an `event:` line). */
export function sseEvent(event: string, json: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(json)}\n\n`;
}

/** The OpenAI / Mistral end-of-stream sentinel. */
export const SSE_DONE = "data: [DONE]\n\n";

/** An SSE comment: every parser ignores it (OpenAI/Azure/Mistral keep-alive). */
export const SSE_KEEP_ALIVE = ": keep-alive\n\n";

/**
 * A stream split where faults cut it: `head` is what precedes the first content (role-only chunk,
 * `message_start`), each unit ends with one content event (preceded by the structural frames it
 * needs, e.g. `content_block_start`), `tail` holds the terminal frames.
 */
export interface StreamPlan {
  head: string;
  units: string[];
  tail: string;
}
