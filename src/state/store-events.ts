import { sanitizeMessage } from "../errors/sanitize-message.js";
import type { StoreStatus } from "./health-link.js";

/** A shared store could not reach its backend. Calls go on with this instance's local view. */
export interface StoreErrorEvent {
  /** This instance's id. */
  instance: string;
  /** What failed: a sync with the backend, or its push channel (pub/sub). */
  operation: "sync" | "subscribe";
  /** The error's name and a sanitized message (no credentials, at most 300 characters). */
  message: string;
  /** The error as thrown (by your Redis client, or a `StoreTimeoutError`-named `Error`). */
  error: unknown;
  /** Syncs failed in a row. */
  consecutiveFailures: number;
  /** Milliseconds until the store tries again. */
  retryInMs: number;
}

/** The store's connection to its backend changed. */
export interface StoreStatusEvent {
  instance: string;
  from: StoreStatus;
  to: StoreStatus;
  /** Epoch ms. */
  at: number;
  /**
   * Set when the backend turned out to have lost its data (restarted empty, flushed): the store
   * has published its local state again.
   */
  resynchronised?: boolean;
}

/** What `onError(listener)` and `onStatusChange(listener)` return. */
export interface StoreSubscription {
  dispose(): void;
}

/** A listener set that contains its listeners: one that throws never reaches the store's work. */
export class StoreChannel<T> {
  private listeners: ((event: T) => void)[] = [];

  get active(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: (event: T) => void): StoreSubscription {
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  }

  emit(event: T): void {
    for (const listener of this.listeners) {
      try {
        const returned: unknown = listener(event);
        if (returned instanceof Promise) returned.catch(warnListenerFailed);
      } catch (error) {
        warnListenerFailed(error);
      }
    }
  }
}

let listenerWarned = false;
const warnListenerFailed = (error: unknown): void => {
  if (listenerWarned) return;
  listenerWarned = true;
  emitWarning(
    `a health store event listener failed (${describeError(error)}); the store went on. Further failures are not reported.`,
    "AI_FAILOVER_STORE_LISTENER_ERROR",
  );
};

/** `Name: message`, sanitized and cut: safe for logs. */
export const describeError = (error: unknown): string => {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : typeof error === "string" ? error : "";
  if (text === "") return typeof error;
  // A connection URL with its password (redis://user:secret@host) never reaches a log.
  return sanitizeMessage(text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1[redacted]@"), []);
};

export const emitWarning = (warning: string, code: string): void => {
  if (typeof process !== "undefined" && typeof process.emitWarning === "function")
    process.emitWarning(warning, { type: "AiFailoverWarning", code });
  else console.warn(`AiFailoverWarning: ${warning}`);
};
