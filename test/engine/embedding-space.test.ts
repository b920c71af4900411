import { describe, expect, it } from "vitest";
import { describeSpace, findSpaceConflicts, isSameSpace } from "../../src/engine/embedding-space.js";

describe("isSameSpace: the same model at the same length", () => {
  it.each([
    [
      { model: "text-embedding-3-small", dimensions: undefined },
      { model: "text-embedding-3-small", dimensions: 1536 },
      true,
    ],
    [
      { model: "text-embedding-3-small", dimensions: 512 },
      { model: "text-embedding-3-small", dimensions: 512 },
      true,
    ],
    [
      { model: "text-embedding-3-small", dimensions: 512 },
      { model: "text-embedding-3-small", dimensions: undefined },
      false,
    ],
    [
      { model: "text-embedding-3-small", dimensions: 1536 },
      { model: "text-embedding-ada-002", dimensions: 1536 },
      false,
    ],
    [
      { model: "nomic-embed-text", dimensions: undefined },
      { model: "nomic-embed-text", dimensions: undefined },
      true,
    ],
    // A model whose own length is unknown: a declared length is not assumed to be it.
    [
      { model: "nomic-embed-text", dimensions: 768 },
      { model: "nomic-embed-text", dimensions: undefined },
      false,
    ],
  ])("%o vs %o: %s", (a, b, same) => {
    expect(isSameSpace(a, b)).toBe(same);
    expect(isSameSpace(b, a)).toBe(same);
  });

  it("describes a space by model and length", () => {
    expect(describeSpace({ model: "text-embedding-3-large", dimensions: undefined })).toBe(
      "text-embedding-3-large (3072 dims)",
    );
    expect(describeSpace({ model: "custom", dimensions: undefined })).toBe("custom (its own length)");
  });
});

describe("findSpaceConflicts", () => {
  it("names each declaration that is not the first one's space, and why", () => {
    const issues = findSpaceConflicts([
      { label: "fallbacks.0 (azure)", space: { model: "text-embedding-3-small", dimensions: undefined } },
      { label: "fallbacks.1 (compat)", space: { model: "text-embedding-3-small", dimensions: 1536 } },
      { label: "fallbacks.2 (mistral)", space: { model: "mistral-embed", dimensions: undefined } },
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain("fallbacks.2 (mistral): embeddings in mistral-embed (1024 dims)");
    expect(issues[0]).toContain("than fallbacks.0 (azure)'s text-embedding-3-small (1536 dims)");
    expect(issues[0]).toContain("silently useless");
    expect(findSpaceConflicts([])).toEqual([]);
  });
});
