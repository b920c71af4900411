/**
 * The fault matrix for aiSdk() over the real AI SDK provider packages (@ai-sdk/openai Chat
 * Completions, @ai-sdk/anthropic, @ai-sdk/google), in both roles: every fault the mock injects ×
 * chat / chat(json) / stream, with a native adapter of another failure domain beside it. Same rows
 * and expected outcomes as the native adapters' matrix (helpers/matrix.ts), read for the wire each
 * SDK speaks, plus Gemini's own statuses: a wrong key is a 400, an overload a 503 "overloaded",
 * a blocked prompt an HTTP 200.
 */
import { describe, vi } from "vitest";
import type { FailureClass } from "../../src/index.js";
import { describeFaultMatrix } from "./helpers/fault-matrix-suite.js";
import { FAULT_ROWS, type FaultRow, type Mode } from "./helpers/matrix.js";
import { type AdapterKind, AI_SDK_KINDS } from "./helpers/providers.js";

// Half the native matrix's concurrency: the AI SDK path costs more CPU per call, and the deadline rows'
// 300 ms headers budget must not be eaten by the other cells' CPU on a shared machine.
vi.setConfig({ maxConcurrency: 12 });

/** The native kind whose wire and expectations an aiSdk() kind shares (Google: OpenAI-like rows). */
const WIRE: Partial<Record<AdapterKind, AdapterKind>> = {
  "ai-sdk-openai": "openai",
  "ai-sdk-anthropic": "anthropic",
  "ai-sdk-google": "openai",
};

/** Where Gemini's wire differs from every other provider's. */
const GOOGLE: Record<string, { cls?: FailureClass; status?: number | undefined }> = {
  "overloaded (Anthropic 529 overloaded_error; 503 elsewhere)": { cls: "overloaded", status: 503 },
  "401": { status: 400 },
  "content filter on the prompt (400)": { status: undefined },
};

const asWire = (kind: AdapterKind): AdapterKind => WIRE[kind] ?? kind;

const forAiSdk = (row: FaultRow): FaultRow => {
  const google = GOOGLE[row.name];
  return {
    ...row,
    cls: (kind: AdapterKind, mode: Mode) => {
      if (kind === "ai-sdk-google" && google?.cls) return google.cls;
      return typeof row.cls === "function" ? row.cls(asWire(kind), mode) : row.cls;
    },
    status: (kind: AdapterKind) => {
      if (kind === "ai-sdk-google" && google && "status" in google) return google.status as number;
      return typeof row.status === "function" ? row.status(asWire(kind)) : (row.status as number);
    },
    ...(row.check ? { check: (ctx) => row.check!({ ...ctx, kind: asWire(ctx.kind) }) } : {}),
  };
};

const ROWS = FAULT_ROWS.map(forAiSdk);

describe("aiSdk() as the primary", () => describeFaultMatrix("primary", AI_SDK_KINDS, ROWS));
describe("aiSdk() as the fallback", () => describeFaultMatrix("fallback", AI_SDK_KINDS, ROWS));
