/**
 * Structured output at its edges, through the real SDKs against the mock:
 * - a model that refuses under a `schema` has answered (it does not fall over), but it gave no object
 *   of the schema: `StructuredOutputError` carries the refusal's text in `refusal`, where before it
 *   said "the reply is not valid JSON" with the refusal lost;
 * - the `issues` the recipe says to log (rather than the model's `text`) do not quote the prompt
 *   when the model wrote it into a key zod names (an unrecognized key).
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { anthropic, createClient, isStructuredOutputError, openai } from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { rejection } from "../helpers/rejections.js";
import { API_KEYS, MODELS } from "./helpers/providers.js";

const Ticket = z.strictObject({ category: z.string() });
const prompt = "Classify: Patient Jane Roe, DOB 1961-04-02, chest pain since Tuesday";
const messages = [{ role: "user" as const, content: prompt }];

let gpt: MockProvider;
let claude: MockProvider;
beforeAll(async () => {
  gpt = await startMockProvider({ kind: "openai", name: "openai" });
  claude = await startMockProvider({ kind: "anthropic", name: "anthropic" });
});
afterAll(async () => {
  await Promise.all([gpt.close(), claude.close()]);
});
beforeEach(() => {
  gpt.reset();
  claude.reset();
});

const client = () =>
  createClient({
    providers: [
      openai({ client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: gpt.baseURL }), model: MODELS.openai }),
      anthropic({
        client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: claude.baseURL }),
        model: MODELS.anthropic,
      }),
    ],
  });

describe("structured output", () => {
  it.each(["stream", "json"] as const)(
    "an OpenAI refusal under a schema (%s transport) is a StructuredOutputError carrying the refusal, with no fall-over",
    async (transport) => {
      gpt.setDefault(faults.reply({ refusal: "I can't help with that." }));
      const error = await rejection(client().chat({ messages, schema: Ticket, policy: { transport } }));
      expect(isStructuredOutputError(error)).toBe(true);
      expect(error).toMatchObject({
        refusal: "I can't help with that.",
        issues: ["(root): the model refused to answer (see refusal)"],
        provider: "openai",
      });
      expect(claude.callCount).toBe(0);
    },
  );

  it("an Anthropic refusal under a schema, through stream(): the loop and result() throw it", async () => {
    const only = createClient({
      providers: [
        anthropic({
          client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: claude.baseURL }),
          model: MODELS.anthropic,
        }),
      ],
    });
    claude.setDefault(faults.reply({ text: "", finishReason: "refusal" }));
    const stream = only.stream({ messages, schema: Ticket });
    const thrown = await rejection(
      (async () => {
        for await (const _event of stream);
      })(),
    );
    expect(isStructuredOutputError(thrown) && thrown.refusal).toEqual(expect.any(String));
    expect(await rejection(stream.result())).toBe(thrown);
  });

  it("issues do not quote the prompt the model wrote into a key", async () => {
    const echoed = { category: "triage", "Patient Jane Roe, DOB 1961-04-02": true };
    gpt.setDefault(faults.reply({ json: echoed }));
    const error = await rejection(client().chat({ messages, schema: Ticket }));
    expect(isStructuredOutputError(error)).toBe(true);
    expect(error.issues).toEqual([expect.stringContaining("[request text]")]);
    expect(JSON.stringify([error.message, error.issues]).toLowerCase()).not.toContain("jane roe");
    // No cause: a ZodError there would print the key again wherever the error is logged whole.
    expect(error.cause).toBeUndefined();
    // The model's own text stays whole on `text`, which the recipe says not to log.
    expect(error.text).toContain("Jane Roe");
  });
});
