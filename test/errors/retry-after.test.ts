import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type HeadersLike, parseDurationString, parseRetryAfter } from "../../src/errors/retry-after.js";

const NOW = Date.parse("2026-11-03T12:00:00Z");
const at = (offsetMs: number): string => new Date(NOW + offsetMs).toISOString();
const httpDate = (offsetMs: number): string => new Date(NOW + offsetMs).toUTCString();

describe("parseDurationString", () => {
  it.each<[string, number | undefined]>([
    ["6m0s", 360_000],
    ["1s", 1000],
    ["20ms", 20],
    ["1h2m3.5s", 3_723_500],
    ["0.5s", 500],
    [".5s", 500],
    ["2m59.56s", 179_560],
    ["7.66s", 7660],
    ["0s", 0],
    ["0", 0],
    ["1m", 60_000],
    ["1h", 3_600_000],
    ["1500us", 1.5],
    ["1500µs", 1.5],
    ["2000000ns", 2],
    ["1h1h", 7_200_000],
    ["  1s  ", 1000],
    // garbage
    ["", undefined],
    ["   ", undefined],
    ["1", undefined],
    ["5.", undefined],
    ["s", undefined],
    ["1d", undefined],
    ["-1s", undefined],
    ["+1s", undefined],
    ["1 s", undefined],
    ["1s 2ms", undefined],
    ["1sx", undefined],
    ["abc", undefined],
    ["1e3ms", undefined],
    ["NaNs", undefined],
  ])("%j → %s", (input, expected) => {
    if (expected === undefined) expect(parseDurationString(input)).toBeUndefined();
    else expect(parseDurationString(input)).toBeCloseTo(expected, 9);
  });

  it("never throws and never returns a negative or non-finite number", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const ms = parseDurationString(s);
        return ms === undefined || (Number.isFinite(ms) && ms >= 0);
      }),
    );
  });

  it("reads back what it would print for h/m/s/ms combinations", () => {
    fc.assert(
      fc.property(
        fc.nat(99),
        fc.nat(59),
        fc.nat(59),
        fc.nat(999),
        (h, m, s, ms) =>
          parseDurationString(`${h}h${m}m${s}s${ms}ms`) === ((h * 60 + m) * 60 + s) * 1000 + ms,
      ),
    );
  });
});

