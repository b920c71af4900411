/**
 * Providers and the gateways in front of them sometimes quote the request back in an error: a
 * validation error that repeats the offending content, a FastAPI/pydantic 422 whose `detail[].input`
 * is the request body (Mistral, vLLM and most Python gateways), a proxy that prints the key it
 * rejected. DESIGN.md: "no API key or prompt appears in an error message, event or log" — so the
 * library must not copy such text into its errors, attempts or events, whatever the provider sent.
 *
 * Same cells as the fault matrix (helpers/matrix.ts): faulty provider first, healthy fallback
 * behind it, every adapter; the outcome must be the usual one for the class, and nothing
 * user-visible (error, cause chain of library errors, attempts, events) may contain the prompt or
 * the key.
 */
import { vi } from "vitest";
import { faults } from "../../src/testing/index.js";
import { describeFaultMatrix } from "./helpers/fault-matrix-suite.js";
import type { FaultRow } from "./helpers/matrix.js";
import { ADAPTER_KINDS, API_KEYS, PROMPT } from "./helpers/providers.js";

vi.setConfig({ maxConcurrency: 24 });

const ECHO_ROWS: FaultRow[] = [
  {
    name: "400 whose message quotes the prompt",
    fault: faults.badRequest({ message: `Invalid 'messages[0].content': '${PROMPT}' is not supported.` }),
    cls: "bad_request",
    status: 400,
  },
  {
    name: "500 whose message quotes the prompt",
    fault: faults.serverError({ status: 500, message: `upstream model failed on input: ${PROMPT}` }),
    cls: "server_error",
    status: 500,
  },
  {
    name: "422 pydantic error echoing the request body (detail[].input)",
    fault: faults.status(422, {
      object: "error",
      message: {
        detail: [
          {
            type: "extra_forbidden",
            loc: ["body", "messages", 0, "foo"],
            msg: "Extra inputs are not permitted",
            input: { role: "user", content: PROMPT },
          },
        ],
      },
      type: "invalid_request_message_error",
      param: null,
      code: null,
    }),
    cls: "bad_request",
    status: 422,
  },
  {
    name: "401 whose message quotes the key it rejected",
    fault: (kind) => faults.auth({ message: `Invalid API key provided: ${API_KEYS[kind]}` }),
    cls: "auth",
    status: 401,
  },
];

// HTTP errors take the same path whatever the call: chat() is enough.
describeFaultMatrix("primary", [...ADAPTER_KINDS, "openai-compatible"], ECHO_ROWS, ["chat"]);
