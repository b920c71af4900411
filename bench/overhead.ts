/**
 * Benchmark 1: a healthy provider at realistic pacing, against the floors measured in the same
 * run — the SDK's own streaming read, the SDK's JSON call, and a raw `fetch` read loop over the
 * same bytes. Time to first text (both faces), CPU per streamed event, fixed CPU per call, and the
 * JSON transport. Every variant runs in interleaved blocks (see lib/interleave.ts).
 */
import type { BenchContext } from "./lib/context.js";
import { type Face, type Faces, facesFor } from "./lib/faces.js";
import { interleave, type VariantSamples } from "./lib/interleave.js";
import { describePacing, type Pacing, replyText } from "./lib/pacing.js";
import { type BenchKind, requestClock } from "./lib/providers.js";
import {
  fmtCount,
  fmtLatency,
  fmtMs,
  fmtRatio,
  fmtSigned,
  fmtUs,
  type Row,
  type Section,
  type Table,
  verdictWithin,
} from "./lib/report.js";
import { blockMedians, row } from "./lib/rows.js";
import { bootstrapInterval, type Interval, median, summarize } from "./lib/stats.js";

/** The targets of issue 12. */
export const TARGETS = {
  ttftRatio: 1.03,
  ttftAddedMs: 0.1,
  perEventRatio: 1.05,
  fixedAddedUs: 50,
  jsonRatio: 1.05,
} as const;

const NAMES: Record<BenchKind, string> = { openai: "OpenAI", anthropic: "Anthropic", mistral: "Mistral" };

const fail = (message: string): never => {
  throw new Error(`overhead bench sanity check: ${message}`);
};

type VariantName =
  | "raw"
  | "rawParse"
  | "sdkStream"
  | "sdkStreamSignal"
  | "adapterStream"
  | "sdkJson"
  | "stream"
  | "chat"
  | "chatJson"
  | "dropInStream"
  | "dropInChat";

/** By face: ms from each call's start until its request reached `fetch` (see `requestClock`). */
type SentAt = Partial<Record<VariantName, number[]>>;

/** `face`, noting when each call's request reached `fetch` (clocked SDK clients only). */
const clocked = (name: VariantName, face: Face, into: SentAt | undefined): Face =>
  into
    ? async (start) => {
        requestClock.sentAt = -1;
        const ttft = await face(start);
        if (requestClock.sentAt >= 0) (into[name] ??= []).push(requestClock.sentAt - start);
        return ttft;
      }
    : face;

/** The faces measured for one length, by name (the drop-in ones for OpenAI only). */
const variantsOf = (
  faces: Faces,
  withCalibration: boolean,
  sentAt?: SentAt,
): Partial<Record<string, Face>> => ({
  raw: faces.raw,
  rawParse: faces.rawParse,
  sdkStream: clocked("sdkStream", faces.sdkStream, sentAt),
  // Where the time in front of the request goes (short replies only, where `sentAt` is noted).
  ...(sentAt
    ? {
        sdkStreamSignal: clocked("sdkStreamSignal", faces.sdkStreamSignal, sentAt),
        adapterStream: clocked("adapterStream", faces.adapterStream, sentAt),
      }
    : {}),
  sdkJson: faces.sdkJson,
  stream: clocked("stream", faces.stream, sentAt),
  chat: faces.chat,
  chatJson: faces.chatJson,
  ...(faces.dropInStream ? { dropInStream: clocked("dropInStream", faces.dropInStream, sentAt) } : {}),
  ...(faces.dropInChat ? { dropInChat: faces.dropInChat } : {}),
  // A/A: the SDK's stream a second time. What it differs from the first by is this run's noise.
  ...(withCalibration ? { sdkStreamAgain: faces.sdkStream } : {}),
});

/** Per-call CPU split into a fixed part and a part per content event, from two reply lengths. */
export interface CpuFit {
  perEventUs: number;
  fixedUs: number;
}

/** The line through (shortEvents, shortCpu) and (longEvents, longCpu). */
export const fitCpu = (
  short: { events: number; cpuUs: number },
  long: { events: number; cpuUs: number },
): CpuFit => {
  const perEventUs = (long.cpuUs - short.cpuUs) / (long.events - short.events);
  return { perEventUs, fixedUs: short.cpuUs - perEventUs * short.events };
};

