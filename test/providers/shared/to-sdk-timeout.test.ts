import { describe, expect, it } from "vitest";
import { maxTimerMs, toSdkTimeout } from "../../../src/providers/shared/to-sdk-timeout.js";

describe("toSdkTimeout", () => {
  it.each([
    [1500.2, 1501],
    [0, 1],
    [-5, 1],
    [0.2, 1],
    [Number.POSITIVE_INFINITY, maxTimerMs],
    [Number.NaN, maxTimerMs],
    [1e12, maxTimerMs],
  ])("%s → %s", (input, expected) => {
    expect(toSdkTimeout(input)).toBe(expected);
  });
});
