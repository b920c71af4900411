import { spaceDimensions } from "../../../engine/embedding-space.js";
import { embedCallModelsKey } from "../../../engine/normalize-embed-request.js";
import { InvalidRequestError } from "../../../errors/invalid-request-error.js";
import { type DropInCore, normalizeHeaders } from "../create-chat-completion.js";
import { FailoverAPIPromise } from "../failover-api-promise.js";
import { attachFailoverInfo, type FailoverInfo } from "../failover-info.js";
import { embeddingsRenames, nameIssuesAsParams } from "../name-issues-as-params.js";
import { synthesizeResponsesResponse } from "../responses/synthesize-responses-response.js";
import type { OpenAIRequestOptions } from "../wire-types.js";
import { type EmbeddingsRouting, routeEmbeddingsParams } from "./convert-embeddings-params.js";
import { convertToEmbeddingResponse } from "./convert-to-embedding-response.js";
import { attachEmbeddingsCall, type EmbeddingsCall } from "./embeddings-call.js";

/** What every wrapped client shares for embedding calls, besides the chat core. */
export interface EmbeddingsCore extends DropInCore {
  embeddings: EmbeddingsRouting;
}

/**
 * `embeddings.create` under failover, for one wrapped client (`client` is the SDK client the
 * primary uses for these calls). A call whose vectors a fallback can make in the same space (see
 * `routeEmbeddingsParams`) fails over; any other goes to the primary alone — still with the
 * engine's deadlines, retries, breaker and events — and `getFailoverInfo(result).primaryOnly` says
 * why. The primary's answer is the SDK's own, untouched; a fallback's is a genuine
 * `CreateEmbeddingResponse` (base64 when the app asked for it).
 */
export const createEmbeddingHandler =
  (core: EmbeddingsCore, client: object) =>
  (params: Record<string, unknown>, requestOptions?: unknown): unknown => {
    let signal: AbortSignal | undefined;
    const data = (async () => {
      let route: ReturnType<typeof routeEmbeddingsParams>;
      try {
        route = routeEmbeddingsParams(params, core.embeddings);
      } catch (error) {
        // Params that cannot even be read (a getter that throws…): the caller's request error.
        const kind = error instanceof Error ? error.name : typeof error;
        throw new InvalidRequestError([`params: cannot be read (${kind})`]);
      }
      if (route.kind === "refuse") throw new InvalidRequestError(route.issues);
      // The SDK accepts request options as a promise too.
      const options = ((await requestOptions) ?? {}) as OpenAIRequestOptions;
      const call: EmbeddingsCall = { client, params };
      const expected =
        route.kind === "failover" && core.embeddings.space
          ? spaceDimensions({ model: core.embeddings.space.model, dimensions: route.request.dimensions })
          : (params.dimensions as number | undefined);
      if (expected !== undefined) call.expectedDimensions = expected;
      const headers = normalizeHeaders(options.headers);
      if (headers) call.headers = headers;
      if (typeof options.timeout === "number" && options.timeout > 0) call.timeoutMs = options.timeout;
      const { request } = route;
      request.providerOptions = { [core.primaryName]: attachEmbeddingsCall({}, call) };
      // The primary's attempts are recorded under the app's model (its health, its attempts).
      Object.defineProperty(request, embedCallModelsKey, {
        value: { [core.primaryName]: params.model },
        enumerable: false,
      });
      signal = options.signal ?? undefined;
      if (signal) request.signal = signal;
      const result = await core.engine.embed(request);
      const fromPrimary = result.provider === core.primaryName;
      const response =
        fromPrimary && typeof result.raw === "object" && result.raw !== null
          ? result.raw
          : convertToEmbeddingResponse(result, params.encoding_format === "base64");
      const info: FailoverInfo = {
        provider: result.provider,
        model: result.model,
        attempts: result.attempts,
        failedOver: !fromPrimary,
      };
      if (route.kind === "primary-only") info.primaryOnly = route.reasons;
      if (result.excluded.length > 0) info.excluded = result.excluded;
      return attachFailoverInfo(response, info);
    })().catch((error: unknown) => {
      throw core.mapError(nameIssuesAsParams(error, params, embeddingsRenames), signal);
    });
    return new FailoverAPIPromise(data, synthesizeResponsesResponse);
  };
