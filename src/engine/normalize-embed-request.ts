import { z } from "zod";
import { InvalidRequestError } from "../errors/invalid-request-error.js";
import { findHeaderIssues } from "../internal/find-header-issues.js";
import { formatZodIssues } from "../internal/format-zod-issues.js";
import type { EmbedRequest, ProviderEmbedRequest } from "../spec/embed.js";
import type { ProviderSlot } from "./provider-slot.js";

const token = z.number().int("token ids are integers").nonnegative("token ids are not negative");
const text = z.string().min(1, "an input cannot be an empty string");

const embedRequestSchema = z.strictObject({
  input: z.union(
    [
      text,
      z.array(text).min(1, "at least one input is required"),
      z.array(token).min(1, "a token array cannot be empty"),
      z
        .array(z.array(token).min(1, "a token array cannot be empty"))
        .min(1, "at least one input is required"),
    ],
    { error: "expected a string, an array of strings, or token arrays (number[] / number[][])" },
  ),
  dimensions: z.number().int().positive().optional(),
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, "expected an AbortSignal")
    .optional(),
  policy: z.unknown().optional(),
  providers: z.unknown().optional(),
});

/**
 * The model each provider's attempts of one call are recorded under, when it is not its space's:
 * the drop-in's primary sends the app's own params, whose model may be another (a call that stays
 * on the primary). Rides on the request as a non-enumerable symbol property, never a public field:
 * a native call cannot change the model it embeds with.
 * @internal
 */
export const embedCallModelsKey: unique symbol = Symbol("ai-failover.embed-call-models") as never;

/** An `embed()` request validated once per call; `forProvider` builds each attempt's request. */
export interface NormalizedEmbedRequest {
  request: EmbedRequest;
  /** See {@link embedCallModelsKey}. */
  models: Readonly<Record<string, string>> | undefined;
  /** The inputs as a batch: texts, or token arrays. */
  input: readonly string[] | readonly (readonly number[])[];
  /** Whether the inputs are token arrays. */
  tokens: boolean;
  /** The texts, to scrub from provider errors that quote them back (none for token input). */
  texts: readonly string[];
  forProvider(slot: ProviderSlot): ProviderEmbedRequest;
}

/**
 * Validates an `embed()` request; throws `InvalidRequestError` naming each bad field (never the
 * input text). One string is a batch of one; one token array (`number[]`) too.
 */
export const normalizeEmbedRequest = (request: EmbedRequest): NormalizedEmbedRequest => {
  const parsed = embedRequestSchema.safeParse(request);
  if (!parsed.success)
    throw new InvalidRequestError(formatZodIssues(parsed.error, "request", embedRequestSchema));
  if (request.headers) {
    const issues = findHeaderIssues(request.headers, "request.headers");
    if (issues.length > 0) throw new InvalidRequestError(issues);
  }
  const { input } = request;
  const batch: readonly string[] | readonly (readonly number[])[] =
    typeof input === "string"
      ? [input]
      : typeof input[0] === "number"
        ? [input as number[]]
        : (input as string[] | number[][]);
  const tokens = typeof batch[0] !== "string";
  const models = (request as { [embedCallModelsKey]?: Record<string, string> })[embedCallModelsKey];
  return {
    request,
    models,
    input: batch,
    tokens,
    texts: tokens ? [] : (batch as readonly string[]),
    forProvider(slot) {
      const out: ProviderEmbedRequest = { input: batch };
      const dimensions = request.dimensions ?? slot.adapter.embeddings?.dimensions;
      if (dimensions !== undefined) out.dimensions = dimensions;
      const extra = request.providerOptions?.[slot.name];
      if (extra) out.extra = extra;
      if (request.headers) out.headers = request.headers;
      return out;
    },
  };
};