/** The added-ms interval of a time-to-first-text comparison, over block medians (see `ttftRow`). */
const ttftAaInterval = (floor: VariantSamples, face: VariantSamples, blockSize: number): Interval =>
  bootstrapInterval(
    [blockMedians(floor.metric, blockSize), blockMedians(face.metric, blockSize)],
    ([a, b]) => b! - a!,
  );

/**
 * A time-to-first-text row with both targets (ratio and added ms). Its interval resamples blocks
 * (their medians), not calls: calls in one block share its conditions, so calls resampled one by
 * one would give too narrow an interval. A miss of either target is a miss (each judged on its 95 %
 * interval, so that the two chances together stay at 5 %); a pass needs both.
 */
const ttftRow = (
  label: string,
  measure: string,
  floor: VariantSamples,
  face: VariantSamples,
  blockSize: number,
  trusted: boolean,
): Row => {
  const f = summarize(floor.metric);
  const w = summarize(face.metric);
  const ratio = w.median / f.median;
  const added = w.median - f.median;
  const sets = [blockMedians(floor.metric, blockSize), blockMedians(face.metric, blockSize)];
  const ratioOf = ([a, b]: readonly number[]) => b! / a!;
  const addedOf = ([a, b]: readonly number[]) => b! - a!;
  const ratioInterval = bootstrapInterval(sets, ratioOf);
  const addedInterval = bootstrapInterval(sets, addedOf);
  // A pass needs both 90 % intervals below their limits (a false pass: at most 5 %). A miss needs
  // only one above its limit, so each is judged on its 95 % interval: two chances of 2.5 %.
  const passes =
    verdictWithin(ratioInterval, TARGETS.ttftRatio) === "pass" &&
    verdictWithin(addedInterval, TARGETS.ttftAddedMs) === "pass";
  const misses =
    verdictWithin(bootstrapInterval(sets, ratioOf, { confidence: 0.95 }), TARGETS.ttftRatio) === "miss" ||
    verdictWithin(bootstrapInterval(sets, addedOf, { confidence: 0.95 }), TARGETS.ttftAddedMs) === "miss";
  const verdict = !trusted ? "unresolved" : misses ? "miss" : passes ? "pass" : "unresolved";
  return row(
    measure,
    fmtLatency(f),
    fmtLatency(w),
    `${fmtRatio(ratio)} ${fmtInterval(ratioInterval, fmtRatio)} (${fmtSigned(added, fmtMs)} ` +
      `${fmtInterval(addedInterval, (x) => fmtSigned(x, fmtMs))})`,
    {
      text: `≤ ${TARGETS.ttftRatio}× and ≤ +${TARGETS.ttftAddedMs} ms`,
      ok: ratio <= TARGETS.ttftRatio && added <= TARGETS.ttftAddedMs,
      verdict,
      label,
    },
  );
};

/** A 90 % interval as `[low … high]` (see `bootstrapInterval`). */
const fmtInterval = (interval: Interval, format: (x: number) => string): string =>
  `[${format(interval.low)} … ${format(interval.high)}]`;

/**
 * Each call's time to first text, split where its request reached `fetch`: the work in front of
 * the request (the SDK's own, and the library's before it) and everything after (network, the
 * provider's pace, reading up to the first text). `sentAt` holds every call's split, warm-up
 * included: the measured calls are the last ones.
 */
const splitTtft = (
  samples: VariantSamples,
  sentAt: number[] | undefined,
): { before: number; after: number } | undefined => {
  const ttft = samples.metric;
  if (!sentAt || sentAt.length < ttft.length || ttft.length === 0) return undefined;
  const measured = sentAt.slice(sentAt.length - ttft.length);
  return { before: median(measured), after: median(ttft.map((t, i) => t - measured[i]!)) };
};

