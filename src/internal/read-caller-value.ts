import { isAiFailoverError } from "../errors/ai-failover-error.js";

/**
 * Runs `read` over a value the caller gave (options, a request). A library error passes through;
 * anything else — a getter that throws, a revoked Proxy — becomes `refuse(kind)`, a typed error that
 * names the error's class only (its message may quote the value).
 */
export const readCallerValue = <T>(read: () => T, refuse: (kind: string) => Error): T => {
  try {
    return read();
  } catch (error) {
    throw callerValueError(error, refuse);
  }
};

/**
 * What `readCallerValue` throws for `error`, for a hot path that keeps its own `try` (no closure per
 * call): a library error as it is, anything else as `refuse(kind)`.
 */
export const callerValueError = (error: unknown, refuse: (kind: string) => Error): unknown =>
  isAiFailoverError(error) ? error : refuse(error instanceof Error ? error.name : typeof error);
