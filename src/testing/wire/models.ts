import type { MockProviderKind } from "../types.js";

/**
 * One model as each provider's models API describes it (`GET /v1/models/{id}`), with the fields
 * each SDK reads: OpenAI and Azure `{ id, object: "model", created, owned_by }`; Anthropic
 * `{ type: "model", id, display_name, created_at }`; Mistral's model card (`type: "base"`,
 * `capabilities`, `max_context_length`: its SDK validates them).
 */
export function modelBody(kind: MockProviderKind, id: string, created: number): Record<string, unknown> {
  switch (kind) {
    case "anthropic":
      return {
        type: "model",
        id,
        display_name: id,
        created_at: new Date(created * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      };
    case "mistral":
      return {
        id,
        object: "model",
        created,
        owned_by: "mistralai",
        capabilities: { completion_chat: true, function_calling: true, completion_fim: false, vision: false },
        name: id,
        description: `Mock model ${id}`,
        max_context_length: 131072,
        aliases: [],
        deprecation: null,
        default_model_temperature: 0.3,
        type: "base",
      };
    default:
      return { id, object: "model", created, owned_by: kind === "azure" ? "system" : "openai" };
  }
}

/** The first (and only) page of the models list (`GET /v1/models`), in each provider's envelope. */
export function modelListBody(kind: MockProviderKind, ids: readonly string[], created: number): unknown {
  const data = ids.map((id) => modelBody(kind, id, created));
  if (kind === "anthropic")
    return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null };
  if (kind === "mistral") return { object: "list", data };
  return { object: "list", data };
}