/** Diagnostic rows: where a face's time to first text differs from the SDK's (see `splitTtft`). */
const ttftSplitRows = (
  face: string,
  floor: VariantSamples,
  samples: VariantSamples | undefined,
  floorSentAt: number[] | undefined,
  sentAt: number[] | undefined,
): Row[] => {
  const sdk = splitTtft(floor, floorSentAt);
  const ours = samples && splitTtft(samples, sentAt);
  if (!sdk || !ours) return [];
  const delta = (f: number, w: number): string => `${fmtRatio(w / f)} (${fmtSigned(w - f, fmtMs)})`;
  return [
    row(
      `diagnostic: ${face}, time to first text: until the request reaches \`fetch\``,
      fmtMs(sdk.before),
      fmtMs(ours.before),
      delta(sdk.before, ours.before),
    ),
    row(
      `diagnostic: ${face}, time to first text: from \`fetch\` to the first text`,
      fmtMs(sdk.after),
      fmtMs(ours.after),
      delta(sdk.after, ours.after),
    ),
  ];
};

/**
 * Diagnostic rows: where the time in front of the request goes, step by step. The SDK's stream
 * given a caller's `signal` is what any wrapper that can cancel a request must pay over the SDK
 * alone (the SDK then composes its own abort with the caller's); the adapter alone adds the
 * request's conversion; `stream()` adds the engine. Each row: medians of the time until the
 * request reached `fetch`, and the difference with its 90 % interval over block medians.
 */
const beforeFetchRows = (
  samples: Record<string, VariantSamples>,
  sentAt: SentAt,
  blockSize: number,
): Row[] => {
  const beforeFetch = (name: VariantName): number[] | undefined => {
    const ttft = samples[name]?.metric;
    const sent = sentAt[name];
    if (!ttft || !sent || ttft.length === 0 || sent.length < ttft.length) return undefined;
    return sent.slice(sent.length - ttft.length);
  };
  const steps: [VariantName, VariantName, string][] = [
    [
      "sdkStream",
      "sdkStreamSignal",
      "the SDK's stream given a caller's `signal` (as a wrapper that can cancel must call it), vs without",
    ],
    [
      "sdkStreamSignal",
      "adapterStream",
      "the adapter alone (no engine), vs the SDK's stream given a `signal`",
    ],
    ["adapterStream", "stream", "stream(), vs the adapter alone: the engine's share"],
  ];
  const rows: Row[] = [];
  for (const [floorName, faceName, what] of steps) {
    const floor = beforeFetch(floorName);
    const face = beforeFetch(faceName);
    if (!floor || !face) continue;
    const interval = bootstrapInterval(
      [blockMedians(floor, blockSize), blockMedians(face, blockSize)],
      ([a, b]) => b! - a!,
    );
    const f = median(floor);
    const w = median(face);
    rows.push(
      row(
        `diagnostic: until the request reaches \`fetch\`: ${what}`,
        fmtMs(f),
        fmtMs(w),
        `${fmtSigned(w - f, fmtMs)} ${fmtInterval(interval, (x) => fmtSigned(x, fmtMs))}`,
      ),
    );
  }
  const signalled = samples.sdkStreamSignal;
  const ours = samples.stream;
  if (signalled && ours && signalled.metric.length > 0) {
    const interval = bootstrapInterval(
      [blockMedians(signalled.metric, blockSize), blockMedians(ours.metric, blockSize)],
      ([a, b]) => b! - a!,
    );
    const f = summarize(signalled.metric);
    const w = summarize(ours.metric);
    rows.push(
      row(
        "diagnostic: stream(), time to first text vs the SDK's stream given a caller's `signal`",
        fmtLatency(f),
        fmtLatency(w),
        `${fmtRatio(w.median / f.median)} (${fmtSigned(w.median - f.median, fmtMs)} ${fmtInterval(interval, (x) => fmtSigned(x, fmtMs))})`,
      ),
    );
  }
  return rows;
};

/**
 * The run's calibration: the A/A (the SDK's stream measured twice, first kind only), for CPU and
 * for time to first text. When an A/A interval leaves out "no difference", the run measured the
 * same code differently by more than its own intervals say (carry-over between blocks, a load
 * change), and no target of that measure is decided in the run.
 */
