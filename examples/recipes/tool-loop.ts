/**
 * Recipe: a tool-calling loop that keeps working when the provider changes between steps.
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/tool-loop.ts
 * See docs/recipes/tools.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";
import { anthropic, createClient, type Message, openai, type ToolDefinition } from "../../src/index.js";
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

const OrderLookup = z.strictObject({ orderId: z.string() });
const tools: ToolDefinition[] = [
  { name: "get_order", description: "Look up an order by id", parameters: OrderLookup },
];
const runTool = async (name: string, args: unknown): Promise<unknown> => {
  if (name !== "get_order") return { error: `unknown tool ${name}` };
  // Arguments are the model's output: validate them (they are parsed JSON, not checked against the schema).
  const parsed = OrderLookup.safeParse(args);
  if (!parsed.success) return { error: "invalid arguments", issues: parsed.error.issues.length };
  return { orderId: parsed.data.orderId, status: "shipped", carrier: "DHL" };
};

/** Calls the model until it stops asking for tools (at most `maxSteps` times). */
const answer = async (question: string, maxSteps = 5) => {
  const messages: Message[] = [{ role: "user", content: question }];
  const steps: string[] = [];
  for (let step = 0; step < maxSteps; step++) {
    const res = await client.chat({ messages, tools });
    steps.push(
      `${res.provider}:${res.toolCalls.length ? res.toolCalls.map((c) => c.name).join("+") : "text"}`,
    );
    if (res.toolCalls.length === 0) return { text: res.text, steps };
    // The history is provider-neutral: the next step may be answered by another provider.
    messages.push({ role: "assistant", content: res.text || null, toolCalls: res.toolCalls });
    for (const call of res.toolCalls) {
      const result = await runTool(call.name, call.arguments);
      messages.push({
        role: "tool",
        toolCallId: call.id,
        toolName: call.name,
        content: JSON.stringify(result),
      });
    }
  }
  throw new Error(`no answer after ${maxSteps} steps`);
};
// --- end of the app ---

// Step 1: OpenAI asks for the tool. Then OpenAI goes down; step 2: Anthropic reads OpenAI's tool
// call and our tool result from the history, and answers.
mocks.openai.script(
  faults.reply({ toolCalls: [{ id: "call_abc123", name: "get_order", arguments: { orderId: "1042" } }] }),
  faults.serverError(503),
);
mocks.anthropic.script(faults.reply({ text: "Order 1042 has shipped with DHL." }));
const { text, steps } = await answer("Where is order 1042?");
console.log(`steps: ${steps.join(" → ")}`);
console.log(`answer: ${text}`);

// What Anthropic received: OpenAI's tool call as a tool_use block, our result as a tool_result.
const body = mocks.anthropic.lastRequest!.body as { messages: { role: string; content: unknown }[] };
const sent = body.messages;
const blocks = sent.flatMap((m) =>
  Array.isArray(m.content)
    ? m.content.map((b: { type: string }) => `${m.role}/${b.type}`)
    : [`${m.role}/text`],
);
console.log(`anthropic was sent: ${blocks.join(", ")}`);

await mocks.close();

if (
  steps.join() !== "openai:get_order,anthropic:text" ||
  !blocks.includes("assistant/tool_use") ||
  !blocks.includes("user/tool_result")
) {
  console.error("unexpected result");
  process.exit(1);
}
