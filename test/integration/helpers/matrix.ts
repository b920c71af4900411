/**
 * The fault matrix: every fault the mock server can inject, the outcome DESIGN.md's failure-class
 * table prescribes for it, and a runner that plays one (fault, adapter, role, mode) cell through
 * the real SDKs against two mock servers.
 */
import { createClient, defaultFailureActions, type FailureClass } from "../../../src/index.js";
import type { Attempt } from "../../../src/spec/attempt.js";
import {
  faults,
  type MockFault,
  type MockProvider,
  type RecordedRequest,
} from "../../../src/testing/index.js";
import { type Observation, observeCall } from "./observe.js";
import { type AdapterKind, adapterFor, PROMPT, PROVIDER_NAMES, replyText, startMock } from "./providers.js";

/**
 * How the call is made: `chat()` (which streams under the hood by default), `chat()` with the
 * `json` transport (plain non-streaming requests: the mock's non-stream variant of each fault),
 * and `stream()`.
 */
export type Mode = "chat" | "chat-json" | "stream";
export const MODES: readonly Mode[] = ["chat", "chat-json", "stream"];

/** Where the faulty provider sits: first (behind it a healthy fallback), or second (behind a primary that 503s). */
export type Role = "primary" | "fallback";

/**
 * Short deadlines for a provider serving a deadline fault, so black holes and stalls trip in a
 * second or two, yet far above what a busy 2-core CI machine needs to read a reply that did come
 * (the mock's slow faults take 5 s). The healthy provider keeps the defaults: a loaded machine must
 * not turn a healthy reply into a timeout.
 */
export const SHORT_DEADLINES = { headersMs: 1_000, firstContentMs: 2_000, idleMs: 1_000 } as const;

/** The other kind each adapter is paired with (never the same failure domain). */
export const PARTNER: Record<AdapterKind, AdapterKind> = {
  openai: "anthropic",
  azure: "mistral",
  anthropic: "openai",
  mistral: "azure",
  "openai-compatible": "anthropic",
  "ai-sdk-openai": "anthropic",
  "ai-sdk-anthropic": "openai",
  "ai-sdk-google": "openai",
};

/** Characters per streamed text delta the mock uses (its default). */
const CHUNK = 8;
const firstEvents = (n: number) => (text: string) => text.slice(0, CHUNK * n);

/** What extra per-row checks receive. */
export interface CheckContext {
  kind: AdapterKind;
  role: Role;
  mode: Mode;
  observation: Observation;
  health: ReturnType<ReturnType<typeof createClient>["health"]>;
  faultyName: string;
}

export interface FaultRow {
  name: string;
  /** The fault the faulty provider serves once; "refused" = its mock is down for the whole call. */
  fault: MockFault | "refused" | ((kind: AdapterKind) => MockFault);
  /** The class the faulty attempt is logged with ("ok" = the fault is harmless in that mode). */
  cls: FailureClass | "ok" | ((kind: AdapterKind, mode: Mode) => FailureClass | "ok");
  /** HTTP status the attempt carries (undefined for network faults, deadlines and in-band errors). */
  status?: number | ((kind: AdapterKind) => number);
  /** Stream mode: the fault hits after first content; the caller has exactly this much of the text. */
  partial?: (text: string) => string;
  /** When the fault is an answer (`cls` "ok") that is not the whole reply: the text the caller gets. */
  answerText?: (text: string, mode: Mode) => string;
  /** Retryable class whose stated wait exceeds `maxRetryAfterMs`: never slept, never retried. */
  noRetry?: boolean;
  /**
   * A deadline fault: the faulty provider gets these deadlines (default {@link SHORT_DEADLINES});
   * every other row leaves it the default deadlines, so a loaded machine cannot turn a status
   * fault into a spurious timeout.
   */
  deadlines?: true | { headersMs?: number; firstContentMs?: number; idleMs?: number };
  /** Extra assertions; return a list of problems (empty when fine). */
  check?: (ctx: CheckContext) => string[];
}

const healthOf = (ctx: CheckContext) => ctx.health.find((h) => h.provider === ctx.faultyName);

