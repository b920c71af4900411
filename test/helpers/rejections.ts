import { isConfigError } from "../../src/errors/config-error.js";

/** What `promise` rejected with; throws when it resolved. Typed `any` so tests can read the error's fields. */
export const rejection = async (promise: PromiseLike<unknown>): Promise<any> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
};

/** The issues of the `ConfigError` that `make` throws; throws when it throws anything else or nothing. */
export const configIssues = (make: () => unknown): string[] => {
  try {
    make();
  } catch (error) {
    if (isConfigError(error)) return [...error.issues];
    throw error;
  }
  throw new Error("expected a ConfigError");
};
