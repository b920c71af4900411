import { execFile, execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  license: string;
};

const run = (cwd: string, file: string): string =>
  execFileSync(process.execPath, [file], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });

/** `tsc --noEmit -p <project>` with the repository's TypeScript; resolves with its output (empty when clean). */
const typecheck = async (project: string): Promise<string> => {
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}` || String(error);
  }
};

/** The strictest settings an app may use, declarations of every package checked. */
const strictOptions = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
};

/**
 * Builds the package, packs it with `npm pack` (the tarball npm users download), and installs the
 * tarball — offline — into scratch apps: one with none of the optional provider SDKs, one with only
 * `openai`, one with only `@ai-sdk/provider` (for `ai-failover/ai-sdk`). Their other dependencies are
 * linked from this repository's node_modules.
 */
describe("the packed package", () => {
  let scratch: string;
  let tarballFiles: string[];
  const app = (name: string) => join(scratch, name);

  /** A scratch app with the unpacked tarball and links to the given packages. */
  const createApp = (name: string, packages: string[], unpacked: string): void => {
    const dir = app(name);
    mkdirSync(join(dir, "node_modules"), { recursive: true });
    execFileSync("cp", ["-R", unpacked, join(dir, "node_modules/ai-failover")]);
    for (const dep of packages) {
      mkdirSync(dirname(join(dir, "node_modules", dep)), { recursive: true });
      symlinkSync(join(root, "node_modules", dep), join(dir, "node_modules", dep));
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  };

  beforeAll(() => {
    execFileSync(process.execPath, [join(root, "node_modules/tsup/dist/cli-default.js")], {
      cwd: root,
      stdio: "pipe",
    });
    scratch = mkdtempSync(join(tmpdir(), "ai-failover-pkg-"));
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, npm_config_offline: "true" },
      }),
    ) as { filename: string; files: { path: string }[] }[];
    tarballFiles = packed!.files.map((file) => file.path).sort();
    execFileSync("tar", ["-xzf", join(scratch, packed!.filename), "-C", scratch]);
    renameSync(join(scratch, "package"), join(scratch, "unpacked"));
    const common = ["zod", "cockatiel", "typescript", "@types/node"];
    createApp("no-sdk", common, join(scratch, "unpacked"));
    createApp("openai-only", [...common, "openai"], join(scratch, "unpacked"));
    createApp("browser", ["zod", "cockatiel", "typescript"], join(scratch, "unpacked"));
    // `@ai-sdk/provider` is what `ai` brings; nothing else of the AI SDK.
    createApp("ai-sdk", [...common, "@ai-sdk/provider", "json-schema"], join(scratch, "unpacked"));
    // An app with an OpenTelemetry SDK (and so `@opentelemetry/api`), no provider SDK.
    createApp(
      "otel",
      [
        ...common,
        "@opentelemetry/api",
        "@opentelemetry/sdk-trace-base",
        "@opentelemetry/context-async-hooks",
      ],
      join(scratch, "unpacked"),
    );
  }, 180_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("ships the build, README, CHANGELOG and LICENSE, and nothing else", () => {
    const outside = tarballFiles.filter((file) => !file.startsWith("dist/"));
    expect(outside).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "package.json"]);
    for (const file of ["index.js", "index.cjs", "index.d.ts", "index.d.cts"]) {
      expect(tarballFiles).toContain(`dist/${file}`);
      expect(tarballFiles).toContain(`dist/testing/${file}`);
      expect(tarballFiles).toContain(`dist/ai-sdk/${file}`);
      expect(tarballFiles).toContain(`dist/redis/${file}`);
    }
    const license = readFileSync(join(scratch, "unpacked/LICENSE"), "utf8");
    expect(pkg.license).toBe("MIT");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    const changelog = readFileSync(join(scratch, "unpacked/CHANGELOG.md"), "utf8");
    expect(changelog).toContain(`## ${pkg.version}`);
  });

  it("declarations import no provider SDK", () => {
    for (const file of ["index.d.ts", "index.d.cts", "testing/index.d.ts", "redis/index.d.ts"]) {
      const dts = readFileSync(join(scratch, "unpacked/dist", file), "utf8");
      // (Real import lines: a doc comment's example may show `import … from "redis"`.)
      expect(dts).not.toMatch(
        /^\s*(import|export)\b[^\n]*from ['"](openai|@anthropic-ai\/sdk|@mistralai\/mistralai|@opentelemetry\/|(redis|ioredis)['"])/m,
      );
      expect(dts).not.toMatch(
        /import\(['"](openai|@anthropic-ai\/sdk|@mistralai\/mistralai|@opentelemetry\/|(redis|ioredis)['"])/,
      );
    }
  });

  it.concurrent("declares as values exactly what each entry exports at runtime, ESM and CJS", async ({
    expect,
  }) => {
    // A type declared as a value would compile and then fail to import: compare what each entry's
    // declarations say is a value (`keyof typeof` of a namespace import: values only) with what the
    // built files export, in both module systems.
    const dir = app("ai-sdk");
    const entries = {
      root: "ai-failover",
      testing: "ai-failover/testing",
      aiSdk: "ai-failover/ai-sdk",
      redis: "ai-failover/redis",
    };
    const lines = Object.values(entries).map((entry, i) => `import * as e${i} from "${entry}";`);
    for (const [i, entry] of Object.values(entries).entries()) {
      writeFileSync(
        join(dir, `keys${i}.mjs`),
        `console.log(JSON.stringify(Object.keys(await import("${entry}"))));`,
      );
      writeFileSync(
        join(dir, `keys${i}.cjs`),
        `console.log(JSON.stringify(Object.keys(require("${entry}"))));`,
      );
      const esm = (JSON.parse(run(dir, `keys${i}.mjs`)) as string[]).filter((k) => k !== "default").sort();
      const cjs = (JSON.parse(run(dir, `keys${i}.cjs`)) as string[]).sort();
      expect(cjs, entry).toEqual(esm);
      expect(esm.length, entry).toBeGreaterThan(0);
      const runtime = esm.map((k) => JSON.stringify(k)).join(" | ");
      lines.push(`export const check${i}: Same<keyof typeof e${i}, ${runtime}> = true;`);
    }
    writeFileSync(
      join(dir, "exports-check.ts"),
      `type Same<Declared, Runtime> = [Exclude<Declared, Runtime>, Exclude<Runtime, Declared>] extends [never, never]
         ? true
         : { declaredButNotExported: Exclude<Declared, Runtime>; exportedButNotDeclared: Exclude<Runtime, Declared> };
       ${lines.join("\n")}`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      // skipLibCheck: @ai-sdk/provider's own declarations need @types/json-schema, which is not ours to add.
      JSON.stringify({
        compilerOptions: { ...strictOptions, skipLibCheck: true, types: ["node"] },
        files: ["exports-check.ts"],
      }),
    );
    expect(await typecheck(dir)).toBe("");
  }, 120_000);

  it("loads with require() (CJS) without any provider SDK installed", () => {
    writeFileSync(
      join(app("no-sdk"), "main.cjs"),
      `const lib = require("ai-failover");
       const testing = require("ai-failover/testing");
       const names = ["createClient", "openai", "azureOpenAI", "anthropic", "mistral", "openaiCompatible", "perplexity", "withFailover", "toSSEResponse", "pipeSSE", "aiSdk"];
       console.log(JSON.stringify({ missing: names.filter((n) => typeof lib[n] !== "function"), testing: typeof testing.startMockProvider }));`,
    );
    expect(JSON.parse(run(app("no-sdk"), "main.cjs"))).toEqual({ missing: [], testing: "function" });
  });

  it("refuses, when the client is created, a provider whose SDK is not installed (ESM and CJS)", () => {
    // Nothing is imported to find out: the check resolves the package, synchronously, in both builds.
    const script = (load: string) => `${load}
       const issues = (make) => { try { make(); return []; } catch (e) { return isConfigError(e) ? e.issues : [String(e)]; } };
       console.log(JSON.stringify({
         native: issues(() => createClient({ providers: [
           openai({ apiKey: "k", model: "gpt-4.1" }),
           anthropic({ apiKey: "k", model: "claude-sonnet-4-6" }),
           mistral({ apiKey: "k", model: "mistral-large-latest" }),
         ] })),
         compatible: issues(() => createClient({ providers: [openaiCompatible({ name: "ollama", baseURL: "http://localhost:11434/v1", model: "llama3" })] })),
         factoryAlone: issues(() => anthropic({ apiKey: "k", model: "claude-sonnet-4-6" })),
       }));`;
    writeFileSync(
      join(app("no-sdk"), "missing.mjs"),
      script(
        `import { anthropic, createClient, isConfigError, mistral, openai, openaiCompatible } from "ai-failover";`,
      ),
    );
    writeFileSync(
      join(app("no-sdk"), "missing.cjs"),
      script(
        `const { anthropic, createClient, isConfigError, mistral, openai, openaiCompatible } = require("ai-failover");`,
      ),
    );
    const expected = {
      native: [
        "providers[0] (openai): the openai package is not installed: npm install openai",
        "providers[1] (anthropic): the @anthropic-ai/sdk package is not installed: npm install @anthropic-ai/sdk",
        "providers[2] (mistral): the @mistralai/mistralai package is not installed: npm install @mistralai/mistralai",
      ],
      compatible: ["providers[0] (ollama): the openai package is not installed: npm install openai"],
      // A factory alone is fine: the check runs where the providers come together.
      factoryAlone: [],
    };
    expect(JSON.parse(run(app("no-sdk"), "missing.mjs"))).toEqual(expected);
    expect(JSON.parse(run(app("no-sdk"), "missing.cjs"))).toEqual(expected);
  });

  it("with only openai installed, the drop-in refuses a fallback whose SDK is missing, and accepts the rest", () => {
    const dir = app("openai-only");
    const script = (load: string) => `${load}
       const issues = (make) => { try { make(); return []; } catch (e) { return isConfigError(e) ? e.issues : [String(e)]; } };
       console.log(JSON.stringify({
         missing: issues(() => withFailover(new OpenAI({ apiKey: "k" }), { fallbacks: [anthropic({ apiKey: "k", model: "claude-sonnet-4-6" })] })),
         fine: issues(() => withFailover(new OpenAI({ apiKey: "k" }), { fallbacks: [openai({ name: "backup", apiKey: "k", model: "gpt-4.1-mini" })] })),
       }));`;
    writeFileSync(
      join(dir, "drop-in.mjs"),
      script(
        `import OpenAI from "openai"; import { anthropic, isConfigError, openai, withFailover } from "ai-failover";`,
      ),
    );
    writeFileSync(
      join(dir, "drop-in.cjs"),
      script(
        `const { OpenAI } = require("openai"); const { anthropic, isConfigError, openai, withFailover } = require("ai-failover");`,
      ),
    );
    const expected = {
      missing: [
        "withFailover.fallbacks[0] (anthropic): the @anthropic-ai/sdk package is not installed: npm install @anthropic-ai/sdk",
      ],
      fine: [],
    };
    expect(JSON.parse(run(dir, "drop-in.mjs"))).toEqual(expected);
    expect(JSON.parse(run(dir, "drop-in.cjs"))).toEqual(expected);
  });

  /** A hand-written AI SDK v4 model (as any third-party provider package builds one): a call with no SDK at all. */
  const handWrittenModel = `{
    specificationVersion: "v4", provider: "custom.chat", modelId: "m-1", supportedUrls: {},
    doGenerate: async () => ({ content: [{ type: "text", text: "hello" }], finishReason: { unified: "stop", raw: "done" },
      usage: { inputTokens: { total: 3 }, outputTokens: { total: 1 } }, warnings: [] }),
    doStream: async () => ({ stream: new ReadableStream({ start(c) {
      for (const part of [{ type: "stream-start", warnings: [] }, { type: "text-delta", id: "0", delta: "hello" },
        { type: "finish", finishReason: { unified: "stop", raw: "done" }, usage: { inputTokens: { total: 3 }, outputTokens: { total: 1 } } }]) c.enqueue(part);
      c.close();
    } }) }),
  }`;

  it("without @opentelemetry/api: the root loads (ESM and CJS), calls run, telemetry options are accepted", () => {
    const dir = app("no-sdk");
    const body = `const client = createClient({ providers: [aiSdk({ model: ${handWrittenModel} })], telemetry: { captureContent: true } });
       client.chat({ messages: [{ role: "user", content: "hi" }] }).then((r) => console.log(JSON.stringify({ text: r.text })));`;
    writeFileSync(
      join(dir, "otel-absent.mjs"),
      `import { aiSdk, createClient } from "ai-failover";
${body}`,
    );
    writeFileSync(
      join(dir, "otel-absent.cjs"),
      `const { aiSdk, createClient } = require("ai-failover");
${body}`,
    );
    expect(() =>
      execFileSync(process.execPath, ["-e", "require.resolve('@opentelemetry/api')"], {
        cwd: dir,
        stdio: "pipe",
      }),
    ).toThrow();
    expect(JSON.parse(run(dir, "otel-absent.mjs"))).toEqual({ text: "hello" });
    expect(JSON.parse(run(dir, "otel-absent.cjs"))).toEqual({ text: "hello" });
  });

  it("with an OpenTelemetry SDK registered: spans with no code change, from the ESM and the CJS build", () => {
    const dir = app("otel");
    const setup = (imports: string) => `${imports}
       context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
       const exporter = new InMemorySpanExporter();
       trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
       const client = createClient({ providers: [aiSdk({ model: ${handWrittenModel} })] });
       client.chat({ messages: [{ role: "user", content: "hi" }] }).then(() =>
         console.log(JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes["gen_ai.provider.name"]]))));`;
    writeFileSync(
      join(dir, "traced.mjs"),
      setup(`import { context, trace } from "@opentelemetry/api";
       import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
       import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
       import { aiSdk, createClient } from "ai-failover";`),
    );
    writeFileSync(
      join(dir, "traced.cjs"),
      setup(`const { context, trace } = require("@opentelemetry/api");
       const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
       const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
       const { aiSdk, createClient } = require("ai-failover");`),
    );
    const expected = [
      ["chat m-1", "custom"],
      ["chat m-1", "custom"],
    ];
    expect(JSON.parse(run(dir, "traced.mjs"))).toEqual(expected);
    expect(JSON.parse(run(dir, "traced.cjs"))).toEqual(expected);
  });

  it("ai-failover/redis loads without redis or ioredis installed (it duck-types the client you pass)", () => {
    writeFileSync(
      join(app("no-sdk"), "redis.mjs"),
      `import { redisStore } from "ai-failover/redis";
       let message = "";
       try { redisStore({ client: {} }); } catch (e) { message = String(e?.message ?? e); }
       console.log(JSON.stringify({ loaded: typeof redisStore, message }));`,
    );
    writeFileSync(
      join(app("no-sdk"), "redis.cjs"),
      `const { redisStore } = require("ai-failover/redis"); console.log(typeof redisStore);`,
    );
    expect(JSON.parse(run(app("no-sdk"), "redis.mjs"))).toEqual({
      loaded: "function",
      message: expect.stringContaining(
        "redisStore.client: expected a node-redis client (redis 5+) or an ioredis client",
      ),
    });
    expect(run(app("no-sdk"), "redis.cjs").trim()).toBe("function");
  });

  it("ai-failover/ai-sdk needs @ai-sdk/provider, and says so when it is missing", () => {
    writeFileSync(
      join(app("no-sdk"), "ai-sdk-missing.mjs"),
      `try { await import("ai-failover/ai-sdk"); console.log("loaded"); } catch (e) { console.log(String(e.message)); }`,
    );
    expect(run(app("no-sdk"), "ai-sdk-missing.mjs")).toMatch(/@ai-sdk\/provider/);
  });

  it("aiSdk() (root entry, no AI SDK package needed) and failoverModel() (ai-failover/ai-sdk) work both ways", () => {
    const dir = app("ai-sdk");
    // A hand-written v4 model, as any third-party provider package builds one.
    const model = `{
      specificationVersion: "v4", provider: "custom.chat", modelId: "m-1", supportedUrls: {},
      doGenerate: async () => ({ content: [{ type: "text", text: "hello" }], finishReason: { unified: "stop", raw: "done" },
        usage: { inputTokens: { total: 3 }, outputTokens: { total: 1 } }, warnings: [] }),
      doStream: async () => ({ stream: new ReadableStream({ start(c) {
        for (const part of [{ type: "stream-start", warnings: [] }, { type: "text-delta", id: "0", delta: "hello" },
          { type: "finish", finishReason: { unified: "stop", raw: "done" }, usage: { inputTokens: { total: 3 }, outputTokens: { total: 1 } } }]) c.enqueue(part);
        c.close();
      } }) }),
    }`;
    const prompt = `[{ role: "user", content: [{ type: "text", text: "hi" }] }]`;
    writeFileSync(
      join(dir, "ai-sdk.cjs"),
      `const { createClient, aiSdk } = require("ai-failover");
       const { failoverModel } = require("ai-failover/ai-sdk");
       const fm = failoverModel(createClient({ providers: [aiSdk({ model: ${model} })] }));
       fm.doGenerate({ prompt: ${prompt} }).then((r) => console.log(JSON.stringify({ v: fm.specificationVersion, text: r.content[0].text, served: r.providerMetadata.aiFailover.provider })));`,
    );
    writeFileSync(
      join(dir, "ai-sdk.mjs"),
      `import { createClient, aiSdk } from "ai-failover";
       import { failoverModel } from "ai-failover/ai-sdk";
       const fm = failoverModel(createClient({ providers: [aiSdk({ model: ${model} })] }));
       const r = await fm.doGenerate({ prompt: ${prompt} });
       console.log(JSON.stringify({ v: fm.specificationVersion, text: r.content[0].text, served: r.providerMetadata.aiFailover.provider }));`,
    );
    const expected = { v: "v4", text: "hello", served: "custom" };
    expect(JSON.parse(run(dir, "ai-sdk.cjs"))).toEqual(expected);
    expect(JSON.parse(run(dir, "ai-sdk.mjs"))).toEqual(expected);
  });

  it.concurrent("type-checks an app with only openai installed, both faces, ESM and CJS, skipLibCheck off", async ({
    expect,
  }) => {
    const dir = app("openai-only");
    const code = `
      import http from "node:http";
      import OpenAI from "openai";
      import {
        anthropic, createClient, isAllProvidersFailedError, openai, pipeSSE, toSSEResponse, withFailover,
        type ChatStreamEvent, type SSEEvent,
      } from "ai-failover";
      import { faults, startMockProvider } from "ai-failover/testing";

      const mock = await startMockProvider({ kind: "openai" });
      mock.script(faults.serverError(503));
      const llm = createClient({
        providers: [
          openai({ client: new OpenAI({ apiKey: "k", baseURL: mock.baseURL }), model: "gpt-4.1" }),
          anthropic({ apiKey: "k", model: "claude-sonnet-4-6", defaultMaxTokens: 1024 }),
        ],
        deadlines: { totalMs: 30_000 },
      });
      const result = await llm.chat({ messages: [{ role: "user", content: "hi" }], temperature: 0.2, maxTokens: 64 });
      const provider: string = result.provider;
      for await (const event of llm.stream({ messages: [{ role: "user", content: "hi" }] })) {
        const e: ChatStreamEvent = event;
        if (e.type === "text") console.log(e.text);
      }
      const client = withFailover(new OpenAI(), { fallbacks: [anthropic({ model: "claude-sonnet-4-6" })] });
      const completion = await client.chat.completions.create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] });
      const content: string | null | undefined = completion.choices[0]?.message.content;
      http.createServer((_req, res) => void pipeSSE(() => llm.stream({ messages: [] }), res));
      const response: Response = await toSSEResponse(llm.stream({ messages: [] }), { keepAliveMs: 0 });
      const seen = (e: SSEEvent): string => (e.event === "text" ? e.data.text : e.event);
      try { await llm.chat({ messages: [] }); } catch (error) { if (isAllProvidersFailedError(error)) console.log(error.attempts); }
      // @ts-expect-error an Anthropic provider needs an Anthropic client, not an OpenAI one
      anthropic({ client: new OpenAI(), model: "claude-sonnet-4-6" });
      // @ts-expect-error temperature is a number
      await llm.chat({ messages: [], temperature: "hot" });
      export { provider, content, response, seen };
    `;
    writeFileSync(join(dir, "app.ts"), code);
    writeFileSync(
      join(dir, "app.cts"),
      `import type { ChatRequest, OpenAILikeClient } from "ai-failover";
       const { createClient, openai } = require("ai-failover") as typeof import("ai-failover");
       import OpenAI = require("openai");
       const client: OpenAILikeClient = new OpenAI.OpenAI();
       const request: ChatRequest = { messages: [{ role: "user", content: "hi" }], topP: 0.9, stop: ["\\n"] };
       export = { llm: createClient({ providers: [openai({ client, model: "gpt-4.1" })] }), request };`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...strictOptions, lib: ["ES2023"], types: ["node"] },
        files: ["app.ts", "app.cts"],
      }),
    );
    expect(await typecheck(dir)).toBe("");
  }, 120_000);

  it.concurrent("type-checks an app with no provider SDK at all", async ({ expect }) => {
    const dir = app("no-sdk");
    writeFileSync(
      join(dir, "app.ts"),
      `import { anthropic, createClient, mistral, openaiCompatible, withFailover, type OpenAILikeClient } from "ai-failover";
       import { startMockProviders } from "ai-failover/testing";
       const mocks = await startMockProviders({ openai: {}, anthropic: {} });
       const llm = createClient({
         providers: [
           openaiCompatible({ name: "groq", baseURL: mocks.openai.baseURL, apiKey: "k", model: "llama" }),
           anthropic({ apiKey: "k", baseURL: mocks.anthropic.baseURL, model: "claude-sonnet-4-6" }),
           mistral({ apiKey: "k", model: "mistral-large-latest", fetch: (input, init) => fetch(input, init) }),
         ],
         telemetry: { captureContent: false, meterProvider: false },
       });
       const gateway: OpenAILikeClient = { chat: { completions: { create: async () => ({}) } } };
       const wrapped = withFailover(gateway, { fallbacks: [anthropic({ model: "claude-sonnet-4-6" })] });
       export { llm, wrapped };`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...strictOptions, lib: ["ES2023"], types: ["node"] },
        files: ["app.ts"],
      }),
    );
    expect(await typecheck(dir)).toBe("");
  }, 120_000);

  it.concurrent("type-checks browser code that imports the event types, without Node's types", async ({
    expect,
  }) => {
    const dir = app("browser");
    writeFileSync(
      join(dir, "app.ts"),
      `import type { SSEErrorData, SSEEvent } from "ai-failover";
       export const render = (event: SSEEvent): string =>
         event.event === "error" ? (event.data satisfies SSEErrorData).code : event.event;`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...strictOptions, lib: ["ES2023", "DOM"], types: [] },
        files: ["app.ts"],
      }),
    );
    expect(await typecheck(dir)).toBe("");
  }, 120_000);
});
