import type { z } from "zod";
import { suggestKey } from "./suggest-key.js";

/**
 * Turns zod issues into `path: message` lines that name the field the way code writes it, e.g.
 * `providers[1].model: Invalid input: expected string, received undefined`. Values are never
 * echoed (they may be keys or prompt text). With the `schema` that failed, an unknown key names
 * the near miss: `withFailover: unknown option "fallback" (did you mean "fallbacks"?)`.
 */
export const formatZodIssues = (
  error: z.ZodError,
  prefix = "",
  schema?: z.ZodType,
  /** What to say about a key that belongs elsewhere (`maxRetries` on a provider: the engine's). */
  hints: Readonly<Record<string, string>> = {},
): string[] =>
  error.issues.flatMap((issue) => {
    const path = formatPath(prefix, issue.path);
    if (issue.code !== "unrecognized_keys") return [`${path}: ${issue.message}`];
    const known = schema ? knownKeysAt(schema, issue.path) : undefined;
    return issue.keys.map((key) => {
      const hint = Object.hasOwn(hints, key) ? ` (${hints[key]})` : known ? hintFor(key, known) : "";
      return `${path}: unknown option ${JSON.stringify(key)}${hint}`;
    });
  });

/** `prefix` and the path segments as code writes them: `a.b[0]["gpt-4.1"]`. */
export const formatPath = (prefix: string, segments: readonly PropertyKey[]): string => {
  let out = prefix;
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment))
      out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || "(root)";
};

/** Keys an object schema knows, with the keys of its object-valued fields (for `retry.maxRetries`). */
interface KnownKeys {
  keys: string[];
  nested: string[];
}

const hintFor = (key: string, known: KnownKeys): string => {
  const near = suggestKey(key, known.keys) ?? suggestKey(key, known.nested, { lastSegment: true });
  if (near) return ` (did you mean ${JSON.stringify(near)}?)`;
  return known.keys.length <= 12 ? ` (expected one of: ${known.keys.join(", ")})` : "";
};

type Def = {
  type?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
};

const defOf = (schema: unknown): Def =>
  ((schema as { _zod?: { def?: Def } } | undefined)?._zod?.def ?? {}) as Def;

/** The object schemas a value at `path` may be checked against (through optionals, arrays, unions…). */
const schemasAt = (schema: z.ZodType, path: readonly PropertyKey[], depth = 0): z.ZodType[] => {
  if (depth > 32) return [];
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
    case "catch":
      return def.innerType ? schemasAt(def.innerType, path, depth + 1) : [];
    case "pipe":
      return def.in ? schemasAt(def.in, path, depth + 1) : [];
    case "lazy":
      return def.getter ? schemasAt(def.getter(), path, depth + 1) : [];
    case "union":
      return (def.options ?? []).flatMap((option) => schemasAt(option, path, depth + 1));
    default:
      break;
  }
  if (path.length === 0) return def.type === "object" ? [schema] : [];
  const [head, ...rest] = path;
  if (def.type === "object" && typeof head === "string" && def.shape?.[head])
    return schemasAt(def.shape[head], rest, depth + 1);
  if (def.type === "array" && typeof head === "number" && def.element)
    return schemasAt(def.element, rest, depth + 1);
  if (def.type === "record" && def.valueType) return schemasAt(def.valueType, rest, depth + 1);
  return [];
};

const objectKeys = (schema: z.ZodType): string[] => Object.keys(defOf(schema).shape ?? {});

const knownKeysAt = (schema: z.ZodType, path: readonly PropertyKey[]): KnownKeys | undefined => {
  const objects = schemasAt(schema, path);
  if (objects.length === 0) return undefined;
  const keys = [...new Set(objects.flatMap(objectKeys))];
  const nested = objects.flatMap((object) =>
    Object.entries(defOf(object).shape ?? {}).flatMap(([key, field]) =>
      schemasAt(field, []).flatMap((inner) => objectKeys(inner).map((child) => `${key}.${child}`)),
    ),
  );
  return { keys, nested: [...new Set(nested)] };
};
