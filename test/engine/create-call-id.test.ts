import { describe, expect, it } from "vitest";
import { createCallId } from "../../src/engine/create-call-id.js";

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("createCallId", () => {
  it("gives UUID-shaped ids (they fit a uuid column), each different", () => {
    const ids = Array.from({ length: 5_000 }, createCallId);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(UUID_SHAPE);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("shares the random part within the process and counts in the last 12 digits", () => {
    const a = createCallId();
    const b = createCallId();
    expect(a.slice(0, 24)).toBe(b.slice(0, 24));
    expect(Number.parseInt(b.slice(24), 16) - Number.parseInt(a.slice(24), 16)).toBe(1);
  });
});
