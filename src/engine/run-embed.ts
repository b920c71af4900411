import type { EmbedResult, ExcludedProvider } from "../spec/embed.js";
import type { Call } from "./call.js";
import { errorOutcome } from "./call-events.js";
import type { EmbedAttempt } from "./embed-attempt.js";
import type { CallOutcome } from "./events.js";
import type { NormalizedEmbedRequest } from "./normalize-embed-request.js";

/**
 * `embed()`: the first provider whose attempt answers (its vectors checked) answers the call. An
 * embedding has no stream and so no commit point: every failure before the answer is one the
 * engine may fall over from, exactly as a `chat()` reply that failed before its end.
 */
export const runEmbed = async (
  call: Call<NormalizedEmbedRequest, EmbedAttempt>,
  excluded: ExcludedProvider[],
): Promise<EmbedResult> => {
  let outcome: CallOutcome = { type: "aborted" };
  try {
    const attempt = await call.acquire();
    const response = attempt.response!;
    call.succeed(attempt, {
      usage: response.usage,
      model: response.model,
      id: response.id,
      finishReason: undefined,
    });
    const model = response.model || attempt.model;
    const result: EmbedResult = {
      embeddings: response.embeddings,
      dimensions: response.embeddings[0]!.length,
      provider: attempt.name,
      model,
      usage: response.usage,
      attempts: [...call.attempts],
      excluded,
      raw: response.raw,
    };
    outcome = {
      type: "ok",
      provider: attempt.name,
      model,
      finishReason: { unified: "stop", raw: undefined },
      usage: response.usage,
    };
    return result;
  } catch (error) {
    outcome = errorOutcome(error, call.scope.stoppedByCaller);
    throw error;
  } finally {
    call.dispose();
    call.end(outcome);
  }
};