interface Calibration {
  cpuTrusted: boolean;
  ttftTrusted: boolean;
  /** Why not, for the table notes. */
  reasons: string[];
}

const benchKind = async (
  ctx: BenchContext,
  kind: BenchKind,
  first: boolean,
  calibration: Calibration,
): Promise<Table[]> => {
  const { overhead, pacing } = ctx.config;
  const name = NAMES[kind];
  const shortPacing: Pacing = pacing.short;
  const longPacing: Pacing = pacing.long;
  const shortMock = await ctx.host.startPaced(`overhead-${kind}-short`, kind, shortPacing);
  const longMock = await ctx.host.startPaced(`overhead-${kind}-long`, kind, longPacing);
  const short = facesFor(ctx.lib, kind, shortMock);
  const long = facesFor(ctx.lib, kind, longMock);

  // Sanity: every face gets the whole reply (a benchmark of an error path would be meaningless).
  for (const [faces, p] of [
    [short, shortPacing],
    [long, longPacing],
  ] as const) {
    const text = replyText(p);
    if ((await faces.kit.directChat()) !== text) fail(`${kind}: the SDK's JSON reply differs`);
    if ((await faces.client.chat({ messages: [{ role: "user", content: "hi" }] })).text !== text)
      fail(`${kind}: chat() reply differs`);
    const direct = await faces.kit.directStream(performance.now());
    if (direct.events !== p.events) fail(`${kind}: the SDK streamed ${direct.events} events of ${p.events}`);
  }

  ctx.log(`overhead ${kind}: ${shortPacing.events}-event replies`);
  const sentAt: SentAt = {};
  const shortSamples = (await interleave(variantsOf(short, first, sentAt) as Record<string, Face>, {
    warmupRounds: overhead.warmupRounds,
    rounds: first ? overhead.rounds : overhead.otherRounds,
    blockSize: overhead.blockSize,
  })) as Record<string, VariantSamples>;
  ctx.log(`overhead ${kind}: ${longPacing.events}-event replies`);
  const longSamples = (await interleave(variantsOf(long, false) as Record<string, Face>, {
    warmupRounds: 1,
    rounds: first ? overhead.longRounds : overhead.otherLongRounds,
    blockSize: overhead.longBlockSize,
  })) as Record<string, VariantSamples>;

  const s = (v: VariantName | "sdkStreamAgain"): VariantSamples => shortSamples[v]!;
  const l = (v: VariantName): VariantSamples => longSamples[v]!;
  /** Which CPU a row reads, per block: the process's (the targets') or the main thread's. */
  type Blocks = (samples: VariantSamples) => readonly number[];
  const processCpu: Blocks = (samples) => samples.cpuUsPerCall;
  const threadCpu: Blocks = (samples) => samples.threadCpuUsPerCall;
  const cpuOf = (samples: VariantSamples, blocks: Blocks): number => median(blocks(samples));
  const lineThrough = (short: number, long: number): CpuFit =>
    fitCpu({ events: shortPacing.events, cpuUs: short }, { events: longPacing.events, cpuUs: long });
  const lineOf = (v: VariantName, blocks: Blocks): CpuFit =>
    lineThrough(cpuOf(s(v), blocks), cpuOf(l(v), blocks));
  /** The blocks of `a` and `v`, short then long: what a fitted figure is computed from. */
  const fitSets = (a: VariantName, v: VariantName, blocks: Blocks): (readonly number[])[] => [
    blocks(s(a)),
    blocks(l(a)),
    blocks(s(v)),
    blocks(l(v)),
  ];
  /** A CPU target's verdict: undecided, whatever its interval, when this run's CPU A/A failed. */
  const cpuVerdict = (interval: Interval, limit: number) =>
    calibration.cpuTrusted ? verdictWithin(interval, limit) : "unresolved";
  /**
   * The per-event target decided without dividing (a resampled floor slope near zero makes the ratio
   * explode): the interval of `v`'s slope minus the target times `floor`'s, a pass when at most 0.
   */
  const perEventExcess = (floor: VariantName, v: VariantName, blocks = processCpu): Interval =>
    bootstrapInterval(
      fitSets(floor, v, blocks),
      ([rs, rl, fs, fl]) =>
        lineThrough(fs!, fl!).perEventUs - TARGETS.perEventRatio * lineThrough(rs!, rl!).perEventUs,
    );
  const perEventRow = (
    measure: string,
    v: VariantName,
    label?: string,
    blocks = processCpu,
    floor: VariantName = "raw",
    withInterval = label !== undefined,
  ): Row => {
    const raw = lineOf(floor, blocks);
    const f = lineOf(v, blocks);
    const ratio = f.perEventUs / raw.perEventUs;
    const sets = fitSets(floor, v, blocks);
    const interval = withInterval
      ? bootstrapInterval(
          sets,
          ([rs, rl, fs, fl]) => lineThrough(fs!, fl!).perEventUs / lineThrough(rs!, rl!).perEventUs,
        )
      : undefined;
    const excess = label ? perEventExcess(floor, v, blocks) : undefined;
    return row(
      measure,
      `${fmtUs(raw.perEventUs)}/event`,
      `${fmtUs(f.perEventUs)}/event`,
      `${fmtRatio(ratio)} (${fmtSigned(f.perEventUs - raw.perEventUs, fmtUs)})` +
        (interval ? ` ${fmtInterval(interval, fmtRatio)}` : ""),
      label && excess
        ? {
            text: `≤ ${TARGETS.perEventRatio}×`,
            ok: ratio <= TARGETS.perEventRatio,
            verdict: cpuVerdict(excess, 0),
            label,
          }
        : undefined,
    );
  };
  const fixedRow = (measure: string, v: VariantName, label?: string, blocks = processCpu): Row => {
    const sdk = lineOf("sdkStream", blocks);
    const f = lineOf(v, blocks);
    const added = f.fixedUs - sdk.fixedUs;
    const interval = label
      ? bootstrapInterval(
          fitSets("sdkStream", v, blocks),
          ([ss, sl, fs, fl]) => lineThrough(fs!, fl!).fixedUs - lineThrough(ss!, sl!).fixedUs,
        )
      : undefined;
    return row(
      measure,
      fmtUs(sdk.fixedUs),
      fmtUs(f.fixedUs),
      fmtSigned(added, fmtUs) + (interval ? ` ${fmtInterval(interval, (x) => fmtSigned(x, fmtUs))}` : ""),
      label && interval
        ? {
            text: `≤ +${TARGETS.fixedAddedUs} µs`,
            ok: added <= TARGETS.fixedAddedUs,
            verdict: cpuVerdict(interval, TARGETS.fixedAddedUs),
            label,
          }
        : undefined,
    );
  };
  const jsonRow = (samples: Record<string, VariantSamples>, events: number): Row => {
    const floor = cpuOf(samples.sdkJson!, processCpu);
    const ours = cpuOf(samples.chatJson!, processCpu);
    const ratio = ours / floor;
    const interval = bootstrapInterval(
      [samples.sdkJson!.cpuUsPerCall, samples.chatJson!.cpuUsPerCall],
      ([f, w]) => w! / f!,
    );
    return row(
      `chat({ transport: "json" }), ${fmtCount(events)}-event reply: CPU per call`,
      fmtUs(floor),
      fmtUs(ours),
      `${fmtRatio(ratio)} (${fmtSigned(ours - floor, fmtUs)}) ${fmtInterval(interval, fmtRatio)}`,
      {
        text: `≤ ${TARGETS.jsonRatio}×`,
        ok: ratio <= TARGETS.jsonRatio,
        verdict: cpuVerdict(interval, TARGETS.jsonRatio),
        label: `${name} chat(json) CPU per call, ${fmtCount(events)} events, vs the SDK's JSON call`,
      },
    );
  };
  const latencyVs = (measure: string, floor: VariantSamples, face: VariantSamples): Row => {
    const f = summarize(floor.elapsed);
    const w = summarize(face.elapsed);
    return row(
      measure,
      fmtLatency(f),
      fmtLatency(w),
      `${fmtRatio(w.median / f.median)} (${fmtSigned(w.median - f.median, fmtMs)})`,
    );
  };
  const cpuVs = (
    measure: string,
    floor: VariantSamples,
    face: VariantSamples,
    blocks: Blocks = processCpu,
    withInterval = false,
  ): Row => {
    const f = cpuOf(floor, blocks);
    const w = cpuOf(face, blocks);
    const interval = withInterval
      ? ` ${fmtInterval(
          bootstrapInterval([blocks(floor), blocks(face)], ([a, b]) => b! / a!),
          fmtRatio,
        )}`
      : "";
    return row(measure, fmtUs(f), fmtUs(w), `${fmtRatio(w / f)} (${fmtSigned(w - f, fmtUs)})${interval}`);
  };
  const hasThreadCpu = Number.isFinite(cpuOf(s("sdkJson"), threadCpu));
  if (shortSamples.sdkStreamAgain) {
    const aa = bootstrapInterval(
      [processCpu(s("sdkStream")), processCpu(s("sdkStreamAgain"))],
      ([a, b]) => b! / a!,
    );
    if (!(aa.low <= 1 && 1 <= aa.high)) {
      calibration.cpuTrusted = false;
      calibration.reasons.push(
        `no CPU target is decided: the CPU A/A (the SDK's stream against itself, ${name} table) came out at ` +
          `${fmtInterval(aa, fmtRatio)}, an interval that leaves out 1`,
      );
    }
    const ttftAa = ttftAaInterval(s("sdkStream"), s("sdkStreamAgain"), overhead.blockSize);
    if (!(ttftAa.low <= 0 && 0 <= ttftAa.high)) {
      calibration.ttftTrusted = false;
      calibration.reasons.push(
        "no time-to-first-text target is decided: its A/A came out at " +
          `${fmtInterval(ttftAa, (x) => fmtSigned(x, fmtMs))}, an interval that leaves out 0`,
      );
    }
  }

  const rows: Row[] = [
    ttftRow(
      `${name} stream() time to first text vs the SDK's stream`,
      `stream(): time to first text (${shortPacing.events}-event reply)`,
      s("sdkStream"),
      s("stream"),
      overhead.blockSize,
      calibration.ttftTrusted,
    ),
  ];
  if (short.dropInStream)
    rows.push(
      ttftRow(
        `${name} drop-in stream: true time to first text vs the SDK's stream`,
        "drop-in `create({ stream: true })`: time to first text",
        s("sdkStream"),
        s("dropInStream"),
        overhead.blockSize,
        calibration.ttftTrusted,
      ),
    );
  rows.push(
    perEventRow(
      "stream(): CPU per streamed event, vs the raw `fetch` read loop",
      "stream",
      `${name} stream() CPU per streamed event vs the raw read loop`,
    ),
    fixedRow(
      "stream(): fixed CPU per call, vs the SDK's streaming call",
      "stream",
      `${name} stream() fixed CPU per call vs the SDK's stream`,
    ),
    jsonRow(shortSamples, shortPacing.events),
    jsonRow(longSamples, longPacing.events),
    perEventRow(
      "diagnostic: the parse floor (the raw loop, decoding and `JSON.parse`-ing every event), CPU per event vs the raw read loop",
      "rawParse",
      undefined,
      processCpu,
      "raw",
      true,
    ),
    perEventRow(
      "diagnostic: stream(), CPU per event vs the parse floor",
      "stream",
      undefined,
      processCpu,
      "rawParse",
      true,
    ),
    perEventRow("diagnostic: the SDK's own stream, CPU per event vs the raw read loop", "sdkStream"),
    perEventRow("diagnostic: chat() (streams under the hood), CPU per event vs the raw read loop", "chat"),
  );
  if (short.dropInStream) {
    rows.push(
      perEventRow("diagnostic: drop-in `stream: true`, CPU per event vs the raw read loop", "dropInStream"),
      fixedRow("diagnostic: drop-in `stream: true`, fixed CPU per call vs the SDK's stream", "dropInStream"),
    );
  }
  rows.push(
    latencyVs(
      `diagnostic: chat() latency vs the SDK's JSON call, ${longPacing.events}-event reply`,
      l("sdkJson"),
      l("chat"),
    ),
    cpuVs(
      `diagnostic: chat() CPU per call vs the SDK's JSON call, ${longPacing.events}-event reply`,
      l("sdkJson"),
      l("chat"),
    ),
    latencyVs(
      `diagnostic: chat({ transport: "json" }) latency vs the SDK's JSON call, ${longPacing.events}-event reply`,
      l("sdkJson"),
      l("chatJson"),
    ),
  );
  if (hasThreadCpu)
    rows.push(
      perEventRow(
        "diagnostic: stream(): main-thread CPU per streamed event, vs the raw read loop's",
        "stream",
        undefined,
        threadCpu,
      ),
      fixedRow(
        "diagnostic: stream(): main-thread fixed CPU per call, vs the SDK's streaming call's",
        "stream",
        undefined,
        threadCpu,
      ),
      cpuVs(
        `diagnostic: chat({ transport: "json" }), ${fmtCount(shortPacing.events)}-event reply: main-thread CPU per call`,
        s("sdkJson"),
        s("chatJson"),
        threadCpu,
      ),
      cpuVs(
        `diagnostic: chat({ transport: "json" }), ${fmtCount(longPacing.events)}-event reply: main-thread CPU per call`,
        l("sdkJson"),
        l("chatJson"),
        threadCpu,
      ),
    );
  rows.push(
    ...ttftSplitRows("stream()", s("sdkStream"), s("stream"), sentAt.sdkStream, sentAt.stream),
    ...ttftSplitRows(
      "drop-in `stream: true`",
      s("sdkStream"),
      shortSamples.dropInStream,
      sentAt.sdkStream,
      sentAt.dropInStream,
    ),
    ...beforeFetchRows(shortSamples, sentAt, overhead.blockSize),
  );
  if (shortSamples.sdkStreamAgain) {
    const again = s("sdkStreamAgain");
    const f = summarize(s("sdkStream").metric);
    const w = summarize(again.metric);
    rows.push(
      row(
        "calibration (A/A): the SDK's stream on both sides, time to first text — this run's noise",
        fmtLatency(f),
        fmtLatency(w),
        `${fmtRatio(w.median / f.median)} (${fmtSigned(w.median - f.median, fmtMs)} ` +
          `${fmtInterval(ttftAaInterval(s("sdkStream"), again, overhead.blockSize), (x) => fmtSigned(x, fmtMs))})`,
      ),
      cpuVs("calibration (A/A): CPU per call", s("sdkStream"), again, processCpu, true),
    );
    if (hasThreadCpu)
      rows.push(cpuVs("calibration (A/A): main-thread CPU per call", s("sdkStream"), again, threadCpu, true));
  }
  // Reads per content event of the raw loop: 1 means every event was its own network read.
  const readsPerEvent = summarize(long.rawReads).median / longPacing.events;
  // Whether the per-event target is within reach of any reader that parses the events, in this run.
  const parseFloorVerdict = cpuVerdict(perEventExcess("raw", "rawParse"), 0);
  return [
    {
      title: `${name} — ${short.kit.label}`,
      columns: ["measure", "floor", "ai-failover", "ratio / added", "target", "result"],
      rows,
      notes: [
        ...calibration.reasons.map(
          (reason) =>
            `**Calibration failed in this run**: ${reason}. The run measured the same code differently by more ` +
            "than its intervals allow, so those intervals are not trusted either.",
        ),
        `Replies: ${describePacing(shortPacing)}; and ${describePacing(longPacing)}. ` +
          `${fmtCount(s("stream").elapsed.length)} short and ${fmtCount(l("stream").elapsed.length)} long calls per variant. ` +
          `The raw loop made ${readsPerEvent.toFixed(2)} reads per content event of the long reply (1 = each event its own read).`,
        `The parse floor (the raw loop that also decodes the body and \`JSON.parse\`s every event's data, nothing else) ` +
          (parseFloorVerdict === "miss"
            ? `costs more than ${TARGETS.perEventRatio}× the raw loop per event in this run: no reader that parses the events can meet the per-event target, which measures the library against bytes it never looks at.`
            : parseFloorVerdict === "pass"
              ? `costs at most ${TARGETS.perEventRatio}× the raw loop per event in this run: the per-event target is within reach of a reader that parses the events.`
              : `cannot be told apart from ${TARGETS.perEventRatio}× the raw loop per event in this run.`),
        "Floors: time to first text against the SDK's own streaming read; CPU per streamed event against the raw " +
          '`fetch` read loop; fixed CPU per call against the SDK\'s streaming call; `transport: "json"` against the ' +
          "SDK's JSON call. Per event and fixed are the slope and intercept of CPU per call over the two reply lengths.",
        "Each figure with a target, and each CPU A/A row, carries its 90 % interval `[low … high]`: a percentile " +
          "bootstrap that resamples this run's blocks of every variant (for time to first text, the blocks' medians) " +
          "2,000 times, seeded, and recomputes the figure from the resampled medians. The verdict is pass or miss " +
          "only when every variant has at least 8 blocks (from fewer, the interval is narrower than the figure's " +
          "spread between runs), the interval lies wholly on one side of the target, and the figure of each half of " +
          "the run alone (its first and its last blocks) is on that side too (resampling cannot see a drift of the " +
          "machine across the run; the halves can); time to first text misses " +
          "when either of its 95 % intervals (ratio, added ms) is wholly above its limit (two chances of 2.5 %) and passes when both 90 % intervals are below. " +
          "CPU per event is decided on its slope minus 1.05× the floor's (a ratio explodes when a resampled floor " +
          "slope nears zero). No CPU target is decided when the CPU A/A interval leaves out 1, and no time-to-first-text target when its A/A interval (added ms) leaves out 0. Otherwise the result " +
          "says the run cannot decide.",
        ...(hasThreadCpu
          ? [
              "Main-thread CPU (diagnostic and calibration rows): `process.threadCpuUsage()`, the client's JavaScript " +
                "thread alone, without the garbage collector's and compiler's helper threads that `process.cpuUsage()` " +
                "(the targets' measure) includes, and which can charge a block with helper-thread work (collection, " +
                "compilation) left by the block before it. Compare the two A/A rows: each says how far this run can " +
                "resolve a CPU difference in its measure.",
            ]
          : []),
        ...(sentAt.stream
          ? [
              "Time to first text split (diagnostic rows): at the moment the SDK client calls `fetch` (the benchmark's SDK " +
                "clients are given a `fetch` that notes the time, the same for the SDK's own calls and the library's). " +
                "Before it: the SDK's request building and, for ai-failover, the engine and adapter in front of it; after " +
                "it: the network, the provider's pace and the reading up to the first text.",
            ]
          : []),
      ],
    },
  ];
};

