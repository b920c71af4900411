/**
 * How a paced mock answers, the way a real provider does: a streaming request gets its headers
 * and the stream's head at once, the first content event `firstTokenMs` later, then one event
 * every `intervalMs`, each its own write (its own network read on the client); a JSON request
 * gets its whole reply when the last event of the same reply streamed would have arrived.
 */
export interface Pacing {
  /** Request received → first content event (stream) — the model's time to first token. */
  firstTokenMs: number;
  /** Gap between two content events (a real provider: 10–50 ms per token). */
  intervalMs: number;
  /** Content events in a reply ("tokens"). */
  events: number;
  /** Characters per content event (4 ≈ one token of English). */
  chunkSize: number;
  /**
   * Send the first content event at its time to within a few µs rather than on Node's 1 ms timer
   * grid (the mock then spins for up to a millisecond before it): time to first text is compared
   * in tenths of a millisecond, and the timer grid's jitter alone is of that size. For sequential
   * calls only — with many streams open the spinning would take a core. @default false
   */
  preciseFirstToken?: boolean;
}

const WORDS =
  "Resilient systems keep answering when one provider fails: they notice the fault, fall over at once, and come back later. ";

/** The reply text: `events × chunkSize` characters, so it streams as exactly `events` content events. */
export const replyText = (pacing: Pacing): string => {
  const length = pacing.events * pacing.chunkSize;
  return WORDS.repeat(Math.ceil(length / WORDS.length)).slice(0, length);
};

/** When the JSON reply is sent: when the last streamed event would have been. */
export const jsonDelayMs = (pacing: Pacing): number =>
  pacing.firstTokenMs + Math.max(0, pacing.events - 1) * pacing.intervalMs;

/** A short label: "300 events, 2 ms apart, first after 20 ms". */
export const describePacing = (pacing: Pacing): string =>
  `${pacing.events.toLocaleString("en-US")} events of ${pacing.chunkSize} characters, ${pacing.intervalMs} ms apart, the first ${pacing.firstTokenMs} ms after the request${pacing.preciseFirstToken ? " (sent on time to within microseconds, not on the 1 ms timer grid)" : ""}`;
