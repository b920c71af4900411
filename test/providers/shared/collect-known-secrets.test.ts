import { describe, expect, it } from "vitest";
import {
  clientSecrets,
  collectKnownSecrets,
  credentialHeaderValues,
  hasUrlCredentials,
  urlCredentials,
} from "../../../src/providers/shared/collect-known-secrets.js";

describe("collect-known-secrets", () => {
  it("reads credential headers by name, in every header shape; a bearer token also bare", () => {
    const record = {
      Authorization: "Bearer tok-123456",
      "x-portkey-api-key": "pk-gateway",
      "cf-aig-authorization": "aig-token-1",
      "anthropic-beta": "prompt-caching-2024-07-31",
      "x-team": "search",
    };
    expect(credentialHeaderValues(record)).toEqual([
      "Bearer tok-123456",
      "tok-123456",
      "pk-gateway",
      "aig-token-1",
    ]);
    expect(credentialHeaderValues(new Headers({ "api-key": "azure-key-1" }))).toEqual(["azure-key-1"]);
    expect(credentialHeaderValues([["x-api-key", "k-1"]])).toEqual(["k-1"]);
    expect(credentialHeaderValues(undefined)).toEqual([]);
  });

  it("reads credentials written into a URL; api-version is not one", () => {
    expect(
      urlCredentials("https://user:p%40ss@host/v1?api_key=abc123&api-version=2024-10-21&sig=s1"),
    ).toEqual(["user", "user", "p%40ss", "p@ss", "abc123", "s1"]);
    expect(hasUrlCredentials("https://res.openai.azure.com?api-version=2024-10-21")).toBe(false);
    expect(hasUrlCredentials("https://host/v1?token=x")).toBe(true);
    expect(urlCredentials("not a url")).toEqual([]);
  });

  it("reads what SDK clients hold: apiKey, authToken, default headers, base URL, Mistral's _options", () => {
    expect(
      clientSecrets({
        apiKey: "client-key-1",
        authToken: null,
        baseURL: "https://gw.example.com/v1?key=gw-secret",
        _options: { defaultHeaders: { "x-gateway-token": "gw-token-1" } },
      }),
    ).toEqual(["client-key-1", "gw-token-1", "gw-secret"]);
    expect(
      clientSecrets({ _options: { apiKey: "mistral-key-1", serverURL: "https://api.mistral.ai" } }),
    ).toEqual(["mistral-key-1"]);
    expect(clientSecrets({ _options: { apiKey: async () => "k" } })).toEqual([]);
  });

  it("keeps each secret of 6 characters or more once", () => {
    expect(collectKnownSecrets("abcdef", undefined, ["abcdef", "abc", "ghijkl"])).toEqual([
      "abcdef",
      "ghijkl",
    ]);
  });
});