export const runOverhead = async (ctx: BenchContext): Promise<Section> => {
  const tables: Table[] = [];
  const kinds = ctx.config.overhead.kinds;
  const calibration: Calibration = { cpuTrusted: true, ttftTrusted: true, reasons: [] };
  for (const [index, kind] of kinds.entries())
    tables.push(...(await benchKind(ctx, kind, index === 0, calibration)));
  return {
    id: "overhead",
    heading: "A healthy provider, against the floors",
    intro: [
      "Each provider's mock paces its replies the way a real provider does (`bench/lib/paced-server.ts`): a " +
        "streaming request gets its headers at once and then one content event per write, each its own network " +
        "read; a JSON request gets its whole reply when the last streamed event would have arrived. The floors are " +
        "measured in the same run, interleaved with the library's faces: the SDK's own streaming read, the SDK's " +
        "JSON call, and a raw `fetch` read loop over the same bytes (no parsing at all: the least any streaming " +
        "reader can cost).",
      "Targets (issue 12): time to first text ≤ 1.03× the SDK's stream and ≤ +0.1 ms, for `stream()` and the " +
        "drop-in's `stream: true`; CPU per streamed event within 5 % of the raw read loop; fixed CPU per call " +
        "≤ +50 µs over the SDK's streaming call; `transport: \"json\"` ≤ 1.05× the SDK's JSON call.",
    ],
    tables,
    notes: [],
  };
};
