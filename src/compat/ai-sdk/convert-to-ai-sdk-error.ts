import { APICallError } from "@ai-sdk/provider";
import { isAiFailoverError } from "../../errors/ai-failover-error.js";
import { isAllProvidersFailedError } from "../../errors/all-providers-failed-error.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { isProviderError } from "../../errors/provider-error.js";
import { isStreamInterruptedError } from "../../errors/stream-interrupted-error.js";
import type { Attempt } from "../../spec/attempt.js";
import { createFailoverMetadata, type FailoverMetadata } from "./failover-metadata.js";

/** What `APICallError.data` holds for an error of the failover model. */
export interface FailoverErrorData extends FailoverMetadata {
  /** This library's error name: `AllProvidersFailedError`, `ProviderError`, `StreamInterruptedError`… */
  name: string;
  /** The failure class that ended the call, when there was one. */
  failureClass: FailureClass | undefined;
}

const attemptsOf = (error: unknown): readonly Attempt[] => {
  const attempts = (error as { attempts?: unknown }).attempts;
  return Array.isArray(attempts) ? (attempts as Attempt[]) : [];
};

/**
 * The AI SDK face of a failed call. Once the engine gave up (every provider failed, or a failure
 * that must not fall over) another try of the whole chain cannot help and would multiply load
 * during an outage, so the error is an `APICallError` with `isRetryable: false`: `ai` does not rerun
 * it `maxRetries` times. The library's own error is its `cause` (with `attempts`, `failureClass`,
 * `partialText`…), and `data` holds the same facts as JSON. Nothing of the prompt is in it.
 *
 * The caller's own abort is not a failure: once `abortSignal` is aborted the signal's reason is
 * returned, as every AI SDK provider surfaces an abort. Errors that are not this library's (an AI
 * SDK `UnsupportedFunctionalityError` from the prompt conversion) are returned unchanged.
 */
export const convertToAiSdkError = (error: unknown, abortSignal: AbortSignal | undefined): unknown => {
  if (abortSignal?.aborted) return abortSignal.reason;
  if (!isAiFailoverError(error)) return error;
  const attempts = attemptsOf(error);
  const failed = [...attempts].reverse().find((attempt) => attempt.outcome !== "ok");
  const failureClass = (error as { failureClass?: FailureClass }).failureClass;
  const status = isProviderError(error)
    ? error.status
    : isAllProvidersFailedError(error) || isStreamInterruptedError(error)
      ? failed?.status
      : undefined;
  const provider =
    isProviderError(error) || isStreamInterruptedError(error) ? error.provider : failed?.provider;
  const metadata = createFailoverMetadata(attempts).aiFailover as unknown as FailoverMetadata;
  const data: FailoverErrorData = { name: error.name, failureClass, ...metadata };
  return new APICallError({
    message: error.message,
    url: `ai-failover://${provider ?? "client"}`,
    requestBodyValues: {},
    statusCode: status,
    cause: error,
    isRetryable: false,
    data,
  });
};
