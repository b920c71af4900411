/**
 * The longest delay `setTimeout` can honour (2^31 - 1 ms, about 24.8 days). Longer values would
 * overflow to an immediate timer, so they are clamped to this.
 */
export const maxTimerMs = 2_147_483_647;

/**
 * Waits `ms` milliseconds, or rejects with `signal.reason` as soon as `signal` aborts (at once if it
 * is already aborted).
 *
 * Cleans up after itself in every path: the abort listener is removed when the timer fires, and the
 * timer is cleared when the signal aborts, so a long-lived signal does not collect listeners and an
 * aborted wait does not keep the process alive.
 *
 * `ms` that is negative or NaN waits 0 ms; values beyond `setTimeout`'s range are clamped to it.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms || 0), maxTimerMs),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
