import { describe, expect, it } from "vitest";
import { reportsAnotherModel } from "../../src/engine/embedding-model-family.js";

describe("reportsAnotherModel", () => {
  it("tells two known embedding models apart, whatever the prefix, case or dated suffix", () => {
    expect(reportsAnotherModel("text-embedding-ada-002", "text-embedding-3-small")).toBe(true);
    expect(reportsAnotherModel("openai/text-embedding-3-large", "text-embedding-3-small")).toBe(true);
    expect(reportsAnotherModel("mistral-embed", "text-embedding-3-small")).toBe(true);
  });

  it("takes the same model under another spelling as the same", () => {
    for (const reported of [
      "text-embedding-3-small",
      "openai/text-embedding-3-small",
      "Text-Embedding-3-Small",
      "text-embedding-3-small-2024-01-25",
      "mistral-embed",
    ]) {
      const space = reported.toLowerCase().includes("mistral") ? "mistral-embed" : "text-embedding-3-small";
      expect(reportsAnotherModel(reported, space), reported).toBe(false);
    }
  });

  it("trusts a name it does not know, on either side, and an answer that names no model", () => {
    expect(reportsAnotherModel("emb-small-prod", "text-embedding-3-small")).toBe(false);
    expect(reportsAnotherModel("text-embedding-3-small", "my-deployment")).toBe(false);
    expect(reportsAnotherModel("", "text-embedding-3-small")).toBe(false);
    expect(reportsAnotherModel(undefined, "text-embedding-3-small")).toBe(false);
    // "text-embedding-3-smaller" is not a dated 3-small: unknown, so trusted.
    expect(reportsAnotherModel("text-embedding-3-smaller", "text-embedding-3-large")).toBe(false);
  });
});
