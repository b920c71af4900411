/**
 * Registers the fault matrix for one role: every fault row × every adapter × chat / chat(json) /
 * stream, each cell with its own two mock servers and client, run concurrently.
 */
import { beforeAll, describe, type ExpectStatic, it } from "vitest";
import { createClient } from "../../../src/index.js";
import type { Attempt } from "../../../src/spec/attempt.js";
import {
  type CellRun,
  type Expected,
  type ExpectedAttempt,
  expectedOutcome,
  FAULT_ROWS,
  type FaultRow,
  MODES,
  type Mode,
  type Role,
  runCell,
} from "./matrix.js";
import { attemptsFromEvents, findLeaks, streamText, visibleText } from "./observe.js";
import { type AdapterKind, adapterFor, MODELS, PROMPT, replyText, startMock } from "./providers.js";

/** Loads each SDK's lazy parts and opens a first connection, so no cell pays a cold start inside a deadline. */
export const warmUp = async (kinds: readonly AdapterKind[]): Promise<void> => {
  for (const kind of kinds) {
    const mock = await startMock(kind);
    try {
      const client = createClient({ providers: [adapterFor(kind, mock)] });
      await client.chat({ messages: [{ role: "user", content: "warm up" }] });
      await client.chat({ messages: [{ role: "user", content: "warm up" }], policy: { transport: "json" } });
      await client.stream({ messages: [{ role: "user", content: PROMPT }] }).result();
    } finally {
      await mock.close();
    }
  }
};

const roleOf = (run: CellRun, provider: string): Role | string =>
  provider === run.names.primary ? "primary" : provider === run.names.fallback ? "fallback" : provider;

const asExpected = (run: CellRun, attempts: readonly Attempt[]): ExpectedAttempt[] =>
  attempts.map((a) => [roleOf(run, a.provider) as Role, a.outcome, a.status, a.reason]);

/** Asserts one cell's run against the expected outcome. */
export const assertCell = (
  expect: ExpectStatic,
  row: FaultRow,
  kind: AdapterKind,
  role: Role,
  mode: Mode,
  run: CellRun,
  expected: Expected,
): void => {
  const { observation } = run;
  const observed = attemptsFromEvents(observation.events);
  const error = observation.error as Record<string, any> | undefined;
  const summary = {
    error: error ? `${error.name}: ${error.message}` : undefined,
    answeredBy: observation.result?.provider,
    attempts: asExpected(run, observed),
    requests: run.requests,
  };

  // The attempts log, as observers saw it.
  expect(asExpected(run, observed), `attempts (${JSON.stringify(summary)})`).toEqual(expected.attempts);
  for (const attempt of observed) {
    const who = roleOf(run, attempt.provider) as Role;
    expect(attempt.model).toBe(MODELS[run.kinds[who]]);
  }
  // How many requests each provider received.
  expect(run.requests, "requests per provider").toEqual(expected.requests);
  // One onFallback per fall-over, one onRetry per retry.
  const count = (channel: string) => observation.events.filter((e) => e.channel === channel).length;
  expect(count("onFallback"), "fallback events").toBe(observed.filter((a) => a.reason === "fallback").length);
  expect(count("onRetry"), "retry events").toBe(observed.filter((a) => a.reason === "retry").length);

  const starts = observation.streamEvents.filter((e) => e.type === "start");
  if (expected.answeredBy) {
    expect(error, `no error (${JSON.stringify(summary)})`).toBeUndefined();
    const result = observation.result!;
    const answering = run.kinds[expected.answeredBy];
    expect(result.provider).toBe(run.names[expected.answeredBy]);
    // Exactly one provider's reply: never stitched.
    expect(result.text).toBe(expected.answerText ?? replyText(answering));
    expect(asExpected(run, result.attempts)).toEqual(expected.attempts);
    if (mode === "stream") {
      expect(starts).toEqual([{ type: "start", provider: result.provider, model: MODELS[answering] }]);
      expect(streamText(observation.streamEvents)).toBe(result.text);
      expect(observation.streamEvents.at(-1)).toMatchObject({ type: "finish", provider: result.provider });
    }
  } else {
    const want = expected.error!;
    expect(error, `an error (${JSON.stringify(summary)})`).toBeDefined();
    expect({ name: error!.name, failureClass: error!.failureClass }).toEqual({
      name: want.name,
      failureClass: want.failureClass,
    });
    if (want.name === "StreamInterruptedError") {
      expect(error!.provider).toBe(run.names[role]);
      expect(error!.partialText).toBe(want.partialText);
      // The caller saw exactly the partial text, from the faulty provider only.
      expect(streamText(observation.streamEvents)).toBe(want.partialText);
      expect(starts).toEqual([{ type: "start", provider: run.names[role], model: MODELS[kind] }]);
      expect(asExpected(run, error!.attempts)).toEqual(expected.attempts);
    } else if (want.name === "AllProvidersFailedError") {
      expect(asExpected(run, error!.attempts)).toEqual(expected.attempts);
      expect(starts).toEqual([]);
    } else {
      expect(error!.provider).toBe(run.names[role]);
      expect(error!.status).toBe(expected.attempts.at(-1)![2]);
      expect(starts).toEqual([]);
    }
  }

  // No key, no prompt, no HTML in any error, attempt or event; and the prompt really was sent.
  expect(run.promptSent, "the prompt reached the faulty provider").toBe(true);
  expect(findLeaks(visibleText(observation))).toEqual([]);
  // Nothing left running on either server once the call settled.
  expect(run.inFlightAfter, "requests still open on the mocks after the call").toBe(0);
  // A deadline that fired hung up on the provider: the client closed each faulty request, the mock did
  // not finish it on its own (a 5 s slow reply must not simply run out while the socket is forgotten).
  if (row.deadlines && expected.attempts.some(([who, outcome]) => who === role && outcome === "timeout")) {
    expect(run.faultyClosedBy, "who closed the timed-out requests").toEqual(
      run.faultyClosedBy.map(() => "client"),
    );
  }
  const problems = row.check?.({
    kind,
    role,
    mode,
    observation,
    health: run.health,
    faultyName: run.names[role],
  });
  expect(problems ?? []).toEqual([]);
};

/** The whole matrix for one role. */
export const describeFaultMatrix = (
  role: Role,
  kinds: readonly AdapterKind[],
  faultRows: readonly FaultRow[] = FAULT_ROWS,
  modes: readonly Mode[] = MODES,
): void => {
  beforeAll(() => warmUp(kinds), 30_000);

  const cells = kinds.flatMap((kind) => modes.map((mode) => ({ kind, mode })));
  const rows = (selected: readonly FaultRow[]) =>
    describe.concurrent.each(selected)("$name", (row) => {
      it.for(cells)("$kind · $mode", async ({ kind, mode }, { expect }) => {
        const run = await runCell(row, kind, role, mode);
        assertCell(expect, row, kind, role, mode, run, expectedOutcome(row, kind, role, mode));
      });
    });
  // Two groups, one after the other: the deadline faults (mostly idle waits on short deadlines)
  // never share the event loop with the CPU-heavier status faults.
  const deadlineRows = faultRows.filter((r) => r.deadlines);
  describe("status, network, protocol and policy faults", () => rows(faultRows.filter((r) => !r.deadlines)));
  if (deadlineRows.length > 0) describe("deadline faults", () => rows(deadlineRows));
};
