/** Whether an app's callback returned a promise (or any thenable): its rejection must be observed. */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") &&
  value !== null &&
  typeof (value as PromiseLike<unknown>).then === "function";