describe("parseRetryAfter", () => {
  const cases: Array<
    [name: string, headers: Record<string, string | string[] | null | undefined>, ms: number | undefined]
  > = [
    // nothing usable
    ["no headers", {}, undefined],
    ["unrelated headers", { "content-type": "application/json" }, undefined],
    ["null and undefined values", { "retry-after": null, "retry-after-ms": undefined }, undefined],
    ["empty retry-after", { "retry-after": "" }, undefined],
    ["garbage retry-after", { "retry-after": "soon" }, undefined],
    ["negative retry-after", { "retry-after": "-5" }, undefined],
    ["retry-after with exponent", { "retry-after": "1e3" }, undefined],
    ["V8-parseable non-date", { "retry-after": "foo 1" }, undefined],
    [
      "garbage everywhere",
      { "retry-after-ms": "x", "retry-after": "y", "x-ratelimit-reset": "z" },
      undefined,
    ],

    // retry-after-ms
    ["retry-after-ms integer", { "retry-after-ms": "1500" }, 1500],
    ["retry-after-ms float rounds up", { "retry-after-ms": "20.2" }, 21],
    ["retry-after-ms zero", { "retry-after-ms": "0" }, 0],
    ["retry-after-ms with spaces", { "retry-after-ms": " 250 " }, 250],
    ["retry-after-ms beats retry-after", { "retry-after-ms": "100", "retry-after": "30" }, 100],
    ["garbage retry-after-ms falls to retry-after", { "retry-after-ms": "NaN", "retry-after": "2" }, 2000],
    ["negative retry-after-ms is ignored", { "retry-after-ms": "-100", "retry-after": "1" }, 1000],

    // retry-after
    ["retry-after seconds", { "retry-after": "30" }, 30_000],
    ["retry-after fractional seconds", { "retry-after": "0.3" }, 300],
    ["retry-after zero", { "retry-after": "0" }, 0],
    ["retry-after far beyond any deadline (Azure)", { "retry-after": "86400" }, 86_400_000],
    ["retry-after IMF-fixdate", { "retry-after": httpDate(10_000) }, 10_000],
    ["retry-after RFC 850 date", { "retry-after": "Tuesday, 03-Nov-26 12:00:05 GMT" }, 5000],
    ["retry-after asctime date (GMT by definition)", { "retry-after": "Tue Nov  3 12:00:07 2026" }, 7000],
    ["retry-after date in the past is 0", { "retry-after": httpDate(-60_000) }, 0],
    ["retry-after beats provider resets", { "retry-after": "3", "x-ratelimit-reset-requests": "1m0s" }, 3000],
    [
      "garbage retry-after falls to resets",
      { "retry-after": "later", "x-ratelimit-reset-tokens": "2s" },
      2000,
    ],

    // OpenAI
    ["openai requests reset", { "x-ratelimit-reset-requests": "6m0s" }, 360_000],
    ["openai tokens reset in ms", { "x-ratelimit-reset-tokens": "20ms" }, 20],
    ["openai compound duration", { "x-ratelimit-reset-requests": "1h2m3.5s" }, 3_723_500],
    ["openai fractional seconds", { "x-ratelimit-reset-tokens": "0.5s" }, 500],
    ["compatible server bare seconds", { "x-ratelimit-reset-requests": "3" }, 3000],
    [
      "openai: exhausted requests limit wins over a longer tokens reset",
      {
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "1s",
        "x-ratelimit-remaining-tokens": "5000",
        "x-ratelimit-reset-tokens": "6m0s",
      },
      1000,
    ],
    [
      "openai: exhausted tokens limit wins over a longer requests reset",
      {
        "x-ratelimit-remaining-requests": "12",
        "x-ratelimit-reset-requests": "1m0s",
        "x-ratelimit-remaining-tokens": "0",
        "x-ratelimit-reset-tokens": "7.66s",
      },
      7660,
    ],
    [
      "openai: both exhausted → the longer",
      {
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "1s",
        "x-ratelimit-remaining-tokens": "0",
        "x-ratelimit-reset-tokens": "20s",
      },
      20_000,
    ],
    [
      "openai: none exhausted → the longer",
      { "x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s" },
      360_000,
    ],
    [
      "openai: exhausted one unparseable → longest of the rest",
      {
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "soon",
        "x-ratelimit-reset-tokens": "4s",
      },
      4000,
    ],

    // Anthropic
    ["anthropic requests reset", { "anthropic-ratelimit-requests-reset": at(12_000) }, 12_000],
    [
      "anthropic reset with offset and fraction",
      { "anthropic-ratelimit-tokens-reset": "2026-11-03T13:00:01.5+01:00" },
      1500,
    ],
    ["anthropic reset in the past is 0", { "anthropic-ratelimit-requests-reset": at(-5000) }, 0],
    [
      "anthropic reset not RFC 3339 is ignored",
      { "anthropic-ratelimit-requests-reset": "in 5 seconds" },
      undefined,
    ],
    [
      "anthropic reset date-only is ignored",
      { "anthropic-ratelimit-requests-reset": "2026-11-04" },
      undefined,
    ],
    [
      "anthropic: exhausted output-tokens limit wins",
      {
        "anthropic-ratelimit-requests-remaining": "40",
        "anthropic-ratelimit-requests-reset": at(50_000),
        "anthropic-ratelimit-input-tokens-remaining": "1000",
        "anthropic-ratelimit-input-tokens-reset": at(30_000),
        "anthropic-ratelimit-output-tokens-remaining": "0",
        "anthropic-ratelimit-output-tokens-reset": at(4000),
      },
      4000,
    ],
    [
      "anthropic: no remaining headers → the longest",
      {
        "anthropic-ratelimit-requests-reset": at(2000),
        "anthropic-ratelimit-tokens-reset": at(9000),
        "anthropic-ratelimit-input-tokens-reset": at(5000),
        "anthropic-ratelimit-output-tokens-reset": at(1000),
      },
      9000,
    ],
    [
      "anthropic: retry-after beats resets",
      { "retry-after": "8", "anthropic-ratelimit-tokens-reset": at(60_000) },
      8000,
    ],

    // generic x-ratelimit-reset
    ["generic reset delta seconds", { "x-ratelimit-reset": "15" }, 15_000],
    ["generic reset fractional delta", { "x-ratelimit-reset": "1.25" }, 1250],
    ["generic reset epoch seconds", { "x-ratelimit-reset": String((NOW + 42_000) / 1000) }, 42_000],
    ["generic reset epoch milliseconds", { "x-ratelimit-reset": String(NOW + 7000) }, 7000],
    ["generic reset epoch in the past is 0", { "x-ratelimit-reset": String(NOW / 1000 - 100) }, 0],
    ["generic reset garbage", { "x-ratelimit-reset": "tomorrow" }, undefined],
    [
      "generic reset exhausted beats a longer openai reset",
      {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": "2",
        "x-ratelimit-reset-requests": "1m0s",
      },
      2000,
    ],

    // shapes
    ["header names any case", { "Retry-After-Ms": "10", "RETRY-AFTER": "9" }, 10],
    ["array value uses the first", { "retry-after": ["4", "9"] }, 4000],
    ["empty array is absent", { "retry-after": [], "x-ratelimit-reset": "1" }, 1000],
  ];

  it.each(cases)("%s", (_name, headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });

  it.each(cases)("%s (as a Headers object)", (_name, record, expected) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === "string") headers.set(key, value);
      else if (Array.isArray(value) && value[0] !== undefined) headers.set(key, value[0]);
    }
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });

  it("accepts any object with a get method (another copy of Headers)", () => {
    const foreign: HeadersLike = { get: (name: string) => (name === "retry-after" ? "2" : null) };
    expect(parseRetryAfter(foreign, NOW)).toBe(2000);
  });

  it("measures dates against Date.now() by default", () => {
    const result = parseRetryAfter({ "retry-after": new Date(Date.now() + 60_000).toUTCString() });
    expect(result).toBeGreaterThan(58_000);
    expect(result).toBeLessThanOrEqual(60_000);
  });

  it("never throws, and is a non-negative integer or undefined, for arbitrary header values", () => {
    const names = [
      "retry-after-ms",
      "retry-after",
      "x-ratelimit-reset-requests",
      "x-ratelimit-reset-tokens",
      "x-ratelimit-remaining-requests",
      "anthropic-ratelimit-tokens-reset",
      "anthropic-ratelimit-tokens-remaining",
      "x-ratelimit-reset",
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.string()), (headers) => {
        const ms = parseRetryAfter(headers, NOW);
        return ms === undefined || (Number.isInteger(ms) && ms >= 0);
      }),
    );
  });
});
