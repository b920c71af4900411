/**
 * Pure parsing of "when may I call again" response headers into milliseconds to wait.
 *
 * Precedence, first usable value wins (a present but unparseable header is skipped, never thrown):
 * 1. `retry-after-ms` — the most explicit and most precise: a server that sends it means exactly
 *    this wait (OpenAI and Azure OpenAI send it; the openai SDK reads it first too).
 * 2. `retry-after` — the HTTP standard (RFC 9110 §10.2.3): delta-seconds (we accept fractions) or an
 *    HTTP date. It is an instruction about this very response, so it beats the reset headers,
 *    which only describe the state of rate-limit windows.
 * 3. Provider reset headers — when the window that caused the 429 refills:
 *    - OpenAI (and Groq & co.) `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens`: Go-style
 *      durations such as "6m0s", "1s", "20ms" (a bare number is read as seconds);
 *    - Anthropic `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset`: RFC 3339;
 *    - generic `x-ratelimit-reset`: epoch seconds when ≥ 1e9, epoch milliseconds when ≥ 1e12, else
 *      delta seconds (a delta of 31+ years is never meant).
 *    When several are present we pick the one(s) whose limit is spent: a reset header counts as
 *    "exhausted" when its `remaining` partner (`x-ratelimit-remaining-requests`,
 *    `anthropic-ratelimit-tokens-remaining`, …) says 0. We wait for the longest exhausted one (every
 *    spent limit must refill before a call can pass). When none says 0 (or the remaining headers are
 *    missing) we take the longest of all: a 429 means some limit is spent — possibly a token limit
 *    with a few tokens left but fewer than the request needs — and the engine treats this wait as the
 *    provider's cooling time, so erring long costs a fallback, erring short costs another 429.
 *
 * Call this for 429 (and 503) responses: on a success the reset headers describe a window, not a
 * wait. The result is never negative (a date in the past means 0), is rounded up to whole
 * milliseconds, and is not capped: comparing it with the deadline is the engine's decision.
 */

/** Response headers as a `Headers` (or anything with `get`) or a plain record, any letter case. */
export type HeadersLike =
  | Headers
  | { get(name: string): string | null }
  | Record<string, string | string[] | null | undefined>;

/** A reset header, how its value is written, and the header that says whether its limit is spent. */
interface ResetSource {
  readonly reset: string;
  readonly remaining: string;
  readonly parse: (value: string, now: number) => number | undefined;
}

const RESET_SOURCES: readonly ResetSource[] = [
  {
    reset: "x-ratelimit-reset-requests",
    remaining: "x-ratelimit-remaining-requests",
    parse: parseResetDuration,
  },
  { reset: "x-ratelimit-reset-tokens", remaining: "x-ratelimit-remaining-tokens", parse: parseResetDuration },
  ...["requests", "tokens", "input-tokens", "output-tokens"].map(
    (limit): ResetSource => ({
      reset: `anthropic-ratelimit-${limit}-reset`,
      remaining: `anthropic-ratelimit-${limit}-remaining`,
      parse: parseRfc3339Delay,
    }),
  ),
  { reset: "x-ratelimit-reset", remaining: "x-ratelimit-remaining", parse: parseGenericReset },
];

/**
 * Milliseconds to wait before calling again, from response headers; `undefined` when no header
 * gives a usable value. See the module comment for which header wins.
 *
 * @param now wall-clock time in epoch ms that dates are measured against. @default Date.now()
 */
export function parseRetryAfter(headers: HeadersLike, now: number = Date.now()): number | undefined {
  const get = headerReader(headers);

  const retryAfterMs = parseNonNegativeNumber(get("retry-after-ms"));
  if (retryAfterMs !== undefined) return roundUpMs(retryAfterMs);

  const retryAfter = get("retry-after");
  if (retryAfter !== undefined) {
    const seconds = parseNonNegativeNumber(retryAfter);
    if (seconds !== undefined) return roundUpMs(seconds * 1000);
    const date = parseHttpDate(retryAfter);
    if (date !== undefined) return roundUpMs(Math.max(0, date - now));
  }

  let longestExhausted: number | undefined;
  let longestAny: number | undefined;
  for (const source of RESET_SOURCES) {
    const value = get(source.reset);
    const ms = value === undefined ? undefined : source.parse(value, now);
    if (ms === undefined) continue;
    longestAny = Math.max(longestAny ?? 0, ms);
    if (parseNonNegativeNumber(get(source.remaining)) === 0) {
      longestExhausted = Math.max(longestExhausted ?? 0, ms);
    }
  }
  const reset = longestExhausted ?? longestAny;
  return reset === undefined ? undefined : roundUpMs(reset);
}

