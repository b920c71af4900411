/** Case, `_` and `-` do not matter when comparing names: `api_key`, `APIKey` and `apiKey` are one name. */
const fold = (name: string): string => name.toLowerCase().replace(/[_-]/g, "");

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short names. */
const distance = (a: string, b: string): number => {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
};

/** How far a misspelling may be from the name it meant: 1 edit for short names, up to 3 for long ones. */
const tolerance = (length: number): number => (length <= 4 ? 1 : length <= 8 ? 2 : 3);

/**
 * The candidate `name` most likely meant (`apikey` → `apiKey`, `fallback` → `fallbacks`,
 * `antropic` → `anthropic`), or undefined when none is close. With `lastSegment`, candidates are
 * dotted paths (`retry.maxRetries`) compared by their last segment.
 */
export const suggestKey = (
  name: string,
  candidates: readonly string[],
  options: { lastSegment?: boolean } = {},
): string | undefined => {
  const target = fold(name);
  if (target === "") return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name && !options.lastSegment) continue;
    const compared = fold(options.lastSegment ? (candidate.split(".").at(-1) ?? candidate) : candidate);
    const d = distance(target, compared);
    if (d < bestDistance && d <= tolerance(Math.max(target.length, compared.length))) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
};
