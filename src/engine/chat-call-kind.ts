import type { CallKind } from "./call-attempt.js";
import { callStartRequest } from "./call-events.js";
import type { NormalizedRequest } from "./normalize-request.js";
import { RunningAttempt } from "./running-attempt.js";

/** Chat calls (`chat()`, `stream()`): `RunningAttempt`s over the normalized chat request. */
export const chatCallKind: CallKind<NormalizedRequest, RunningAttempt> = {
  startEvent: (request) => callStartRequest(request.request),
  content: (request) => request.request,
  /** A per-call override (`models`), else the provider's own. */
  modelFor: (request, slot) => request.request.models?.[slot.name] ?? slot.adapter.model,
  startAttempt: (request, init) =>
    new RunningAttempt(
      init.slot,
      init.model,
      init.reason,
      init.ticket,
      request.forProvider(init.slot.name, init.slot.adapter.model),
      init.policy,
      init.follow,
      init.deadlineAt,
    ),
};
