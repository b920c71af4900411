/**
 * Embedding models whose names providers and gateways report. Two of them at one length
 * (`text-embedding-ada-002` and `text-embedding-3-small`, both 1536) give vectors of the same shape
 * that cannot be compared: only the reported name tells them apart.
 */
const knownModels = [
  "text-embedding-ada-002",
  "text-embedding-3-small",
  "text-embedding-3-large",
  "mistral-embed",
  "codestral-embed",
  "text-embedding-004",
  "text-embedding-005",
  "text-multilingual-embedding-002",
  "gemini-embedding-001",
  "embed-english-v3.0",
  "embed-multilingual-v3.0",
  "embed-v4.0",
  "nomic-embed-text",
  "mxbai-embed-large",
  "bge-m3",
];

/**
 * The known embedding model a reported name stands for, or undefined: lower case, without a
 * gateway's `vendor/` prefix, and with a dated or versioned suffix allowed
 * (`openai/text-embedding-3-small`, `text-embedding-3-small-2024-01-25`).
 */
const familyOf = (name: string): string | undefined => {
  const base = name.toLowerCase().slice(name.lastIndexOf("/") + 1);
  let family: string | undefined;
  for (const known of knownModels) {
    const matches = base === known || base.startsWith(`${known}-`) || base.startsWith(`${known}:`);
    if (matches && (family === undefined || known.length > family.length)) family = known;
  }
  return family;
};

/**
 * Whether an embeddings answer reports another model than the vector space's: only when both names
 * are embedding models this code knows, and they differ. A name it does not know (a deployment, a
 * gateway's alias, a model newer than this list) is trusted: refusing a healthy provider's answer
 * over a naming habit would fail calls a fallback can serve.
 */
export const reportsAnotherModel = (reported: unknown, spaceModel: string): boolean => {
  if (typeof reported !== "string" || reported === "") return false;
  const answered = familyOf(reported);
  const expected = familyOf(spaceModel);
  return answered !== undefined && expected !== undefined && answered !== expected;
};
