/**
 * Options that cannot be read (a getter that throws, a revoked Proxy: a lazily loaded or disposed
 * config object) are the caller's ConfigError, naming the factory, never the raw error.
 */
import { describe, expect, it } from "vitest";
import { anthropic, isConfigError, mistral, openai, openaiCompatible } from "../../../src/index.js";

const hostile = (): object =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error("sk-secret in a getter");
      },
      ownKeys: () => {
        throw new Error("sk-secret in ownKeys");
      },
      getOwnPropertyDescriptor: () => {
        throw new Error("sk-secret in a descriptor");
      },
    },
  );

describe("unreadable provider options", () => {
  it.each([
    ["openai", openai],
    ["anthropic", anthropic],
    ["mistral", mistral],
    ["openaiCompatible", openaiCompatible],
  ] as const)("%s(options) throws a ConfigError", (name, factory) => {
    let thrown: unknown;
    try {
      (factory as (options: never) => unknown)(hostile() as never);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(name);
    expect((thrown as Error).message).not.toContain("sk-secret");
  });
});