const DURATION_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign, as Go writes it
  μs: 1e-3, // U+03BC greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;

/**
 * Parses a Go-style duration as OpenAI writes its rate-limit resets — "6m0s", "1s", "20ms",
 * "1h2m3.5s", "0.5s" — into milliseconds (fractional for sub-millisecond units). Every number needs
 * a unit, except a lone "0". Signs, spaces inside, unknown units or an empty string give `undefined`.
 */
export function parseDurationString(value: string): number | undefined {
  const text = value.trim();
  if (text === "0") return 0;
  if (text === "") return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let match: RegExpExecArray | null;
  while ((match = DURATION_PART.exec(text)) !== null) {
    total += Number(match[1]) * DURATION_UNIT_MS[match[2]!]!;
    if (DURATION_PART.lastIndex === text.length) return Number.isFinite(total) ? total : undefined;
  }
  return undefined;
}

/** OpenAI-style reset: a duration, or (some compatible servers) a bare number of seconds. */
function parseResetDuration(value: string): number | undefined {
  const duration = parseDurationString(value);
  if (duration !== undefined) return duration;
  const seconds = parseNonNegativeNumber(value);
  return seconds === undefined ? undefined : seconds * 1000;
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Anthropic-style reset: an RFC 3339 timestamp, as a wait from `now` (0 if already past). */
function parseRfc3339Delay(value: string, now: number): number | undefined {
  const text = value.trim();
  if (!RFC_3339.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `x-ratelimit-reset`: epoch ms, epoch seconds or delta seconds, told apart by size. */
function parseGenericReset(value: string, now: number): number | undefined {
  const n = parseNonNegativeNumber(value);
  if (n === undefined) return undefined;
  if (n >= 1e12) return Math.max(0, n - now);
  if (n >= 1e9) return Math.max(0, n * 1000 - now);
  return n * 1000;
}

const WEEKDAY_PREFIX = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i;
const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * An HTTP date (IMF-fixdate, RFC 850 or asctime) as epoch ms. `Date.parse` alone is far too lenient
 * (V8 reads "5" as a date in 2001), so the value must start with a weekday name first.
 */
function parseHttpDate(value: string): number | undefined {
  const text = value.trim();
  if (!WEEKDAY_PREFIX.test(text)) return undefined;
  // asctime carries no zone but is defined as GMT; without one Date.parse would use local time.
  const at = Date.parse(ASCTIME.test(text) ? `${text} GMT` : text);
  return Number.isNaN(at) ? undefined : at;
}

const PLAIN_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A plain non-negative decimal ("3", "1.5", ".5"); anything else — signs, exponents, units — is not. */
function parseNonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (!PLAIN_NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Rounds up to a whole millisecond, after dropping float noise below a microsecond so that
 * "0.3s" (300.00000000000006) becomes 300, not 301.
 */
function roundUpMs(ms: number): number {
  return Math.ceil(Math.round(ms * 1000) / 1000);
}

/** A case-insensitive `get` over either header shape; arrays yield their first value. */
function headerReader(headers: HeadersLike): (name: string) => string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function") {
    const h = headers as { get(name: string): string | null };
    return (name) => h.get(name) ?? undefined;
  }
  const lowered = new Map<string, string>();
  for (const [key, raw] of Object.entries(headers as Record<string, unknown>)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value === "string" && !lowered.has(key.toLowerCase())) lowered.set(key.toLowerCase(), value);
  }
  return (name) => lowered.get(name);
}
