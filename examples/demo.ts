/**
 * `npm run demo`: an outage drill anyone can run right after `npm install`, no API keys.
 *
 * Local mock OpenAI, Anthropic and Mistral servers; a steady flow of chat and streaming calls
 * through `withFailover(new OpenAI(), { fallbacks: [anthropic(...), mistral(...)] })`; then OpenAI
 * fails the way it did in December 2024 while a live view shows who answers, the breaker states and
 * the latency. Ends with a summary table. Exits 0 when every call was answered, 1 otherwise.
 *
 * Run: npm run demo -- --help
 * The pieces: examples/demo/ (scenarios, load generator, live view, summary).
 */
import { helpText, parseDemoArgs } from "./demo/cli.js";
import { palette } from "./demo/format.js";

const main = async (): Promise<number> => {
  const parsed = parseDemoArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`${parsed.message}\nRun with --help for the options.\n`);
    return 2;
  }
  const tty = process.stdout.isTTY === true && process.env.TERM !== "dumb";
  const paint = palette(tty && !process.env.NO_COLOR);
  // The SDKs and the library load only now, so that --help and usage errors answer at once.
  if (parsed.options.real) {
    const { runReal } = await import("./demo/real.js");
    return runReal(parsed.options, process.stdout, process.stderr, paint);
  }
  if (parsed.options.fleet !== undefined) {
    const { runFleetDrill } = await import("./demo/fleet-drill.js");
    const interrupt = new AbortController();
    process.once("SIGINT", () => interrupt.abort());
    return runFleetDrill({
      options: { ...parsed.options, fleet: parsed.options.fleet },
      out: process.stdout,
      err: process.stderr,
      paint,
      signal: interrupt.signal,
    });
  }
  const { runDrill } = await import("./demo/drill.js");

  // First Ctrl-C ends the drill early with its summary; a second one kills it as usual.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  try {
    const { exitCode } = await runDrill({
      options: parsed.options,
      out: process.stdout,
      paint,
      tty,
      signal: interrupt.signal,
    });
    return exitCode;
  } finally {
    process.off("SIGINT", onSigint);
  }
};

const exitCode = await main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
process.exitCode = exitCode;
// Everything is closed by now and the process ends on its own. Should a handle still hold it
// open, say so (the test looks for this line) and exit anyway rather than hang.
setTimeout(() => {
  process.stderr.write("demo: a timer or socket was still open 2 s after the drill; exiting anyway\n");
  process.exit(exitCode);
}, 2_000).unref();
