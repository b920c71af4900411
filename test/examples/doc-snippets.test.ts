/**
 * Every ```ts block of README.md and docs/ is checked, so a page cannot drift from the code:
 * - a block that appears verbatim (whitespace aside) in a file of examples/ is covered there —
 *   examples are type-checked (`npm run typecheck`) and run (test/examples/*.test.ts);
 * - any other block must type-check against the source (see doc-snippets-compile.ts), with the
 *   names the page's prose takes as given declared below;
 * - a block that continues the one before it (`<!-- snippet: continues -->` on the line above) is
 *   checked together with it;
 * - the few blocks that cannot compile on purpose (another library's API, the shape of a value)
 *   are marked `<!-- snippet: fragment (why) -->` and listed here, so a new one is a visible choice.
 */
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileSnippets, type Snippet } from "./doc-snippets-compile.js";

const root = new URL("../../", import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), "utf8");
const listMarkdown = (dir: string): string[] =>
  readdirSync(new URL(dir, root), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listMarkdown(`${dir}${entry.name}/`)
      : entry.name.endsWith(".md")
        ? [`${dir}${entry.name}`]
        : [],
  );
const listExamples = (dir: string): string[] =>
  readdirSync(new URL(dir, root), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listExamples(`${dir}${entry.name}/`)
      : entry.name.endsWith(".ts")
        ? [`${dir}${entry.name}`]
        : [],
  );

const pages = ["README.md", ...listMarkdown("docs/")];
const normalize = (code: string): string => code.replace(/\s+/g, " ").trim();
const examples = listExamples("examples/").map((file) => normalize(read(file)));

/** The intentional fragments, by page: each marked on its page with its reason. */
const fragments: Record<string, number> = {
  "docs/migration.md": 2, // the ai-fallback and LangChain code it migrates from
  "docs/testing.md": 1, // the shape of a recorded request
  "docs/recipes/gemini-fallback.md": 1, // other clouds' AI SDK packages, not installed here
  "docs/recipes/tracing.md": 1, // @opentelemetry/sdk-node, the app's own SDK (not a dependency here)
};

/** What the pages' prose takes as given (a declaration per name; added only where a block uses it). */
const context: Record<string, string> = {
  // The conversation an app has: usable by both faces (the native `Message` and OpenAI's params).
  messages:
    'declare const messages: import("ai-failover").Message[] & import("openai").OpenAI.ChatCompletionMessageParam[];',
  mock: 'declare const mock: import("ai-failover/testing").MockProvider;',
  client: 'declare const client: import("ai-failover").FailoverClient;',
  llm: 'declare const llm: import("ai-failover").FailoverClient;',
  email: "declare const email: string;",
  logError: "declare const logError: (error: unknown) => void;",
  log: "declare const log: { warn(message: string, fields: object): void };",
  callOpenAI: 'declare const callOpenAI: (messages: import("ai-failover").Message[]) => Promise<string>;',
  callAnthropic:
    'declare const callAnthropic: (messages: import("ai-failover").Message[]) => Promise<string>;',
  EU: "declare const EU: string;",
  US: "declare const US: string;",
  req: "declare const req: Request;",
  runTool: "declare const runTool: (name: string, args: unknown) => Promise<unknown>;",
  question: "declare const question: string;",
};

/** Per page, what its own prose introduces (over the names above). */
const pageContext: Record<string, Record<string, string>> = {
  "docs/recipes/observability.md": {
    log: "declare const log: (event: string, fields: object) => void;",
    metrics: 'declare const metrics: { observe(attempt: import("ai-failover").Attempt): void };',
    app: 'declare const app: import("express").Express;',
    openai: 'declare const openai: import("openai").OpenAI;',
    instrument: 'declare const instrument: (client: import("ai-failover").FailoverClient) => void;',
  },
  "docs/recipes/ai-sdk-app.md": {
    model: 'declare const model: ReturnType<typeof import("ai-failover/ai-sdk").failoverModel>;',
    prompt: "declare const prompt: string;",
    logger: "declare const logger: { error(error: unknown): void };",
    publicError: "declare const publicError: (error: unknown) => string;",
  },
  "docs/recipes/rag-app.md": {
    instructions: "declare const instructions: string;",
    contextAndQuestion: "declare const contextAndQuestion: string;",
  },
  "docs/recipes/tracing.md": {
    providers: 'declare const providers: import("ai-failover").ProviderAdapter[];',
    fallbacks: 'declare const fallbacks: import("ai-failover").ProviderAdapter[];',
    tracerProvider: 'declare const tracerProvider: import("@opentelemetry/api").TracerProvider;',
    meterProvider: 'declare const meterProvider: import("@opentelemetry/api").MeterProvider;',
  },
  "docs/recipes/testing-failover.md": {
    supportReply:
      'declare const supportReply: (llm: import("ai-failover").FailoverClient, question: string) => Promise<{ text: string; provider: string }>;',
    streamedReply:
      'declare const streamedReply: (llm: import("ai-failover").FailoverClient, question: string) => Promise<{ shown: string; interrupted: boolean; partial?: string }>;',
  },
};

interface Block {
  page: string;
  index: number;
  code: string;
  marker: "fragment" | "continues" | undefined;
}

/** The ```ts blocks of a page (indented ones in lists too, dedented), with their markers. */
const blocksOf = (page: string): Block[] =>
  [
    ...read(page).matchAll(
      /(?:<!-- snippet: (fragment|continues)[^>]*-->\n)?^([ \t]*)```ts\n([\s\S]*?)^[ \t]*```$/gm,
    ),
  ].map((match, index) => ({
    page,
    index,
    code: match[3]!.replace(new RegExp(`^${match[2]}`, "gm"), ""),
    marker: match[1] as Block["marker"],
  }));

const blocks = pages.flatMap(blocksOf);
const covered = (block: Block): boolean => examples.some((source) => source.includes(normalize(block.code)));

/** The blocks to compile: each with the blocks it continues, and its page's context. */
const toCompile: Snippet[] = blocks.flatMap((block, i) => {
  if (block.marker === "fragment" || covered(block)) return [];
  let code = block.code;
  for (let j = i; blocks[j]?.marker === "continues" && blocks[j - 1]?.page === block.page; j--)
    code = `${blocks[j - 1]!.code}\n${code}`;
  return [{ name: `${block.page}#${block.index}`, code, page: block.page }];
});

describe("code blocks of README.md and docs/", () => {
  let complaints: Map<string, string[]>;
  beforeAll(() => {
    complaints = compileSnippets(toCompile, context, pageContext);
  }, 180_000);

  it("finds the pages and their blocks", () => {
    expect(pages).toContain("docs/configuration.md");
    expect(blocks.length).toBeGreaterThan(40);
  });

  it("marks as fragments only the blocks listed here", () => {
    const marked: Record<string, number> = {};
    for (const block of blocks)
      if (block.marker === "fragment") marked[block.page] = (marked[block.page] ?? 0) + 1;
    expect(marked).toEqual(fragments);
  });

  it.each(toCompile.map((snippet) => [snippet.name, snippet.name]))("%s type-checks", (_name, name) => {
    expect(complaints.get(name)).toEqual([]);
  });
});