const expectHealth =
  (roles: Role[], predicate: (h: NonNullable<ReturnType<typeof healthOf>>) => boolean, what: string) =>
  (ctx: CheckContext): string[] => {
    if (!roles.includes(ctx.role)) return [];
    const h = healthOf(ctx);
    return h && predicate(h)
      ? []
      : [`health of ${ctx.faultyName}: expected ${what}, got ${JSON.stringify(h)}`];
  };

/** The first retry event's delay (the engine honoured the provider's stated wait). */
const expectRetryDelay =
  (expected: (kind: AdapterKind) => number | undefined) =>
  (ctx: CheckContext): string[] => {
    const want = expected(ctx.kind);
    if (ctx.role !== "fallback" || want === undefined) return [];
    const retry = ctx.observation.events.find((e) => e.channel === "onRetry")?.payload as
      | { delayMs: number }
      | undefined;
    return retry?.delayMs === want ? [] : [`retry delay: expected ${want} ms, got ${JSON.stringify(retry)}`];
  };

/** The Azure content-filter categories must reach the caller (on the error, or its cause for a stream). */
const expectCategories =
  (category: string) =>
  (ctx: CheckContext): string[] => {
    if (ctx.kind !== "azure") return [];
    let error = ctx.observation.error as { contentFilterCategories?: string[]; cause?: unknown } | undefined;
    if (error && !error.contentFilterCategories) error = error.cause as typeof error;
    const categories = error?.contentFilterCategories;
    return categories?.includes(category)
      ? []
      : [`Azure content filter categories: expected ${category}, got ${JSON.stringify(categories)}`];
  };

