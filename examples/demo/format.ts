/** Small text helpers shared by the live view and the summary. */

export type Paint = (text: string) => string;

export interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;

const plain: Paint = (text) => text;

/** ANSI colours, or none (not a TTY, or NO_COLOR set). */
export const palette = (color: boolean): Palette =>
  color
    ? {
        bold: sgr(1, 22),
        dim: sgr(2, 22),
        red: sgr(31, 39),
        green: sgr(32, 39),
        yellow: sgr(33, 39),
        cyan: sgr(36, 39),
      }
    : { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ansi = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Visible width (ANSI sequences excluded). */
export const visibleLength = (text: string): number => text.replace(ansi, "").length;

/** Cuts `text` to `width` visible characters, keeping (and closing) ANSI sequences. */
export const fitWidth = (text: string, width: number): string => {
  if (visibleLength(text) <= width) return text;
  let out = "";
  let visible = 0;
  let i = 0;
  while (i < text.length && visible < width) {
    ansi.lastIndex = i;
    const match = ansi.exec(text);
    if (match && match.index === i) {
      out += match[0];
      i += match[0].length;
      continue;
    }
    out += text[i];
    visible++;
    i++;
  }
  return `${out}\x1b[0m`;
};

export const padEnd = (text: string, width: number): string =>
  text + " ".repeat(Math.max(0, width - visibleLength(text)));

export const padStart = (text: string, width: number): string =>
  " ".repeat(Math.max(0, width - visibleLength(text))) + text;

/** 1,234 */
export const int = (n: number): string => Math.round(n).toLocaleString("en-US");

/** "18 ms", "1.53 s" */
export const ms = (n: number | undefined): string => {
  if (n === undefined) return "–";
  if (n < 1_000) return `${Math.round(n)} ms`;
  return `${(n / 1_000).toFixed(2)} s`;
};

/** "12.3 s" */
export const secs = (n: number): string => `${(n / 1_000).toFixed(1)} s`;

/** "52%" */
export const pct = (part: number, whole: number): string =>
  whole > 0 ? `${Math.round((part / whole) * 100)}%` : "–";

/** A horizontal bar of `width` cells, `share` (0..1) of them filled. */
export const bar = (share: number, width: number): string => {
  const filled = Math.round(Math.min(1, Math.max(0, share)) * width);
  return "█".repeat(filled) + "░".repeat(width - filled);
};

/** The width the demo's printed text fits in (the live view fits the terminal instead). */
export const textWidth = 100;

/** Word-wraps `text` to lines of at most `width` visible characters (a longer word stays whole). */
export const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
};

/**
 * A table whose last column wraps so that every line fits in `width`: the other columns are padded
 * to their widest cell, and a wrapped cell continues under itself.
 */
export const fitTable = (
  rows: string[][],
  width: number,
  rightAligned: (col: number) => boolean = () => false,
): string[] => {
  const last = Math.max(...rows.map((row) => row.length)) - 1;
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < last; i++) widths[i] = Math.max(widths[i] ?? 0, visibleLength(row[i] ?? ""));
  }
  const lead = widths.reduce((sum, w) => sum + w + 2, 0);
  return rows.flatMap((row) => {
    const head = widths
      .map((w, i) => (rightAligned(i) ? padStart(row[i] ?? "", w) : padEnd(row[i] ?? "", w)))
      .join("  ");
    const cells = wrap(row[last] ?? "", Math.max(20, width - lead));
    return cells.map((cell, i) => `${i === 0 ? head : " ".repeat(lead - 2)}  ${cell}`.trimEnd());
  });
};

/** A plain table: columns padded to their widest cell; numbers right-aligned. */
export const table = (rows: string[][], rightAligned: (col: number) => boolean = () => false): string[] => {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned(i) ? padStart(cell, widths[i]!) : padEnd(cell, widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
};
