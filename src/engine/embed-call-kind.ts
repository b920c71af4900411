import type { CallKind } from "./call-attempt.js";
import { EmbedAttempt } from "./embed-attempt.js";
import type { NormalizedEmbedRequest } from "./normalize-embed-request.js";

/** Embedding calls: `EmbedAttempt`s over the normalized `embed()` request. */
export const embedCallKind: CallKind<NormalizedEmbedRequest, EmbedAttempt> = {
  // An embedding call has no generation parameters.
  startEvent: () => ({
    maxTokens: undefined,
    temperature: undefined,
    topP: undefined,
    tools: 0,
    structuredOutput: false,
  }),
  /** The model of the provider's space (the drop-in's primary: the model the app named). */
  modelFor: (request, slot) =>
    request.models?.[slot.name] ?? slot.adapter.embeddings?.model ?? slot.adapter.model,
  startAttempt: (request, init) => new EmbedAttempt(init, request.forProvider(init.slot), request.texts),
};