/** Every fault the mock server can inject, with the class DESIGN.md's table gives it. */
export const FAULT_ROWS: readonly FaultRow[] = [
  // 429s
  {
    name: "429 with retry-after: 1 (s)",
    fault: faults.rateLimited({ retryAfter: "1", resetHeaders: false }),
    cls: "rate_limited",
    status: 429,
    check: expectRetryDelay(() => 1000),
  },
  {
    name: "429 with the provider's reset headers (1 s)",
    fault: faults.rateLimited({ resetSeconds: 1 }),
    cls: "rate_limited",
    status: 429,
    // OpenAI x-ratelimit-reset-* "1s", Azure retry-after-ms 1000, Anthropic retry-after 1 (its
    // RFC 3339 resets are second-granular); the Mistral mock sends none: backoff instead.
    check: expectRetryDelay((kind) => (kind === "mistral" ? undefined : 1000)),
  },
  {
    name: "429 with retry-after: 86400 (beyond every deadline)",
    fault: faults.rateLimited({ retryAfter: "86400", resetHeaders: false }),
    cls: "rate_limited",
    status: 429,
    noRetry: true,
    // Cooling is capped at maxCoolingMs (60 s), then one probe decides.
    check: expectHealth(
      ["primary"],
      (h) =>
        h.unavailable === "cooling" &&
        h.cooling?.capped === true &&
        h.retryInMs > 50_000 &&
        h.retryInMs <= 60_000,
      "cooling capped at 60 s",
    ),
  },
  {
    name: "429 insufficient quota / spend limit",
    fault: faults.quota(),
    cls: "quota",
    status: 429,
    check: expectHealth(["primary"], (h) => h.state === "disabled", "disabled"),
  },
  // 5xx and CDN pages
  ...[500, 502, 503, 504].map(
    (status): FaultRow => ({
      name: `HTTP ${status}`,
      fault: faults.serverError(status),
      cls: "server_error",
      status,
    }),
  ),
  ...[502, 520, 524].map(
    (status): FaultRow => ({
      name: `Cloudflare HTML ${status} page`,
      fault: faults.html(status),
      cls: "server_error",
      status,
      check: (ctx) => {
        const attempt = ctx.observation.events.find(
          (e) =>
            e.channel === "onAttemptEnd" &&
            (e.payload as { attempt: Attempt }).attempt.provider === ctx.faultyName,
        );
        const message = (attempt?.payload as { attempt: Attempt } | undefined)?.attempt.message;
        return message?.includes("HTML error page")
          ? []
          : [`HTML page: expected "HTML error page", got ${JSON.stringify(message)}`];
      },
    }),
  ),
  {
    name: "overloaded (Anthropic 529 overloaded_error; 503 elsewhere)",
    fault: faults.overloaded(),
    // Mistral's 503 body says "service_unavailable … overloaded": overloaded too.
    cls: (kind) => (kind === "anthropic" || kind === "mistral" ? "overloaded" : "server_error"),
    status: (kind) => (kind === "anthropic" ? 529 : 503),
  },
  {
    name: "in-band error before content (Anthropic event: error overloaded)",
    fault: faults.inBandError(),
    cls: (kind) => (kind === "anthropic" ? "overloaded" : "server_error"),
  },
  {
    name: "in-band error after 2 content events",
    fault: faults.inBandError({ afterEvents: 2 }),
    cls: (kind) => (kind === "anthropic" ? "overloaded" : "server_error"),
    partial: firstEvents(2),
  },
  // network
  { name: "connection reset", fault: faults.reset(), cls: "connection" },
  { name: "connection refused (mock down)", fault: "refused", cls: "connection" },
  // deadlines
  { name: "black hole", fault: faults.blackHole(), cls: "timeout", deadlines: true },
  { name: "slow headers (5 s)", fault: faults.slowHeaders(5_000), cls: "timeout", deadlines: true },
  { name: "slow first token (5 s)", fault: faults.slowFirstToken(5_000), cls: "timeout", deadlines: true },
  {
    name: "slow first token within the deadline (50 ms of 4 s)",
    fault: faults.slowFirstToken(50),
    cls: "ok",
    deadlines: { headersMs: 4_000, firstContentMs: 4_000 },
  },
  { name: "stall before content", fault: faults.stall(0), cls: "timeout", deadlines: true },
  {
    name: "stall before content with keep-alives",
    fault: faults.stall(0, { pingIntervalMs: 50 }),
    cls: "timeout",
    deadlines: true,
  },
  {
    name: "stall after 2 content events",
    fault: faults.stall(2),
    cls: "timeout",
    partial: firstEvents(2),
    deadlines: true,
  },
  {
    name: "stall after 2 content events with keep-alives",
    fault: faults.stall(2, { pingIntervalMs: 50 }),
    cls: "timeout",
    partial: firstEvents(2),
    deadlines: true,
  },
  // cut, truncated, malformed
  { name: "cut before content", fault: faults.cut(0), cls: "connection" },
  { name: "cut after 2 content events", fault: faults.cut(2), cls: "connection", partial: firstEvents(2) },
  {
    name: "stream without its terminal event",
    fault: faults.noTerminal(),
    // Non-stream, the mock sends a normal reply.
    cls: (_kind, mode) => (mode === "chat-json" ? "ok" : "truncated"),
    partial: (text) => text,
  },
  { name: "malformed event / JSON body", fault: faults.malformed(0), cls: "invalid_response" },
  {
    name: "malformed event after 2 content events",
    fault: faults.malformed(2),
    cls: "invalid_response",
    partial: firstEvents(2),
  },
  // the caller's problem or the provider's policy
  {
    name: "401",
    fault: faults.auth(),
    cls: "auth",
    status: 401,
    check: expectHealth(["primary"], (h) => h.state === "disabled", "disabled"),
  },
  {
    name: "403",
    fault: faults.auth(403),
    cls: "auth",
    status: 403,
    check: expectHealth(["primary"], (h) => h.state === "disabled", "disabled"),
  },
  { name: "context length exceeded", fault: faults.contextLength(), cls: "context_length", status: 400 },
  {
    name: "content filter on the prompt (400)",
    fault: faults.contentFilter(),
    cls: "content_filter",
    status: 400,
    check: expectCategories("hate"),
  },
  {
    name: "content filter stopping the output (HTTP 200)",
    fault: faults.contentFilterStream({ category: "self_harm" }),
    // Anthropic's form of it is the model's refusal (`stop_reason: "refusal"`): an answer, not a
    // failure (the text before it, then `refusal`), as OpenAI's `refusal` is.
    cls: (kind) => (kind === "anthropic" ? "ok" : "content_filter"),
    // Half the text's chunks are sent before the filter stops it.
    partial: (text) => text.slice(0, CHUNK * Math.max(1, Math.ceil(Math.ceil(text.length / CHUNK) / 2))),
    // A JSON reply keeps half the text's characters.
    answerText: (text, mode) =>
      mode === "chat-json"
        ? text.slice(0, Math.ceil(text.length / 2))
        : text.slice(0, CHUNK * Math.max(1, Math.ceil(Math.ceil(text.length / CHUNK) / 2))),
    check: expectCategories("self_harm"),
  },
  { name: "bad request (400)", fault: faults.badRequest(), cls: "bad_request", status: 400 },
  { name: "unknown model (404)", fault: faults.notFound(), cls: "bad_request", status: 404 },
];

