import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "ai-sdk/index": "src/compat/ai-sdk/index.ts",
  },
  format: ["esm", "cjs"],
  // `@internal` members stay out of the published declarations (and out of users' autocomplete).
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: "node22",
  splitting: false,
  treeshake: true,
  external: [
    "openai",
    "@anthropic-ai/sdk",
    "@mistralai/mistralai",
    "cockatiel",
    "zod",
    "ai",
    "@ai-sdk/provider",
    "@ai-sdk/provider-utils",
    "@opentelemetry/api",
  ],
});
