/**
 * The id of a logical call: a UUID-shaped string (it fits a `uuid` column) whose first 20 hex digits
 * are random per process and whose last 12 count the process's calls. Unique within the process,
 * and across processes unless two draw the same 74 random bits. Not one `randomUUID()` per call:
 * on a real call the code runs cold (the process idles between replies), and a first
 * `randomUUID()` after idling costs ~15-20 µs here, in front of every request
 * (`npx tsx bench/cold-paths.ts`); a counter costs ~1 µs.
 */
const processPrefix = globalThis.crypto.randomUUID().slice(0, 24);
let calls = 0;

export const createCallId = (): string => processPrefix + (++calls).toString(16).padStart(12, "0");