export type ErrorName = "ProviderError" | "AllProvidersFailedError" | "StreamInterruptedError";

/** An attempt as expected: [who, outcome, status, reason]. */
export type ExpectedAttempt = [Role, Attempt["outcome"], number | undefined, Attempt["reason"]];

export interface Expected {
  answeredBy?: Role;
  /** The answer's text, when not the answering provider's whole reply. */
  answerText?: string;
  error?: { name: ErrorName; failureClass: FailureClass; partialText?: string };
  requests: Record<Role, number>;
  attempts: ExpectedAttempt[];
}

const resolveClass = (row: FaultRow, kind: AdapterKind, mode: Mode) =>
  typeof row.cls === "function" ? row.cls(kind, mode) : row.cls;

const resolveStatus = (row: FaultRow, kind: AdapterKind) =>
  typeof row.status === "function" ? row.status(kind) : row.status;

/**
 * The outcome DESIGN.md prescribes. Primary role: the healthy fallback answers unless the class
 * stops the call (bad_request, content_filter, context_length with no larger window) or the stream
 * was already committed. Fallback role (primary 503s once): the fallback is the last provider, so a
 * retryable class is retried once on it (the fault is served once, the retry succeeds); other
 * classes end the call.
 */
export const expectedOutcome = (row: FaultRow, kind: AdapterKind, role: Role, mode: Mode): Expected => {
  const cls = resolveClass(row, kind, mode);
  const status = resolveStatus(row, kind);
  const refused = row.fault === "refused";
  const committed = mode === "stream" && row.partial !== undefined && cls !== "ok";
  const partialText = committed ? row.partial!(replyText(kind)) : undefined;
  const primary503: ExpectedAttempt = ["primary", "server_error", 503, "initial"];
  const head: ExpectedAttempt[] = role === "fallback" ? [primary503] : [];
  const reason: Attempt["reason"] = role === "primary" ? "initial" : "fallback";
  const other: Role = role === "primary" ? "fallback" : "primary";
  const requests = (faulty: number, healthy: number): Record<Role, number> =>
    ({ [role]: faulty, [other]: healthy }) as Record<Role, number>;

  if (cls === "ok") {
    return {
      answeredBy: role,
      ...(row.answerText ? { answerText: row.answerText(replyText(kind), mode) } : {}),
      requests: requests(1, role === "primary" ? 0 : 1),
      attempts: [...head, [role, "ok", undefined, reason]],
    };
  }
  const faultyAttempt: ExpectedAttempt = [role, cls, status, reason];
  const action = defaultFailureActions[cls];
  const healthyBefore = role === "fallback" ? 1 : 0;
  if (committed) {
    return {
      error: { name: "StreamInterruptedError", failureClass: cls, partialText },
      requests: requests(1, healthyBefore),
      attempts: [...head, faultyAttempt],
    };
  }
  if (!action.fallover || cls === "context_length") {
    return {
      error: { name: "ProviderError", failureClass: cls },
      requests: requests(refused ? 0 : 1, healthyBefore),
      attempts: [...head, faultyAttempt],
    };
  }
  if (role === "primary") {
    return {
      answeredBy: "fallback",
      requests: requests(refused ? 0 : 1, 1),
      attempts: [faultyAttempt, ["fallback", "ok", undefined, "fallback"]],
    };
  }
  if (action.retry && !row.noRetry) {
    if (refused) {
      // Down for good: 1 + maxRetries (2) attempts, none reaches the server.
      const retry: ExpectedAttempt = ["fallback", cls, status, "retry"];
      return {
        error: { name: "AllProvidersFailedError", failureClass: cls },
        requests: requests(0, 1),
        attempts: [primary503, faultyAttempt, retry, retry],
      };
    }
    return {
      answeredBy: "fallback",
      requests: requests(2, 1),
      attempts: [primary503, faultyAttempt, ["fallback", "ok", undefined, "retry"]],
    };
  }
  return {
    error: { name: "AllProvidersFailedError", failureClass: cls },
    requests: requests(refused ? 0 : 1, 1),
    attempts: [primary503, faultyAttempt],
  };
};

