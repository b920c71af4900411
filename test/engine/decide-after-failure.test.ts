import { describe, expect, it } from "vitest";
import {
  type Decision,
  decideAfterFailure,
  type FailureFacts,
} from "../../src/engine/decide-after-failure.js";
import { defaultFailureActions, type FailureClass, failureClasses } from "../../src/errors/failure-class.js";

/** A failure on the first try of a provider, with everything else generous. */
const facts = (failureClass: FailureClass, overrides: Partial<FailureFacts> = {}): FailureFacts => ({
  failureClass,
  action: defaultFailureActions[failureClass],
  tries: 1,
  maxRetries: 2,
  preferPrimary: false,
  retryAfterMs: undefined,
  maxRetryAfterMs: 30_000,
  coolingLeftMs: 0,
  backoffMs: 120,
  alternativeAvailable: true,
  timeLeftMs: 600_000,
  retryBudgetAvailable: true,
  ...overrides,
});

describe("decideAfterFailure: the default action of every class", () => {
  // [class, another provider can take the call, nobody else can]
  const table: [FailureClass, Decision, Decision][] = [
    ["rate_limited", { type: "fallover" }, { type: "retry", delayMs: 120 }],
    ["quota", { type: "fallover" }, { type: "give-up" }],
    ["server_error", { type: "fallover" }, { type: "retry", delayMs: 120 }],
    ["overloaded", { type: "fallover" }, { type: "retry", delayMs: 120 }],
    ["connection", { type: "fallover" }, { type: "retry", delayMs: 120 }],
    ["timeout", { type: "fallover" }, { type: "give-up" }],
    ["auth", { type: "fallover" }, { type: "give-up" }],
    ["context_length", { type: "fallover" }, { type: "surface" }],
    ["content_filter", { type: "surface" }, { type: "surface" }],
    ["bad_request", { type: "surface" }, { type: "surface" }],
    ["invalid_response", { type: "fallover" }, { type: "retry", delayMs: 120 }],
    ["truncated", { type: "fallover" }, { type: "retry", delayMs: 120 }],
    ["aborted", { type: "surface" }, { type: "surface" }],
  ];

  it("covers every failure class", () => {
    expect(table.map(([cls]) => cls)).toEqual([...failureClasses]);
  });

  it.each(table)("%s → %j with an alternative, %j without", (cls, withAlternative, alone) => {
    expect(decideAfterFailure(facts(cls))).toEqual(withAlternative);
    expect(decideAfterFailure(facts(cls, { alternativeAvailable: false }))).toEqual(alone);
  });
});

describe("decideAfterFailure: when a retry is made", () => {
  const alone = { alternativeAvailable: false } as const;
  it.each<[string, FailureFacts, Decision]>([
    [
      "preferPrimary retries even with an alternative",
      facts("server_error", { preferPrimary: true }),
      { type: "retry", delayMs: 120 },
    ],
    [
      "after maxRetries it falls over",
      facts("server_error", { preferPrimary: true, tries: 3 }),
      { type: "fallover", declined: "max-retries" },
    ],
    [
      "after maxRetries, alone, it gives up",
      facts("server_error", { ...alone, tries: 3 }),
      { type: "give-up", declined: "max-retries" },
    ],
    [
      "a stated wait replaces the backoff",
      facts("rate_limited", { ...alone, retryAfterMs: 3_000, coolingLeftMs: 3_000 }),
      { type: "retry", delayMs: 3_000 },
    ],
    [
      "a stated wait only counts for rate limits",
      facts("server_error", { ...alone, retryAfterMs: 3_000 }),
      { type: "retry", delayMs: 120 },
    ],
    [
      "never inside the cooling window (a 429 that stated no wait cools 1 s)",
      facts("rate_limited", { ...alone, coolingLeftMs: 1_000 }),
      { type: "retry", delayMs: 1_000 },
    ],
    [
      "a stated wait beyond maxRetryAfterMs is never slept on",
      facts("rate_limited", { ...alone, retryAfterMs: 86_400_000, coolingLeftMs: 60_000 }),
      { type: "give-up", declined: "retry-after-too-long" },
    ],
    [
      "exactly maxRetryAfterMs is waited for",
      facts("rate_limited", { ...alone, retryAfterMs: 30_000, coolingLeftMs: 30_000 }),
      { type: "retry", delayMs: 30_000 },
    ],
    [
      "a wait that does not fit the deadline is not made",
      facts("rate_limited", { ...alone, retryAfterMs: 5_000, timeLeftMs: 5_000 }),
      { type: "give-up", declined: "deadline" },
    ],
    [
      "an empty retry budget refuses the retry",
      facts("overloaded", { ...alone, retryBudgetAvailable: false }),
      { type: "give-up", declined: "budget" },
    ],
    [
      "a class overridden to not fall over is surfaced once retries are spent",
      facts("server_error", {
        ...alone,
        tries: 3,
        action: { ...defaultFailureActions.server_error, fallover: false },
      }),
      { type: "surface", declined: "max-retries" },
    ],
    [
      "content_filter opted into fall-over falls over",
      facts("content_filter", { action: { ...defaultFailureActions.content_filter, fallover: true } }),
      { type: "fallover" },
    ],
  ])("%s", (_name, input, expected) => {
    expect(decideAfterFailure(input)).toEqual(expected);
  });
});

describe("decideAfterFailure: after content reached the caller", () => {
  it.each<[string, FailureFacts, Decision]>([
    [
      "by default the interruption is surfaced",
      facts("server_error", { committed: { continueAllowed: false } }),
      { type: "surface" },
    ],
    [
      "continue, text only: falls over",
      facts("server_error", { committed: { continueAllowed: true } }),
      { type: "fallover" },
    ],
    [
      "continue, but nobody can take it: surfaced",
      facts("server_error", { committed: { continueAllowed: true }, alternativeAvailable: false }),
      { type: "surface" },
    ],
    [
      "continue, but the class does not fall over: surfaced",
      facts("content_filter", { committed: { continueAllowed: true } }),
      { type: "surface" },
    ],
    [
      "never retried, even with preferPrimary",
      facts("truncated", { committed: { continueAllowed: false }, preferPrimary: true }),
      { type: "surface" },
    ],
  ])("%s", (_name, input, expected) => {
    expect(decideAfterFailure(input)).toEqual(expected);
  });
});
