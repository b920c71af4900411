/**
 * The drop-in's `errors: "openai"` mode rethrows failures as the wrapped SDK's own error classes.
 * It must hold the same promise as the library's own errors (issue 7, rule 2): whatever the
 * providers echoed — the OpenAI key read from the user's client, the Anthropic key, the prompt —
 * is nowhere in the SDK error, its fields, or its cause chain, however it is printed.
 */
import { Console } from "node:console";
import { PassThrough } from "node:stream";
import { inspect } from "node:util";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withFailover } from "../../../src/compat/openai/index.js";
import { anthropic } from "../../../src/index.js";
import { faults } from "../../../src/testing/index.js";
import { type DropInMocks, sdks, startDropInMocks } from "./drop-in-fixture.js";

const OPENAI_KEY = "openai-pass-3141";
const ANTHROPIC_KEY = "claude-pass-2718";
const PROMPT = "PROMPT-CANARY-77aa: the saffron heron ledger";
const SECRETS = [OPENAI_KEY, ANTHROPIC_KEY, "saffron heron", "PROMPT-CANARY"];
/** What a provider echoes: the key it was sent (a provider only ever sees its own) and the prompt. */
const echo = (key: string) => `key ${key} refused for '${PROMPT}'`;
const ECHO = echo(OPENAI_KEY);
const ANTHROPIC_ECHO = echo(ANTHROPIC_KEY);

let mocks: DropInMocks;
beforeAll(async () => {
  mocks = await startDropInMocks();
});
afterAll(async () => {
  await mocks.close();
});
beforeEach(() => {
  mocks.reset();
});

const everythingShown = (error: unknown): string => {
  const out: string[] = [inspect(error, { depth: Infinity, showHidden: true })];
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  new Console({ stdout: sink, stderr: sink }).error(error);
  out.push(Buffer.concat(chunks).toString("utf8"));
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    out.push(JSON.stringify(current), String(current));
    current = (current as { cause?: unknown }).cause;
  }
  return out.join("\n");
};

describe.each(sdks)(
  "withFailover({ errors: 'openai' }) with openai $major: no echoed key or prompt",
  (sdk) => {
    const client = () =>
      withFailover(new sdk.OpenAI({ apiKey: OPENAI_KEY, baseURL: mocks.openai.baseURL, maxRetries: 0 }), {
        fallbacks: [
          anthropic({
            client: new Anthropic({ apiKey: ANTHROPIC_KEY, baseURL: mocks.anthropic.baseURL }),
            model: "claude",
          }),
        ],
        retry: { maxRetries: 0 },
        errors: "openai",
      });
    const messages = [{ role: "user" as const, content: PROMPT }];

    it.each([
      [
        "a 200 JSON error body from OpenAI, a 500 echo from Anthropic",
        () => faults.status(200, { error: { message: ECHO, type: "server_error", code: OPENAI_KEY } }),
        () => faults.status(500, { type: "error", error: { type: "api_error", message: ANTHROPIC_ECHO } }),
      ],
      [
        "an SSE error frame from OpenAI, event: error from Anthropic",
        () =>
          faults.status(
            200,
            `data: ${JSON.stringify({ error: { message: ECHO, type: "server_error" } })}\n\n`,
            { "content-type": "text/event-stream" },
          ),
        () =>
          faults.status(
            200,
            `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: ANTHROPIC_ECHO } })}\n\n`,
            { "content-type": "text/event-stream" },
          ),
      ],
    ])("all providers failed: %s", async (_, openAIFault, anthropicFault) => {
      mocks.openai.script(openAIFault());
      mocks.anthropic.script(anthropicFault());
      const error = await client()
        .chat.completions.create({ model: "gpt-4.1", messages })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.OpenAI.APIError);
      const shown = everythingShown(error);
      for (const secret of SECRETS) expect(shown, `leaked ${secret}`).not.toContain(secret);
    });

    it("a bad request that does not fall over (a 400 echoing everything)", async () => {
      mocks.openai.script(
        faults.status(400, {
          error: { message: ECHO, type: "invalid_request_error", param: PROMPT, code: null },
        }),
      );
      const error = await client()
        .chat.completions.create({ model: "gpt-4.1", messages })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.OpenAI.BadRequestError);
      const shown = everythingShown(error);
      for (const secret of SECRETS) expect(shown, `leaked ${secret}`).not.toContain(secret);
    });
  },
);
