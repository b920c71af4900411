/**
 * `schema` and tool `parameters`: a zod 4 schema or a JSON Schema object. Anything else would be
 * sent as the JSON of its internals, so it is refused — before any provider is called.
 */

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { z as zm } from "zod/mini";
import { z as z3 } from "zod/v3";
import { createClient } from "../../src/engine/create-client.js";
import { findSchemaIssue } from "../../src/engine/find-schema-issue.js";
import { isInvalidRequestError } from "../../src/errors/invalid-request-error.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";

/** A Standard Schema validator as Valibot or ArkType make one (the interface is all that matters). */
const standardSchema = {
  "~standard": { version: 1, vendor: "valibot", validate: (value: unknown) => ({ value }) },
  type: "object",
};

describe("findSchemaIssue", () => {
  it("accepts zod 4 schemas and plain JSON Schema", () => {
    expect(findSchemaIssue(z.object({ city: z.string() }))).toBeUndefined();
    expect(findSchemaIssue({ type: "object", properties: { city: { type: "string" } } })).toBeUndefined();
    expect(findSchemaIssue(Object.assign(Object.create(null), { type: "object" }))).toBeUndefined();
    // zod's JSON Schema output (as the AI SDK hands tool schemas over) carries a hidden `~standard`.
    const json = Object.defineProperty({ type: "object" }, "~standard", { value: { vendor: "zod" } });
    expect(findSchemaIssue(json)).toBeUndefined();
  });

  it.each([
    ["a zod 3 schema", z3.object({ city: z3.string() }), /^a zod 3 schema: ai-failover reads zod 4 schemas/],
    ["a zod/mini schema", zm.object({ city: zm.string() }), /zod\/mini.*import \{ z \} from "zod"/],
    ["a Standard Schema validator", standardSchema, /^a Standard Schema validator \(valibot\), not zod 4/],
    ["a class instance", new Map(), /got an instance of a class/],
    ["an array", [], /expected a zod 4 schema or a JSON Schema object/],
    ["a string", "object", /expected a zod 4 schema or a JSON Schema object/],
  ])("refuses %s with the fix", (_name, value, message) => {
    expect(findSchemaIssue(value)).toMatch(message);
  });
});

describe("a request with a schema that is not one", () => {
  const messages = [{ role: "user" as const, content: "hi" }];

  it("is an InvalidRequestError naming the field, and nothing is sent", async () => {
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a] });
    const error = await client
      .chat({ messages, schema: z3.object({ city: z3.string() }) as never })
      .catch((e: unknown) => e);
    expect(isInvalidRequestError(error)).toBe(true);
    expect((error as Error).message).toContain("request.schema: a zod 3 schema");
    const tool = await client
      .chat({ messages, tools: [{ name: "lookup", parameters: standardSchema as never }] })
      .catch((e: unknown) => e);
    expect((tool as Error).message).toContain("request.tools[0].parameters: a Standard Schema validator");
    expect(a.calls).toBe(0);
  });
});
