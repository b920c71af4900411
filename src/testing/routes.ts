import type { MockProviderKind } from "./types.js";

/** A matched endpoint. */
export interface RouteMatch {
  /** Azure deployment from the path, if any. */
  deployment?: string;
  /**
   * `"responses"` for OpenAI's Responses API (`POST /v1/responses`), `"embeddings"` for the
   * embeddings endpoint (OpenAI, Azure, Mistral), `"models"` for the models API (`GET /v1/models`,
   * `GET /v1/models/{id}`: what `verify()` calls); chat otherwise.
   */
  api?: "responses" | "embeddings" | "models";
  /** The model id of `GET …/models/{id}`; undefined for the list. */
  modelId?: string;
  /** The model named in the path (Google), if any. */
  model?: string;
  /** Whether the path asks for a stream (Google's `:streamGenerateContent`), when the path says. */
  stream?: boolean;
}

const AZURE_DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;
const AZURE_EMBEDDINGS = /^\/openai\/deployments\/([^/]+)\/embeddings$/;
const GOOGLE_METHOD = /^\/v1(?:beta)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/**
 * Matches the chat endpoint each SDK calls, and for OpenAI and Azure the Responses endpoint too;
 * anything else is answered with a 404 in the provider's shape. Azure's deployment and
 * dated-version paths require `api-version`, as the real service does.
 */
export function matchRoute(kind: MockProviderKind, method: string, url: string): RouteMatch | undefined {
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
  if (method === "GET") return matchModelsRoute(kind, pathname, q === -1 ? "" : url.slice(q + 1));
  if (method !== "POST") return undefined;
  const responses = matchResponsesRoute(kind, pathname, q === -1 ? "" : url.slice(q + 1));
  if (responses) return responses;
  const embeddings = matchEmbeddingsRoute(kind, pathname, q === -1 ? "" : url.slice(q + 1));
  if (embeddings) return embeddings;
  switch (kind) {
    case "openai":
      return pathname === "/v1/chat/completions" || pathname === "/chat/completions" ? {} : undefined;
    case "mistral":
      return pathname === "/v1/chat/completions" ? {} : undefined;
    case "anthropic":
      return pathname === "/v1/messages" ? {} : undefined;
    case "azure": {
      if (pathname === "/openai/v1/chat/completions") return {};
      const m = AZURE_DEPLOYMENT.exec(pathname);
      if (!m || q === -1 || !new URLSearchParams(url.slice(q + 1)).get("api-version")) return undefined;
      return { deployment: decodeURIComponent(m[1]!) };
    }
    case "google": {
      // Only the SSE form of the stream is spoken (what the AI SDK and google-genai request).
      const m = GOOGLE_METHOD.exec(pathname);
      if (!m) return undefined;
      const stream = m[2] === "streamGenerateContent";
      if (stream && (q === -1 || new URLSearchParams(url.slice(q + 1)).get("alt") !== "sse"))
        return undefined;
      return { model: decodeURIComponent(m[1]!), stream };
    }
  }
}

const MODELS_PATHS: Record<MockProviderKind, RegExp | undefined> = {
  // OpenAI-compatible servers are often mounted without `/v1`.
  openai: /^(?:\/v1)?\/models(?:\/(.+))?$/,
  // `/openai/models` needs `api-version` (checked below); `/openai/v1/models` does not.
  azure: /^\/openai(?:\/v1)?\/models(?:\/(.+))?$/,
  anthropic: /^\/v1\/models(?:\/(.+))?$/,
  mistral: /^\/v1\/models(?:\/(.+))?$/,
  google: undefined,
};

/**
 * The models API: `GET /v1/models` (the list) and `GET /v1/models/{id}` for OpenAI, Anthropic and
 * Mistral; `GET /openai/models[/{id}]?api-version=…` and `/openai/v1/models[/{id}]` for Azure.
 */
function matchModelsRoute(kind: MockProviderKind, pathname: string, query: string): RouteMatch | undefined {
  const m = MODELS_PATHS[kind]?.exec(pathname);
  if (!m) return undefined;
  if (
    kind === "azure" &&
    !pathname.startsWith("/openai/v1/") &&
    !new URLSearchParams(query).get("api-version")
  )
    return undefined;
  return m[1] === undefined ? { api: "models" } : { api: "models", modelId: decodeURIComponent(m[1]) };
}

/** `POST /v1/responses` (OpenAI), `/openai/v1/responses` or `/openai/responses?api-version=…` (Azure). */
function matchResponsesRoute(
  kind: MockProviderKind,
  pathname: string,
  query: string,
): RouteMatch | undefined {
  if (kind === "openai" && (pathname === "/v1/responses" || pathname === "/responses"))
    return { api: "responses" };
  if (kind !== "azure") return undefined;
  if (pathname === "/openai/v1/responses") return { api: "responses" };
  if (pathname === "/openai/responses" && new URLSearchParams(query).get("api-version"))
    return { api: "responses" };
  return undefined;
}

/**
 * The embeddings endpoint: `POST /v1/embeddings` (OpenAI, Mistral), Azure's
 * `/openai/deployments/<dep>/embeddings?api-version=…` and `/openai/v1/embeddings`.
 */
function matchEmbeddingsRoute(
  kind: MockProviderKind,
  pathname: string,
  query: string,
): RouteMatch | undefined {
  if (kind === "openai" && (pathname === "/v1/embeddings" || pathname === "/embeddings"))
    return { api: "embeddings" };
  if (kind === "mistral" && pathname === "/v1/embeddings") return { api: "embeddings" };
  if (kind !== "azure") return undefined;
  if (pathname === "/openai/v1/embeddings") return { api: "embeddings" };
  const m = AZURE_EMBEDDINGS.exec(pathname);
  if (!m || !new URLSearchParams(query).get("api-version")) return undefined;
  return { api: "embeddings", deployment: decodeURIComponent(m[1]!) };
}

/** What to pass to the SDK as its base URL / endpoint / serverURL (Google: with `/v1beta`, as `@ai-sdk/google` wants). */
export function baseURLFor(kind: MockProviderKind, origin: string): string {
  if (kind === "google") return `${origin}/v1beta`;
  return kind === "openai" ? `${origin}/v1` : origin;
}

/** Model reported when neither the options nor the request name one. */
export const DEFAULT_MODEL: Record<MockProviderKind, string> = {
  openai: "gpt-4o-mini",
  azure: "gpt-4o-mini",
  anthropic: "claude-sonnet-5-5",
  mistral: "mistral-small-latest",
  google: "gemini-2.5-flash",
};