/** Everything one cell produced. */
export interface CellRun {
  observation: Observation;
  requests: Record<Role, number>;
  names: Record<Role, string>;
  kinds: Record<Role, AdapterKind>;
  health: CheckContext["health"];
  /** The prompt reached the faulty provider's server (so its absence from errors means something). */
  promptSent: boolean;
  /** Requests still being answered by either mock once they were given time to close (see runCell). */
  inFlightAfter: number;
  /** Who ended each request the faulty provider received (`undefined`: still open). */
  faultyClosedBy: (RecordedRequest["closedBy"] | undefined)[];
}

/**
 * How long a cell waits for the mocks' connections to close after the call settled. Far above any
 * real close (milliseconds), far below the test timeout: only a leak waits this long.
 */
const INFLIGHT_CLOSE_BOUND_MS = 10_000;

/**
 * Polls `condition` until it holds or `timeoutMs` passed. Time running out is not the last word:
 * when the process was starved (another process took the cores, a long GC), the close event that
 * already arrived is still queued behind the timer that says "time is up", so the poll phase gets
 * one more turn (two `setImmediate`s) before the condition is read the last time.
 */
const waitUntil = async (condition: () => boolean, timeoutMs: number): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  for (let turn = 0; turn < 2 && !condition(); turn++) await new Promise((r) => setImmediate(r));
};

/** Plays one cell: two fresh mocks, a fresh client, one call. */
export const runCell = async (row: FaultRow, kind: AdapterKind, role: Role, mode: Mode): Promise<CellRun> => {
  const kinds: Record<Role, AdapterKind> =
    role === "primary"
      ? { primary: kind, fallback: PARTNER[kind] }
      : { primary: PARTNER[kind], fallback: kind };
  const mocks: Record<Role, MockProvider> = {
    primary: await startMock(kinds.primary),
    fallback: await startMock(kinds.fallback),
  };
  try {
    const faulty = mocks[role];
    if (role === "fallback") mocks.primary.script(faults.serverError(503));
    if (row.fault === "refused") await faulty.down();
    else faulty.script(typeof row.fault === "function" ? row.fault(kind) : row.fault);
    const entry = (r: Role) => ({
      provider: adapterFor(kinds[r], mocks[r]),
      ...(r === role && row.deadlines
        ? { policy: { deadlines: { ...SHORT_DEADLINES, ...(row.deadlines === true ? {} : row.deadlines) } } }
        : {}),
    });
    const client = createClient({
      providers: [entry("primary"), entry("fallback")],
      ...(mode === "chat-json" ? { transport: "json" as const } : {}),
    });
    const observation = await observeCall(
      client,
      { messages: [{ role: "user", content: PROMPT }], maxTokens: 200 },
      mode === "stream" ? "stream" : "chat",
    );
    const health = client.health();
    // Wait for the connections to close rather than for a fixed grace: on a busy machine a close can
    // take a while to travel, but a leaked one (a black hole the client never hung up on) never
    // comes, and `faultyClosedBy` tells a client's hang-up from a slow fault that ended by itself.
    await waitUntil(() => mocks.primary.inFlight + mocks.fallback.inFlight === 0, INFLIGHT_CLOSE_BOUND_MS);
    const promptSent =
      row.fault === "refused" || faulty.requests.some((r) => JSON.stringify(r.body).includes(PROMPT));
    return {
      observation,
      requests: { primary: mocks.primary.callCount, fallback: mocks.fallback.callCount },
      names: { primary: PROVIDER_NAMES[kinds.primary], fallback: PROVIDER_NAMES[kinds.fallback] },
      kinds,
      health,
      promptSent,
      inFlightAfter: mocks.primary.inFlight + mocks.fallback.inFlight,
      faultyClosedBy: faulty.requests.map((r) => r.closedBy),
    };
  } finally {
    await Promise.all([mocks.primary.close(), mocks.fallback.close()]);
  }
};
