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
    if (isAiFailoverError(error)) throw error;
    throw refuse(error instanceof Error ? error.name : typeof error);
  }
};
