/**
 * Recipe: a RAG app (embeddings + the Responses API) that survives an outage, through the drop-in.
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/rag-app.ts
 * See docs/recipes/rag-app.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import {
  anthropic,
  azureOpenAI,
  getFailoverInfo,
  isAllProvidersFailedError,
  isConfigError,
  mistral,
  withFailover,
} from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

const mocks = await startMockProviders({
  openai: { defaultText: "Refunds reach your card within 5 days." },
  // Azure reports the model behind a deployment, as the real service does.
  azure: { model: "text-embedding-3-small" },
  anthropic: { defaultText: "Refunds reach your card within 5 days (Claude)." },
  mistral: {},
});

// --- the app ---
const EMBEDDING_MODEL = "text-embedding-3-small";

const openai = withFailover(new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), {
  fallbacks: [
    // The same embedding model on Azure: the same vector space as the index, so queries fail over.
    azureOpenAI({
      client: new AzureOpenAI({
        endpoint: mocks.azure.baseURL,
        apiKey: "azure-test",
        apiVersion: "2024-10-21",
      }),
      model: "gpt-4.1",
      embeddings: { model: EMBEDDING_MODEL, deployment: "emb-small" },
    }),
    // Another cloud for the answer. It has no embeddings API: it takes no embedding calls.
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
  models: { "gpt-4.1": { anthropic: "claude-sonnet-4-6" } },
});

/** The index: FAQ entries, embedded once with the embedding model (a vector database in real life). */
const faq = [
  { id: "refunds", question: "How long do refunds take?", text: "Refunds are issued within 5 days." },
  { id: "shipping", question: "Do you ship abroad?", text: "We ship to 30 countries." },
];
const indexed = await openai.embeddings.create({ model: EMBEDDING_MODEL, input: faq.map((f) => f.question) });
const index = faq.map((entry, i) => ({ ...entry, vector: indexed.data[i]!.embedding }));

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** Retrieval: the query's vector against the index; a keyword match when no provider of the space can embed. */
const retrieve = async (query: string) => {
  try {
    const res = await openai.embeddings.create({ model: EMBEDDING_MODEL, input: query });
    const vector = res.data[0]!.embedding;
    const best = index
      .map((entry) => ({ entry, score: cosine(vector, entry.vector) }))
      .sort((a, b) => b.score - a.score)[0]!;
    return {
      entry: best.entry,
      how: `vector ${best.score.toFixed(3)} via ${getFailoverInfo(res)?.provider}`,
    };
  } catch (error) {
    if (!isAllProvidersFailedError(error)) throw error;
    // Degrade, never mix spaces: vectors of another model would be meaningless against this index.
    const words = query.toLowerCase().split(/\W+/);
    const entry =
      index.find((e) => words.some((w) => w.length > 3 && e.text.toLowerCase().includes(w))) ?? index[0]!;
    return { entry, how: "keyword (no embedding provider of the space is up)" };
  }
};

const ask = async (query: string) => {
  const { entry, how } = await retrieve(query);
  const response = await openai.responses.create({
    model: "gpt-4.1",
    instructions: "Answer from the context only.",
    input: `Context: ${entry.text}\n\nQuestion: ${query}`,
  });
  return { doc: entry.id, how, answer: response.output_text, by: getFailoverInfo(response)?.provider };
};
// --- end of the app ---

const show = (label: string, r: Awaited<ReturnType<typeof ask>>) =>
  console.log(`${label}: ${r.doc} (${r.how}); answer by ${r.by}: ${r.answer}`);

const healthy = await ask("How long do refunds take?");
show("healthy", healthy);

// 2024-12-11: OpenAI down, Azure up. The query embedding comes from Azure's deployment of the same
// model (the same vector, the same match); the answer from Claude, outside OpenAI's failure domain.
mocks.openai.setDefault(faults.serverError(503));
const dec11 = await ask("How long do refunds take?");
show("dec-11", dec11);

// 2024-12-26: OpenAI and Azure down together. No provider of the index's space is up: the embedding
// call fails (never another model's vectors) and the app degrades to keyword search.
mocks.azure.setDefault(faults.serverError(503));
const dec26 = await ask("How long do refunds take?");
show("dec-26", dec26);

// Why: a fallback in another vector space is refused when the client is built.
let refused = "";
try {
  withFailover(new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), {
    fallbacks: [
      mistral({
        client: new Mistral({ apiKey: "m" }),
        model: "mistral-large-latest",
        embeddings: { model: "mistral-embed" },
      }),
    ],
    primary: { embeddings: { model: EMBEDDING_MODEL } },
  });
} catch (error) {
  if (isConfigError(error)) refused = error.issues[0]!.split(":")[0]!;
}
console.log(`refused: ${refused} (mistral-embed is another vector space)`);

await mocks.close();

if (
  healthy.doc !== "refunds" ||
  !healthy.how.endsWith("via openai") ||
  dec11.how !== healthy.how.replace("openai", "azure-openai") ||
  dec11.by !== "anthropic" ||
  !dec26.how.startsWith("keyword") ||
  dec26.doc !== "refunds" ||
  refused !== "fallbacks.0 (mistral)"
) {
  console.error("unexpected result");
  process.exit(1);
}
