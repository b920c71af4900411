import { setTimeout as sleep } from "node:timers/promises";
import type OpenAI from "openai";
import type { Answer, DemoApp } from "./app-client.js";
import type { CallRecord, DrillStats } from "./stats.js";

/** Default pause of a client between two calls, in ms (random in [min, max]). */
export const defaultThinkMs: [number, number] = [20, 60];

export interface LoadOptions {
  /** Simulated clients (workers), each making one call at a time: at most this many calls in flight. */
  concurrency: number;
  /** Share of calls that stream. */
  streamShare: number;
  /** The model the app asks for. */
  model: string;
  /** Pause between two calls of one worker, in ms (random in [min, max]): a steady, modest flow. */
  thinkMs?: [number, number];
  /** Upper bound on calls (for `--real`); unlimited by default. */
  maxCalls?: number;
  /** max_tokens of every call. */
  maxTokens?: number;
  /** Called after each call. */
  onCall?: (call: CallRecord) => void;
}

/** What the app asks. Never printed (the test checks). */
export const questions = [
  "Summarise our refund policy in one sentence.",
  "Suggest a subject line for a welcome email.",
  "Translate 'order shipped' into French.",
  "Classify this ticket: 'my invoice is wrong'.",
];

/**
 * A steady flow of calls through the app's client: `concurrency` workers, each making one call at a
 * time (a chat completion or a stream, at random), with a short pause between calls. The flow
 * slows down by itself when calls get slow, as an app's does.
 */
export class LoadGenerator {
  private readonly stopper = new AbortController();
  private workers: Promise<void>[] = [];
  private started = 0;

  constructor(
    private readonly app: DemoApp,
    private readonly stats: DrillStats,
    private readonly phaseNow: () => number,
    private readonly options: LoadOptions,
  ) {}

  start(): void {
    this.workers = Array.from({ length: this.options.concurrency }, (_, i) => this.worker(i));
  }

  /** Stops starting calls, and resolves once every call in flight has ended (deadlines bound them). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await Promise.all(this.workers);
  }

  /** Resolves when every worker is done (with `maxCalls`, once that many calls have ended). */
  done(): Promise<void> {
    return Promise.all(this.workers).then(() => undefined);
  }

  private async worker(index: number): Promise<void> {
    const [minThink, maxThink] = this.options.thinkMs ?? defaultThinkMs;
    // Workers start spread out rather than in one burst.
    if (!(await this.pause(index * 3))) return;
    while (!this.stopper.signal.aborted) {
      if (this.options.maxCalls !== undefined && this.started >= this.options.maxCalls) return;
      this.started++;
      await this.oneCall();
      if (!(await this.pause(minThink + Math.random() * (maxThink - minThink)))) return;
    }
  }

  /**
   * A few calls before the drill (connections opened, code paths warmed up), so that the first
   * second of the drill does not show start-up latency. Not recorded.
   */
  async warmUp(): Promise<void> {
    await Promise.allSettled(
      Array.from({ length: this.options.concurrency }, (_, i) =>
        i % 2 ? this.streamCall() : this.chatCall(),
      ),
    );
  }

  /** False when the generator was stopped during the pause. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.stopper.signal });
      return true;
    } catch {
      return false;
    }
  }

  private async oneCall(): Promise<void> {
    const stream = Math.random() < this.options.streamShare;
    const phase = this.phaseNow();
    const startedAt = Date.now();
    const t0 = performance.now();
    this.stats.inFlight++;
    let answer: Answer | undefined;
    let error: string | undefined;
    try {
      answer = stream ? await this.streamCall() : await this.chatCall();
      if (!answer) error = "no failover info on the answer";
    } catch (e) {
      error = describeError(e);
    } finally {
      this.stats.inFlight--;
    }
    const record: CallRecord = {
      startedAt,
      endedAt: Date.now(),
      ms: performance.now() - t0,
      stream,
      phase,
      provider: error ? undefined : answer?.provider,
      failedOver: answer?.failedOver ?? false,
      attempts: answer?.attempts ?? 0,
    };
    if (answer?.resumedFrom) record.resumedFrom = answer.resumedFrom;
    if (error) record.error = error;
    this.stats.record(record);
    this.options.onCall?.(record);
  }

  private messages(): OpenAI.ChatCompletionMessageParam[] {
    return [{ role: "user", content: questions[Math.floor(Math.random() * questions.length)]! }];
  }

  /** Plain app code: a chat completion. */
  private async chatCall(): Promise<Answer | undefined> {
    const completion = await this.app.openai.chat.completions.create({
      model: this.options.model,
      messages: this.messages(),
      max_tokens: this.options.maxTokens ?? 64,
    });
    if (typeof completion.choices[0]?.message.content !== "string") throw new Error("empty completion");
    return this.app.answerOf(completion);
  }

  /** Plain app code: a stream, read to the end. */
  private async streamCall(): Promise<Answer | undefined> {
    const stream = await this.app.openai.chat.completions.create({
      model: this.options.model,
      messages: this.messages(),
      max_tokens: this.options.maxTokens ?? 64,
      stream: true,
      stream_options: { include_usage: true },
    });
    // Which provider the stream committed to; another one may continue it after a cut (opt-in).
    const startedWith = this.app.answerOf(stream)?.provider;
    let text = "";
    let finished = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) finished = true;
    }
    if (!finished || text === "") throw new Error("stream ended without an answer");
    const answer = this.app.answerOf(stream);
    return answer && startedWith && answer.provider !== startedWith
      ? { ...answer, resumedFrom: startedWith }
      : answer;
  }
}

/** "AllProvidersFailedError (openai: timeout, anthropic: server_error 503)": classes only, no messages. */
export const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return "non-error thrown";
  const e = error as Error & {
    failureClass?: string;
    attempts?: { provider: string; outcome: string; status?: number }[];
  };
  if (Array.isArray(e.attempts) && e.attempts.length > 0) {
    const tried = e.attempts.map((a) => `${a.provider}: ${a.outcome}${a.status ? ` ${a.status}` : ""}`);
    return `${e.name} (${tried.join(", ")})`;
  }
  return e.failureClass ? `${e.name} (${e.failureClass})` : e.name;
};
