import type { FailoverEmbedRequest } from "../../../engine/create-embedder.js";
import { describeSpace, spaceDimensions } from "../../../engine/embedding-space.js";
import type { EmbeddingSpace } from "../../../spec/embed.js";

/** The fields of `embeddings.create` params the drop-in knows. `user` reaches OpenAI only. */
const knownFields = new Set(["input", "model", "dimensions", "encoding_format", "user"]);

/** Where an embeddings call goes, decided before anything is sent. */
export type EmbeddingsRoute =
  | { kind: "failover"; request: FailoverEmbedRequest }
  /** The call cannot move to a fallback: the primary alone, with the reasons (`path: why`). */
  | { kind: "primary-only"; request: FailoverEmbedRequest; reasons: string[] }
  | { kind: "refuse"; issues: string[] };

/** What the drop-in knows of the embedding space when it routes a call. */
export interface EmbeddingsRouting {
  primaryName: string;
  /** The fallbacks' (and the primary's declared) space; undefined when none is declared. */
  space: EmbeddingSpace | undefined;
  /** The `model` the app names for that space (an Azure deployment, else the model itself). */
  requestModel: string | undefined;
  /** Providers of the space besides the primary (for the reason when there are none). */
  fallbacks: readonly string[];
}

/**
 * Routes `embeddings.create` params. A call fails over only when its vectors would be of the
 * fallbacks' space: the app names the space's model (Azure: its deployment) and asks for its length
 * (`dimensions`, or none when that is the model's own). Any other call — another model, another
 * length, a field the drop-in does not know (it might change the vectors) — goes to the primary
 * alone, with the reasons. Malformed params are refused (`InvalidRequestError`), nothing sent.
 */
export const routeEmbeddingsParams = (params: unknown, routing: EmbeddingsRouting): EmbeddingsRoute => {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    return { kind: "refuse", issues: ["params: expected an object"] };
  const fields = params as Record<string, unknown>;
  const issues: string[] = [];
  const { model, dimensions, encoding_format: encoding } = fields;
  if (typeof model !== "string" || model === "") issues.push("model: required");
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && (dimensions as number) > 0))
    issues.push("dimensions: expected a positive integer");
  if (encoding !== undefined && encoding !== "float" && encoding !== "base64")
    issues.push('encoding_format: expected "float" or "base64"');
  if (issues.length > 0) return { kind: "refuse", issues };

  const request: FailoverEmbedRequest = { input: fields.input as FailoverEmbedRequest["input"] };
  const reasons = reasonsToStay(fields, model as string, dimensions as number | undefined, routing);
  if (reasons.length > 0) {
    request.providers = [routing.primaryName];
    return { kind: "primary-only", request, reasons };
  }
  if (dimensions !== undefined) request.dimensions = dimensions as number;
  return { kind: "failover", request };
};

/** Why a call's vectors could not come from a fallback (empty: they can). */
const reasonsToStay = (
  fields: Record<string, unknown>,
  model: string,
  dimensions: number | undefined,
  routing: EmbeddingsRouting,
): string[] => {
  const { space, requestModel, primaryName } = routing;
  if (!space || routing.fallbacks.length === 0)
    return [
      "embeddings: no fallback declares an embedding space (their `embeddings` option), so no other provider can make vectors comparable with yours",
    ];
  const reasons: string[] = [];
  const where = `the fallbacks' embedding space, ${describeSpace(space)}`;
  if (model !== requestModel)
    reasons.push(
      `model: ${model} is not ${where}${requestModel !== space.model ? ` (named "${requestModel}" on ${primaryName})` : ""}: vectors of another model cannot be compared with it`,
    );
  else if (spaceDimensions({ model: space.model, dimensions }) !== spaceDimensions(space))
    reasons.push(
      `dimensions: ${dimensions ?? "the model's own length"} is not the length of ${where}: vectors of another length belong to another space`,
    );
  for (const key of Object.keys(fields)) {
    if (!knownFields.has(key))
      reasons.push(
        `${key}: unknown to the drop-in (it might change the vectors), so no fallback is sent the call`,
      );
  }
  return reasons;
};
