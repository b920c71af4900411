import type { CallAttempt } from "./call-attempt.js";

/** What the race needs from its call. */
export interface RaceHost<A extends CallAttempt> {
  /** Sends the attempt's request with its provider's transport; settles at its first content. */
  open(attempt: A): Promise<void>;
  /** When to start a hedge beside `attempt` (hedging on, or its provider is suspect), if at all. */
  hedgeDelayFor(attempt: A): number | undefined;
  /** Starts a hedge beside a slow `first` attempt, if another provider can take the call. */
  startHedge(first: A, afterMs: number): A | undefined;
  /** Records a failure while another attempt of the race is still running (no decision yet). */
  failWhileRacing(attempt: A, error: unknown): void;
  /** The winner got content first: the loser is stopped. */
  loseHedge(loser: A, first: A): void;
  /** The call ended (abort, deadline, an error that stops it) while the attempt was running. */
  abandon(attempt: A, reason: unknown): void;
}

export type RaceResult<A extends CallAttempt> =
  | { ok: true; attempt: A }
  | { ok: false; attempt: A; error: unknown };

/**
 * Waits for `first` to deliver its first content, starting at most one hedge beside it when it is
 * slow. The first attempt to deliver content wins and the other is stopped; a failure while the other
 * still runs is only recorded. Resolves with the winner, or with the last failure, for the call to
 * decide on.
 */
export const raceAttempts = async <A extends CallAttempt>(
  host: RaceHost<A>,
  first: A,
): Promise<RaceResult<A>> => {
  const firstOpened = host.open(first);
  const hedgeDelay = host.hedgeDelayFor(first);
  if (hedgeDelay === undefined) {
    // No hedge possible (the usual case): no race to set up.
    try {
      await firstOpened;
      return { ok: true, attempt: first };
    } catch (error) {
      return { ok: false, attempt: first, error };
    }
  }
  const pending = new Map<A, Promise<RaceResult<A>>>();
  const track = (attempt: A, opened: Promise<void>): void => {
    pending.set(
      attempt,
      opened.then(
        (): RaceResult<A> => ({ ok: true, attempt }),
        (error: unknown): RaceResult<A> => ({ ok: false, attempt, error }),
      ),
    );
  };
  track(first, firstOpened);
  let hedgeTimer: ReturnType<typeof setTimeout> | undefined;
  let hedgeFired: Promise<"hedge"> | undefined = new Promise((resolve) => {
    hedgeTimer = setTimeout(() => resolve("hedge"), hedgeDelay);
  });
  try {
    for (;;) {
      const outcome = await Promise.race([...pending.values(), ...(hedgeFired ? [hedgeFired] : [])]);
      if (outcome === "hedge") {
        hedgeFired = undefined;
        const hedge = host.startHedge(first, hedgeDelay);
        if (hedge) track(hedge, host.open(hedge));
        continue;
      }
      pending.delete(outcome.attempt);
      if (outcome.ok) {
        for (const loser of pending.keys()) host.loseHedge(loser, first);
        return outcome;
      }
      if (pending.size === 0) return outcome;
      // The other attempt still runs: record this failure, decide only if that one fails too.
      host.failWhileRacing(outcome.attempt, outcome.error);
    }
  } catch (error) {
    for (const attempt of pending.keys()) host.abandon(attempt, error);
    throw error;
  } finally {
    clearTimeout(hedgeTimer);
  }
};
