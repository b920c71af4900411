/**
 * `promise`, or the abort reason as soon as `signal` aborts, whichever comes first: a caller waiting
 * on a client that ignores signals is never left hanging. `promise`'s own later rejection is handled,
 * never unhandled.
 */
export const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    promise.catch(noop);
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });

const noop = (): void => {};
