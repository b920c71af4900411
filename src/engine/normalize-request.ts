import { z } from "zod";
import { InvalidRequestError } from "../errors/invalid-request-error.js";
import { findHeaderIssues } from "../internal/find-header-issues.js";
import { formatZodIssues } from "../internal/format-zod-issues.js";
import type { ChatRequest } from "../spec/chat.js";
import type { JsonSchema, ProviderRequest, ProviderTool } from "../spec/request.js";
import { findForeignMessageShapes } from "./find-foreign-message-shapes.js";
import { findImageIssue } from "./find-image-issues.js";
import { findSchemaIssue } from "./find-schema-issue.js";
import { isStrictCompatible } from "./is-strict-compatible.js";

const imagePart = z.strictObject({
  type: z.literal("image"),
  image: z.union([z.string().min(1), z.instanceof(URL), z.instanceof(Uint8Array)]),
  mediaType: z.string().optional(),
});
const textPart = z.strictObject({ type: z.literal("text"), text: z.string() });
const toolCall = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.unknown(),
  rawArguments: z.string().optional(),
});
const message = z.discriminatedUnion("role", [
  z.strictObject({ role: z.literal("system"), content: z.string() }),
  z.strictObject({
    role: z.literal("user"),
    content: z.union([z.string(), z.array(z.union([textPart, imagePart])).min(1)]),
  }),
  z.strictObject({
    role: z.literal("assistant"),
    content: z.string().nullish(),
    toolCalls: z.array(toolCall).optional(),
  }),
  z.strictObject({
    role: z.literal("tool"),
    toolCallId: z.string().min(1),
    toolName: z.string().optional(),
    content: z.string(),
  }),
]);
const isZod = (value: unknown): value is z.ZodType => value instanceof z.ZodType;
/** A zod 4 schema or a JSON Schema object; anything else is refused with why (see `findSchemaIssue`). */
const schemaOption = z.unknown().superRefine((value, ctx) => {
  const issue = findSchemaIssue(value);
  if (issue) ctx.addIssue({ code: "custom", message: issue });
}) as unknown as z.ZodType<z.ZodType | JsonSchema>;
const toolDefinition = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "tool names are 1-64 letters, digits, '_' or '-'"),
  description: z.string().optional(),
  parameters: schemaOption,
});

/** The schema of a `chat()` / `stream()` request (`isPlainRequest` is held to it by a property test). */
export const requestSchema = z.strictObject({
  messages: z.array(message).min(1, "at least one message is required"),
  tools: z.array(toolDefinition).optional(),
  toolChoice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.strictObject({ type: z.literal("tool"), name: z.string() }),
    ])
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  maxTokens: z.number().int().positive().optional(),
  stop: z.array(z.string()).max(16).optional(),
  schema: schemaOption.optional(),
  responseFormat: z
    .union([
      z.strictObject({ type: z.literal("json") }),
      z.strictObject({
        type: z.literal("json_schema"),
        name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        schema: z.record(z.string(), z.unknown()),
        strict: z.boolean().optional(),
      }),
    ])
    .optional(),
  schemaName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  models: z.record(z.string(), z.string().min(1)).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, "expected an AbortSignal")
    .optional(),
  policy: z.unknown().optional(),
});

/**
 * A plain object the hand check can read in full: only enumerable string keys (a symbol or a hidden
 * key is something the schema reads and the hand check would not), and no own `constructor`
 * (which zod's record check looks at). Anything else is left to the schema.
 */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    !Object.hasOwn(value, "constructor") &&
    Reflect.ownKeys(value).length === Object.keys(value).length
  );
};

const isPlainMessage = (message: unknown): boolean => {
  if (!isPlainObject(message)) return false;
  const { role, content } = message;
  return (
    (role === "user" || role === "system" || role === "assistant") &&
    typeof content === "string" &&
    Object.keys(message).length === 2
  );
};

/** An array of `min`…`max` items that all pass `test` (holes fail, as in the schema). */
const everyItem = (
  value: unknown,
  test: (item: unknown) => boolean,
  min: number,
  max = Infinity,
): boolean => {
  if (!Array.isArray(value) || value.length < min || value.length > max) return false;
  for (let i = 0; i < value.length; i++) if (!test(value[i])) return false;
  return true;
};

/** A plain object whose own values all pass `test`. */
const everyValue = (value: unknown, test: (item: unknown) => boolean): boolean =>
  isPlainObject(value) && Object.values(value).every(test);

const inRange = (value: unknown, max: number): boolean =>
  value === undefined || (typeof value === "number" && value >= 0 && value <= max);

/**
 * The common request — text messages, the usual numbers, per-provider body fields and models (the
 * drop-in's) — checked by hand, so the schema runs only on anything else: a request crosses this
 * once per call, before it is sent. Every request this accepts the schema accepts too (a property
 * test holds it to that); whatever it does not know it leaves to the schema, which also words the
 * errors.
 */
