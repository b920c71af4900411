import { maxTimerMs } from "../../internal/abortable-delay.js";

/** setTimeout's limit: a larger (or infinite) delay fires at once, so every SDK timeout is clamped to it. */
export { maxTimerMs };

/**
 * The attempt's remaining deadline as an SDK `timeout`: whole milliseconds, at least 1, at most
 * {@link maxTimerMs}. Infinity, NaN and values beyond the timer limit become the limit (an SDK given
 * Infinity would pass it to `setTimeout`, which fires at once).
 */
export const toSdkTimeout = (timeoutMs: number): number => {
  if (!Number.isFinite(timeoutMs)) return maxTimerMs;
  return Math.min(Math.max(1, Math.ceil(timeoutMs)), maxTimerMs);
};
