import { describe, expect, it } from "vitest";
import { isConfigError } from "../../../src/errors/config-error.js";
import { createLazyClient } from "../../../src/providers/shared/create-lazy-client.js";

describe("createLazyClient", () => {
  it("builds once, on first use", async () => {
    let builds = 0;
    const get = createLazyClient("openai", async () => ({ n: ++builds }));
    expect(builds).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(builds).toBe(1);
  });

  it("does not cache a failure, and names the package to install when it is missing", async () => {
    let attempts = 0;
    const get = createLazyClient("openai", async () => {
      attempts++;
      if (attempts === 1)
        throw Object.assign(new Error("Cannot find package 'openai'"), { code: "ERR_MODULE_NOT_FOUND" });
      return "client";
    });
    const error = await get().catch((e: unknown) => e);
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain(
      "the optional peer dependency 'openai' is not installed (npm install openai)",
    );
    expect(await get()).toBe("client");
  });
});
