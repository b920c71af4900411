/**
 * Instruction counts per call of the Anthropic faces over the paced mock, split at the first text
 * (dev-only, not part of `npm run bench`): bench/callgrind.ts marks the first text only with
 * `--fake` (OpenAI's in-memory fetch), so over the network it cannot split a call into phases.
 *
 *   npx tsx bench/anthropic-phases.ts raw sdkStream stream [--events 5] [--calls 30]
 *
 * Each face runs in its own process under `valgrind --tool=callgrind`, with the markers of
 * bench/profile.ts (`process.memoryUsage.rss()`, dumped before): one before each call and one at its
 * first text. Main thread only; medians over the calls. `raw` marks its first text at the second
 * body read (the first is the stream's head), as bench/profile.ts does.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { request } from "./lib/faces.js";
import { loadLibrary } from "./lib/library.js";
import { anthropicKit, MAX_TOKENS, MODELS, PROMPT } from "./lib/providers.js";
import { startMockHost } from "./lib/remote-mocks.js";
import { median } from "./lib/stats.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: "boolean", default: false },
    calls: { type: "string", default: "30" },
    warmup: { type: "string", default: "300" },
    events: { type: "string", default: "5" },
    interval: { type: "string", default: "40" },
    first: { type: "string", default: "40" },
  },
});

const mark = (): void => {
  process.memoryUsage.rss();
};

if (values.child) {
  // "source" here is the bundle this file is built into (esbuild, no keepNames), as in bench/callgrind.ts.
  const lib = await loadLibrary("source");
  const host = await startMockHost();
  const mock = await host.startPaced("phases", "anthropic", {
    firstTokenMs: Number(values.first),
    intervalMs: Number(values.interval),
    events: Number(values.events),
    chunkSize: 4,
  });
  const kit = anthropicKit(lib, mock);
  const client = lib.createClient({ providers: [kit.adapter()] });
  let marking = false;
  let seen = false;
  const firstText = (): void => {
    if (marking && !seen) mark();
    seen = true;
  };
  const faces: Record<string, () => Promise<unknown>> = {
    raw: async () => {
      const response = await fetch(`${mock.baseURL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": "sk-ant-bench",
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: MODELS.anthropic,
          max_tokens: MAX_TOKENS,
          messages: [{ role: "user", content: PROMPT }],
          stream: true,
        }),
      });
      const reader = response.body!.getReader();
      for (let reads = 1; !(await reader.read()).done; reads++) if (reads === 2) firstText();
    },
    sdkStream: () => kit.directStream(0, { onContent: firstText }),
    stream: async () => {
      for await (const event of client.stream(request)) if (event.type === "text") firstText();
    },
  };
  const face = faces[positionals[0] ?? "stream"]!;
  for (let i = 0; i < Number(values.warmup); i++) await face();
  marking = true;
  for (let i = 0; i < Number(values.calls); i++) {
    seen = false;
    mark();
    await face();
  }
  mark(); // the end of the last call
  marking = false;
  await host.close();
} else {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const dir = `${root}.bench/anthropic-phases-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  const entry = `${dir}/phases.mjs`;
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile: entry,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    logLevel: "silent",
  });
  const calls = Number(values.calls);
  for (const face of positionals.length > 0 ? positionals : ["stream"]) {
    for (const file of readdirSync(dir)) if (file.startsWith("cg.")) rmSync(`${dir}/${file}`);
    const passed = ["calls", "warmup", "events", "interval", "first"].flatMap((name) => [
      `--${name}`,
      String(values[name as keyof typeof values]),
    ]);
    const run = spawnSync(
      "valgrind",
      [
        "--tool=callgrind",
        "--separate-threads=yes",
        "--dump-before=uv_resident_set_memory",
        `--callgrind-out-file=${dir}/cg.%p`,
        process.execPath,
        entry,
        face,
        "--child",
        ...passed,
      ],
      { encoding: "utf8", cwd: root },
    );
    if (run.status !== 0) {
      console.error(run.stderr.split("\n").slice(-15).join("\n"));
      process.exit(1);
    }
    // Main-thread dumps cg.<pid>.<n>-01: n = 1 is startup and warm-up, then two per call.
    const dumps = readdirSync(dir)
      .map((file) => /^cg\.\d+\.(\d+)-01$/.exec(file))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({
        n: Number(m[1]),
        ir: Number(/^summary: (\d+)/m.exec(readFileSync(`${dir}/${m[0]}`, "utf8"))?.[1] ?? Number.NaN),
      }))
      .sort((a, b) => a.n - b.n)
      .slice(1, 1 + 2 * calls);
    const phase = (i: number) => Math.round(median(dumps.filter((_, j) => j % 2 === i).map((d) => d.ir)));
    const totals = Array.from({ length: calls }, (_, i) => dumps[2 * i]!.ir + dumps[2 * i + 1]!.ir);
    const fmt = (n: number) => n.toLocaleString("en-US");
    console.log(
      `${face} (anthropic, ${values.events} events): main-thread instructions per call, median of ${calls}: to first text ${fmt(phase(0))} · rest ${fmt(phase(1))} · total ${fmt(Math.round(median(totals)))}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}
