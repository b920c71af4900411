import { describe, expect, it } from "vitest";
import { isProviderError } from "../../../src/errors/provider-error.js";
import { decodeEmbedding, decodeEmbeddings } from "../../../src/providers/shared/decode-embeddings.js";

const context = { provider: "p", model: "m" };
const base64Of = (values: number[]): string => {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => {
    bytes.writeFloatLE(v, i * 4);
  });
  return bytes.toString("base64");
};
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

describe("decodeEmbedding", () => {
  it.each([
    ["numbers, as they are", [0.5, -1, 0], [0.5, -1, 0]],
    ["base64 little-endian float32s", base64Of([0.5, -1, 0.25]), [0.5, -1, 0.25]],
    ["a byte length that is not a multiple of 4", Buffer.from([1, 2, 3]).toString("base64"), undefined],
    ["text that is not base64", "not base64!", undefined],
    ["an empty string", "", undefined],
    // An array is taken as it is: the engine checks every value once (see EmbedAttempt).
    ["an array, as it is", [1, "2"], [1, "2"]],
    ["an object", { 0: 1 }, undefined],
  ])("%s", (_name, value, expected) => {
    expect(decodeEmbedding(value)).toEqual(expected);
  });
});

describe("decodeEmbeddings", () => {
  it("orders by index when every entry has a distinct one, else keeps the listed order", () => {
    const shuffled = [
      { index: 1, embedding: [2] },
      { index: 0, embedding: [1] },
    ];
    expect(decodeEmbeddings(shuffled, undefined, context)).toEqual([[1], [2]]);
    const duplicated = [
      { index: 0, embedding: [1] },
      { index: 0, embedding: [2] },
    ];
    expect(decodeEmbeddings(duplicated, undefined, context)).toEqual([[1], [2]]);
    expect(decodeEmbeddings([{ embedding: [3] }, { embedding: [4] }], undefined, context)).toEqual([
      [3],
      [4],
    ]);
  });

  it("a vector of another length than asked is an invalid_response (another space), as is garbage", () => {
    const wrongLength = thrown(() => decodeEmbeddings([{ index: 0, embedding: [1, 2] }], 3, context));
    expect(isProviderError(wrongLength) && wrongLength.failureClass).toBe("invalid_response");
    expect((wrongLength as Error).message).toContain("2-dimension vectors where 3 were expected");
    const garbage = thrown(() => decodeEmbeddings([{ index: 0, embedding: "%%%" }], undefined, context));
    expect(isProviderError(garbage) && garbage.failureClass).toBe("invalid_response");
  });
});
