const brand = Symbol.for("ai-failover.error");

/**
 * Base class of every error this library throws. Use the `isXxxError` guards rather than
 * `instanceof` when two copies of the package may be loaded (ESM and CJS, or two versions).
 */
export class AiFailoverError extends Error {
  override name = "AiFailoverError";
  readonly [brand] = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export const isAiFailoverError = (error: unknown): error is AiFailoverError =>
  typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[brand] === true;

/** Type guard by `name`, which works across duplicate package copies. */
export const hasErrorName = (error: unknown, name: string): boolean =>
  isAiFailoverError(error) && error.name === name;
