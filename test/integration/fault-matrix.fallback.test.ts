/**
 * The fault matrix, faulty provider SECOND: the primary (another kind) answers 503 once, then the
 * fault is served by the fallback. The fallback is then the last provider that can take the call,
 * so a retryable class is retried on it (the retry succeeds: the fault is served once), while
 * timeouts, auth and quota end the call with AllProvidersFailedError listing both attempts.
 * See fault-matrix.primary.test.ts and helpers/matrix.ts for the expected outcomes.
 */
import { vi } from "vitest";
import { describeFaultMatrix } from "./helpers/fault-matrix-suite.js";
import { ADAPTER_KINDS } from "./helpers/providers.js";

vi.setConfig({ maxConcurrency: 24 });

describeFaultMatrix("fallback", [...ADAPTER_KINDS, "openai-compatible"]);