export const isPlainRequest = (request: unknown): boolean => {
  if (!isPlainObject(request) || !everyItem(request.messages, isPlainMessage, 1)) return false;
  for (const key of Object.keys(request)) {
    const value = request[key];
    switch (key) {
      case "messages":
      case "policy":
        break;
      case "maxTokens":
        if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) return false;
        break;
      case "temperature":
        if (!inRange(value, 2)) return false;
        break;
      case "topP":
        if (!inRange(value, 1)) return false;
        break;
      case "stop":
        if (value !== undefined && !everyItem(value, (s) => typeof s === "string", 0, 16)) return false;
        break;
      case "signal":
        if (value !== undefined && !(value instanceof AbortSignal)) return false;
        break;
      case "models":
        if (value !== undefined && !everyValue(value, (m) => typeof m === "string" && m !== "")) return false;
        break;
      case "providerOptions":
        if (value !== undefined && !everyValue(value, isPlainObject)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
};

/**
 * Converts a zod schema to the JSON Schema providers accept (no `$schema` key). Tool parameters use
 * the input shape (what the model must send); response schemas the output shape, which closes
 * objects (`additionalProperties: false`) as strict structured output requires.
 */
export const toJsonSchema = (
  schema: z.ZodType | JsonSchema,
  io: "input" | "output" = "input",
): JsonSchema => {
  if (!isZod(schema)) return schema;
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return json;
};

/** A request validated once per call, with schemas converted once; `forProvider` builds each attempt's request. */
export interface NormalizedRequest {
  request: ChatRequest;
  tools: ProviderTool[] | undefined;
  responseFormat: ProviderRequest["responseFormat"];
  forProvider(providerName: string, defaultModel: string): ProviderRequest;
}

/**
 * Validates a `chat()` / `stream()` request; throws `InvalidRequestError` naming each bad field.
 * Everything that would fail on every provider before a request leaves the process is refused here,
 * so it never reaches an adapter (and never counts against a provider): malformed fields, images
 * that are not URLs / bytes / base64, headers that cannot be sent.
 */
export const normalizeRequest = (request: ChatRequest): NormalizedRequest => {
  // A plain request has no foreign shapes (only text messages with role and content) and passes
  // the schema: anything else gets the full checks, which word the errors.
  if (!isPlainRequest(request)) {
    const foreign = findForeignMessageShapes((request as { messages?: unknown } | null)?.messages);
    if (foreign.length > 0) throw new InvalidRequestError(foreign);
    const parsed = requestSchema.safeParse(request);
    if (!parsed.success)
      throw new InvalidRequestError(formatZodIssues(parsed.error, "request", requestSchema));
  }
  const issues: string[] = [];
  const tools = request.tools?.map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    parameters: toJsonSchema(tool.parameters),
  }));
  if (request.toolChoice && typeof request.toolChoice === "object") {
    const name = request.toolChoice.name;
    if (!tools?.some((t) => t.name === name)) issues.push(`request.toolChoice.name: no tool named "${name}"`);
  }
  if (request.schema && request.responseFormat) {
    issues.push("request.responseFormat: give either `schema` or `responseFormat`, not both");
  }
  request.messages.forEach((message, i) => {
    if (message.role !== "user" || typeof message.content === "string") return;
    message.content.forEach((part, j) => {
      const issue = part.type === "image" ? findImageIssue(part.image) : undefined;
      if (issue) issues.push(`request.messages.${i}.content.${j}.image: ${issue}`);
    });
  });
  if (request.headers) issues.push(...findHeaderIssues(request.headers, "request.headers"));
  if (issues.length > 0) throw new InvalidRequestError(issues);
  const responseSchema = request.schema ? toJsonSchema(request.schema, "output") : undefined;
  const responseFormat: ProviderRequest["responseFormat"] = request.responseFormat
    ? request.responseFormat
    : request.schema
      ? {
          type: "json_schema",
          name: request.schemaName ?? "response",
          schema: responseSchema!,
          strict: isStrictCompatible(responseSchema),
        }
      : undefined;

  return {
    request,
    tools,
    responseFormat,
    forProvider(providerName, defaultModel) {
      const out: ProviderRequest = {
        model: request.models?.[providerName] ?? defaultModel,
        messages: request.messages,
      };
      if (tools) out.tools = tools;
      if (request.toolChoice !== undefined) out.toolChoice = request.toolChoice;
      if (request.temperature !== undefined) out.temperature = request.temperature;
      if (request.topP !== undefined) out.topP = request.topP;
      if (request.maxTokens !== undefined) out.maxTokens = request.maxTokens;
      if (request.stop !== undefined) out.stop = request.stop;
      if (responseFormat) out.responseFormat = responseFormat;
      const extra = request.providerOptions?.[providerName];
      if (extra) out.extra = extra;
      if (request.headers) out.headers = request.headers;
      return out;
    },
  };
};
