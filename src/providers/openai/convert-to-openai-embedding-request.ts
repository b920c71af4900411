import type { ProviderEmbedRequest } from "../../spec/embed.js";

/** How one provider of the OpenAI family asks for embeddings. */
export interface OpenAIEmbeddingSettings {
  /** The body's `model`: the model, or for Azure the deployment that runs it. */
  requestModel: string;
  /**
   * `"base64"`: a quarter of the bytes of the float text (OpenAI and Azure, and the SDK's own
   * default); `"float"`: for OpenAI-compatible servers, which may not know base64.
   */
  encoding: "base64" | "float";
}

/**
 * An embeddings request body: `model`, `input` (texts or token arrays), `encoding_format`, and
 * `dimensions` when one is asked for; the request's `extra` (per-call `providerOptions`) last.
 */
export const convertToOpenAIEmbeddingRequest = (
  request: ProviderEmbedRequest,
  settings: OpenAIEmbeddingSettings,
): Record<string, unknown> => {
  const body: Record<string, unknown> = {
    model: settings.requestModel,
    input: request.input,
    encoding_format: settings.encoding,
  };
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  if (request.extra) Object.assign(body, request.extra);
  return body;
};
