import { z } from "zod";

/**
 * Why a `schema` or tool `parameters` value cannot be used, or undefined when it can: a zod 4
 * schema (any copy of zod 4's classic API) or a plain JSON Schema object. Anything else would be
 * sent to providers as the JSON of its internals — a zod 3 schema's `_def`, a validator's
 * methods — and answered with nonsense, so it is refused before anything is sent.
 *
 * Standard Schema validators (Valibot, ArkType, Effect Schema…) are refused too, by decision: a
 * provider needs a JSON Schema, which the Standard Schema interface does not give, and validating
 * with one schema what was generated from another is how replies silently stop matching. Their
 * JSON Schema (e.g. from Standard JSON Schema, `~standard.jsonSchema`) can be passed instead.
 */
export const findSchemaIssue = (value: unknown): string | undefined => {
  if (value instanceof z.ZodType) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "expected a zod 4 schema or a JSON Schema object";
  const v = value as Record<string, unknown>;
  if (typeof v._def === "object" && v._def !== null && !("_zod" in v))
    return 'a zod 3 schema: ai-failover reads zod 4 schemas (npm install zod@4, or import { z } from "zod/v4" with zod 3.25)';
  if (typeof v._zod === "object" && v._zod !== null)
    return 'a zod schema that is not from zod 4\'s classic API (zod/mini or zod/v4/core): use import { z } from "zod"';
  // A validator carries `~standard` as its own field. A JSON Schema object may carry it hidden
  // (non-enumerable: zod's JSON Schema output, as the AI SDK passes tool schemas), never serialized.
  const standard = Object.prototype.propertyIsEnumerable.call(v, "~standard") ? v["~standard"] : undefined;
  if (typeof standard === "object" && standard !== null) {
    const vendor = (standard as { vendor?: unknown }).vendor;
    const name = typeof vendor === "string" && /^[\w.-]{1,40}$/.test(vendor) ? ` (${vendor})` : "";
    return `a Standard Schema validator${name}, not zod 4: pass its JSON Schema instead (with Standard JSON Schema: schema["~standard"].jsonSchema.output({ target: "draft-2020-12" })) and validate the reply yourself`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    return "expected a zod 4 schema or a plain JSON Schema object (got an instance of a class)";
  return undefined;
};
