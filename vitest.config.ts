import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // The SDKs log what our fault tests do on purpose (a malformed SSE frame: "Could not parse
    // message into JSON") to the console; the tests assert on the typed errors instead.
    env: { ANTHROPIC_LOG: "off", OPENAI_LOG: "off" },
  },
});
