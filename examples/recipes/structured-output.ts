/**
 * Recipe: structured output from a zod schema, whichever provider answers.
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/structured-output.ts
 * See docs/recipes/structured-output.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";
import { anthropic, createClient, isStructuredOutputError, openai } from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

const mocks = await startMockProviders({ openai: {}, anthropic: {} });

// --- the app ---
const client = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
});

// strictObject + nullable (not optional): the JSON Schema then has `additionalProperties: false`
// and every property required, which OpenAI's strict mode and Anthropic's structured outputs ask for.
const Ticket = z.strictObject({
  category: z.enum(["billing", "bug", "account", "other"]),
  priority: z.number().int().min(1).max(4),
  summary: z.string(),
  orderId: z.string().nullable(),
});

const triage = async (email: string) => {
  const res = await client.chat({
    messages: [
      { role: "system", content: "Classify the support email." },
      { role: "user", content: email },
    ],
    schema: Ticket,
    schemaName: "ticket",
  });
  // res.object is typed: { category: "billing" | …; priority: number; summary: string; orderId: string | null }
  return { ticket: res.object, provider: res.provider };
};
// --- end of the app ---

const email = "I was charged twice for order 1042.";
const reply = { category: "billing", priority: 2, summary: "Double charge", orderId: "1042" };

// 1. OpenAI answers.
mocks.openai.script(faults.reply({ json: reply }));
const first = await triage(email);
console.log(`${first.provider}: ${JSON.stringify(first.ticket)}`);

// 2. OpenAI is down: Anthropic answers with the same schema, the same type.
mocks.openai.script(faults.serverError(503));
mocks.anthropic.script(faults.reply({ json: reply }));
const second = await triage(email);
console.log(`${second.provider}: ${JSON.stringify(second.ticket)}`);

// What each provider was sent for the schema.
const openaiBody = mocks.openai.lastRequest?.body as {
  response_format: { type: string; json_schema: { strict: boolean; schema: Record<string, unknown> } };
};
const anthropicBody = mocks.anthropic.lastRequest?.body as {
  output_config: { format: { type: string; schema: Record<string, unknown> } };
};
const { json_schema } = openaiBody.response_format;
console.log(
  `openai: response_format ${openaiBody.response_format.type}, strict ${json_schema.strict}, ` +
    `additionalProperties ${json_schema.schema.additionalProperties}`,
);
console.log(
  `anthropic: output_config.format ${anthropicBody.output_config.format.type}, ` +
    `additionalProperties ${anthropicBody.output_config.format.schema.additionalProperties}`,
);

// 3. A reply that does not fit the schema: StructuredOutputError, with the issues and the text.
mocks.openai.script(faults.reply({ json: { ...reply, priority: 9 } }));
let issues: string[] = [];
try {
  await triage(email);
} catch (error) {
  if (!isStructuredOutputError(error)) throw error;
  issues = error.issues;
  console.log(`StructuredOutputError from ${error.provider}: ${error.issues.join("; ")}`);
}

await mocks.close();

if (
  first.provider !== "openai" ||
  second.provider !== "anthropic" ||
  second.ticket.orderId !== "1042" ||
  issues.length !== 1
) {
  console.error("unexpected result");
  process.exit(1);
}
