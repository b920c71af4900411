import type { JsonSchema } from "../spec/request.js";

/**
 * Whether a JSON Schema meets OpenAI's strict structured-output rules: every object closes its
 * properties (`additionalProperties: false`) and lists all of them in `required`. Sending
 * `strict: true` with a schema that does not comply is a 400 (a bad_request that cannot fall over),
 * so such schemas go out non-strict instead, and the reply is still validated by zod.
 */
export const isStrictCompatible = (schema: unknown): boolean => {
  if (Array.isArray(schema)) return schema.every(isStrictCompatible);
  if (typeof schema !== "object" || schema === null) return true;
  const node = schema as JsonSchema;
  const properties = node.properties;
  if (properties && typeof properties === "object") {
    if (node.additionalProperties !== false) return false;
    const required = Array.isArray(node.required) ? node.required : [];
    if (!Object.keys(properties).every((key) => required.includes(key))) return false;
  }
  return Object.entries(node).every(
    ([key, value]) => key === "required" || key === "enum" || key === "const" || isStrictCompatible(value),
  );
};
