import { describe, expect, it } from "vitest";
import { ConfigError, isConfigError } from "../../../src/errors/config-error.js";
import { acquireClient, secretsForCall } from "../../../src/providers/shared/acquire-client.js";

const context = { provider: "p", model: "m", secrets: ["opensesame-4242"] };

describe("acquireClient", () => {
  it("returns the client; a missing SDK stays a ConfigError", async () => {
    expect(await acquireClient(() => "client", context, "openai")).toBe("client");
    const error = await acquireClient(
      () => Promise.reject(new ConfigError(["x: y"])),
      context,
      "openai",
    ).catch((e: unknown) => e);
    expect(isConfigError(error)).toBe(true);
  });

  it("any other failure to build the client is an auth failure, its text sanitized", async () => {
    const error = await acquireClient(
      () => {
        throw new Error("The OPENAI_API_KEY environment variable is missing (had opensesame-4242)");
      },
      context,
      "openai",
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ProviderError", failureClass: "auth" });
    expect((error as Error).message).not.toContain("opensesame-4242");
  });
});

describe("secretsForCall", () => {
  it("adds a call's credential headers to the known secrets", () => {
    const known = ["opensesame-4242"];
    expect(secretsForCall(known, undefined)).toBe(known);
    expect(secretsForCall(known, { authorization: "Bearer call-token-1", "x-trace": "abc" })).toEqual([
      "opensesame-4242",
      "Bearer call-token-1",
      "call-token-1",
    ]);
  });
});
