import {
  fmtLatency,
  fmtMs,
  fmtRatio,
  fmtSigned,
  fmtUs,
  type Row,
  resultCell,
  type Verdict,
  verdictOf,
  verdictWithin,
} from "./report.js";
import { bootstrapInterval, median, summarize } from "./stats.js";
import { cpuPerCall, type Paired } from "./timing.js";

/** A comparison row: measure | direct | wrapped | ratio-or-added | target | result. */
export const row = (
  measure: string,
  direct: string,
  wrapped: string,
  delta: string,
  /** `verdict`, when given, decides instead of `ok` (e.g. "unresolved", see `verdictWithin`). */
  target?: { text: string; ok: boolean; label: string; verdict?: Verdict },
): Row => {
  const verdict: Verdict | undefined = target ? (target.verdict ?? verdictOf(target.ok)) : undefined;
  return {
    cells: [measure, direct, wrapped, delta, target?.text ?? "—", resultCell(verdict)],
    ...(verdict ? { verdict, target: target!.label } : {}),
  };
};

/** Medians of consecutive `size`-long runs of `samples`: one value per block of calls. */
export const blockMedians = (samples: readonly number[], size: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < samples.length; i += size) out.push(median(samples.slice(i, i + size)));
  return out;
};

/**
 * Median latency ratio of the two sides (elapsed, or the probes' own metric). With a target and the
 * block size the samples were taken in, the verdict comes from the ratio's bootstrap interval over
 * the blocks' medians (see `verdictWithin`), not from the point estimate alone.
 */
export const latencyRow = (
  measure: string,
  paired: Paired,
  options: { metric?: boolean; maxRatio?: number; label?: string; blockSize?: number } = {},
): Row => {
  const pick = (side: Paired["direct"]) => (options.metric ? side.metric : side.elapsed);
  const direct = summarize(pick(paired.direct));
  const wrapped = summarize(pick(paired.wrapped));
  const ratio = wrapped.median / direct.median;
  const interval =
    options.maxRatio !== undefined && options.blockSize !== undefined
      ? bootstrapInterval(
          [
            blockMedians(pick(paired.direct), options.blockSize),
            blockMedians(pick(paired.wrapped), options.blockSize),
          ],
          ([a, b]) => b! / a!,
        )
      : undefined;
  const delta =
    `${fmtRatio(ratio)} (${fmtSigned(wrapped.median - direct.median, fmtMs)})` +
    (interval ? ` [${fmtRatio(interval.low)} … ${fmtRatio(interval.high)}]` : "");
  const target =
    options.maxRatio !== undefined
      ? {
          text: `≤ ${options.maxRatio.toFixed(2)}×`,
          ok: ratio <= options.maxRatio,
          label: options.label ?? measure,
          ...(interval ? { verdict: verdictWithin(interval, options.maxRatio) } : {}),
        }
      : undefined;
  return row(measure, fmtLatency(direct), fmtLatency(wrapped), delta, target);
};

/** CPU per call of the two sides, and what the wrapper adds. */
export const cpuRow = (
  measure: string,
  paired: Paired,
  options: { maxAddedUs?: number; label?: string } = {},
): Row => {
  const direct = cpuPerCall(paired.direct);
  const wrapped = cpuPerCall(paired.wrapped);
  const added = wrapped - direct;
  const target =
    options.maxAddedUs !== undefined
      ? {
          text: `≤ +${options.maxAddedUs} µs`,
          ok: added <= options.maxAddedUs,
          label: options.label ?? measure,
        }
      : undefined;
  return row(measure, fmtUs(direct), fmtUs(wrapped), fmtSigned(added, fmtUs), target);
};
