import type {
  HealthBackend,
  HealthChange,
  HealthExchange,
  HealthRecord,
  HealthSnapshot,
} from "../../src/state/health-backend.js";

/**
 * A health backend whose answers the test scripts, for timing tests of the shared store with fake
 * timers: it records every exchange and answers with the records the test set (`answer`), fails at
 * once like a refused connection (`refuse`), never answers, not even when aborted (`hang`: a
 * black-holed Redis behind a client with no command timeout), or answers when the test says so
 * (`hold`, then `release()`: a reply still on its way at a chosen moment). The store's real backend (Redis) is
 * tested against a real server.
 */
export class ScriptedBackend implements HealthBackend {
  mode: "answer" | "refuse" | "hang" | "hold" = "answer";
  generation = "gen-1";
  records: Record<string, HealthRecord> = {};
  readonly requests: HealthExchange[] = [];
  /** Exchanges that have not settled (hung ones). */
  unsettled = 0;
  private push: ((change: HealthChange) => void) | undefined;
  private held: { resolve: (snapshot: HealthSnapshot) => void; reject: (error: Error) => void }[] = [];

  exchange(request: HealthExchange): Promise<HealthSnapshot> {
    this.requests.push(structuredClone(request));
    if (this.mode === "refuse") return Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379"));
    if (this.mode === "hang") {
      this.unsettled++;
      return new Promise(() => {});
    }
    if (this.mode === "hold") return new Promise((resolve, reject) => this.held.push({ resolve, reject }));
    return Promise.resolve(this.snapshot());
  }

  /** Settles the held exchanges: with the records set now, or with `error`. */
  release(error?: Error): void {
    const held = this.held;
    this.held = [];
    for (const exchange of held) {
      if (error) exchange.reject(error);
      else exchange.resolve(this.snapshot());
    }
  }

  /** Exchanges held and not released yet. */
  get holding(): number {
    return this.held.length;
  }

  private snapshot(): HealthSnapshot {
    return { generation: this.generation, records: structuredClone(this.records) };
  }

  subscribe(onChange: (change: HealthChange) => void): () => Promise<void> {
    this.push = onChange;
    return async () => {
      this.push = undefined;
    };
  }

  /** Pushes a change as another instance would (pub/sub). */
  pushChange(by: string, records: Record<string, HealthRecord>): void {
    this.push?.({ generation: this.generation, by, records });
  }

  /** Every operation sent so far, flattened. */
  get ops() {
    return this.requests.flatMap((request) => request.ops);
  }
}
