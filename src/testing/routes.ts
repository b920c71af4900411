import type { MockProviderKind } from "./types.js";

/** A matched chat endpoint. */
export interface RouteMatch {
  /** Azure deployment from the path, if any. */
  deployment?: string;
}

const AZURE_DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/**
 * Matches the chat endpoint each SDK calls; anything else is answered with a 404 in the
 * provider's shape. Azure's deployment path requires `api-version`, as the real service does.
 */
export function matchRoute(kind: MockProviderKind, method: string, url: string): RouteMatch | undefined {
  if (method !== "POST") return undefined;
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
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
  }
}

/** What to pass to the SDK as its base URL / endpoint / serverURL. */
export function baseURLFor(kind: MockProviderKind, origin: string): string {
  return kind === "openai" ? `${origin}/v1` : origin;
}

/** Model reported when neither the options nor the request name one. */
export const DEFAULT_MODEL: Record<MockProviderKind, string> = {
  openai: "gpt-4o-mini",
  azure: "gpt-4o-mini",
  anthropic: "claude-sonnet-5-5",
  mistral: "mistral-small-latest",
};
