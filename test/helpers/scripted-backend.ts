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
 * once like a refused connection (`refuse`), or never answers, not even when aborted (`hang`: a
 * black-holed Redis behind a client with no command timeout). The store's real backend (Redis) is
 * tested against a real server.
 */
export class ScriptedBackend implements HealthBackend {
  mode: "answer" | "refuse" | "hang" = "answer";
  generation = "gen-1";
  records: Record<string, HealthRecord> = {};
  readonly requests: HealthExchange[] = [];
  /** Exchanges that have not settled (hung ones). */
  unsettled = 0;
  private push: ((change: HealthChange) => void) | undefined;

  exchange(request: HealthExchange): Promise<HealthSnapshot> {
    this.requests.push(structuredClone(request));
    if (this.mode === "refuse") return Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379"));
    if (this.mode === "hang") {
      this.unsettled++;
      return new Promise(() => {});
    }
    return Promise.resolve({ generation: this.generation, records: structuredClone(this.records) });
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
