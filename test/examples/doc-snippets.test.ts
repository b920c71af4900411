/**
 * Code on a docs page is taken verbatim from a runnable example, so the page cannot drift from code
 * that compiles (`npm run typecheck` covers examples/) and runs (test/examples/recipes.test.ts).
 * Each ```ts block of a page listed here must appear, whitespace aside, in one of its sources.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Each page, the examples its code comes from, and (for a page not yet covered whole) which blocks to check. */
const pages: Record<string, { sources: string[]; only?: RegExp }> = {
  "docs/recipes/http-streaming.md": { sources: ["examples/recipes/http-streaming.ts"] },
  "docs/recipes/verify-providers.md": { sources: ["examples/recipes/verify-providers.ts"] },
  "README.md": { sources: ["examples/recipes/http-streaming.ts"], only: /toSSEResponse|pipeSSE/ },
};

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const normalize = (code: string): string => code.replace(/\s+/g, " ").trim();
const tsBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);

describe.each(Object.entries(pages))("%s", (page, { sources, only }) => {
  const blocks = tsBlocks(read(page)).filter((block) => only === undefined || only.test(block));
  const code = sources.map((source) => normalize(read(source)));

  it("has code blocks", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block) => [block.split("\n")[0]!, block]))("shows real code: %s", (_first, block) => {
    expect(code.some((source) => source.includes(normalize(block)))).toBe(true);
  });
});
