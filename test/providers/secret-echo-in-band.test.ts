/**
 * Rule 2 of issue 7: no raw provider bytes leave the library. A provider (or a gateway in front of
 * it) that echoes the API key or the prompt in an error — an HTTP error body, a 200 JSON error
 * body, an SSE `error` frame, Anthropic's `event: error` — must not get either to the caller
 * through any field or `cause`: checked with `util.inspect(err, { depth: Infinity })`, what
 * `console.error(err)` prints, `JSON.stringify(err)`, every cause down the chain, the attempts and
 * every event payload. The keys here do not look like keys (no `sk-` prefix, too short for the
 * opaque-token rule): they are redacted because the adapter knows them — from its options, from a
 * user-built SDK client, from configured or per-call credential headers, from a key function once
 * the SDK called it (openai-node's client, Mistral's options; an Anthropic client's key function
 * keeps its keys to itself, so only the key-shape rules cover it).
 */

import { Console } from "node:console";
import { PassThrough } from "node:stream";
import { inspect } from "node:util";
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  anthropic,
  azureOpenAI,
  createClient,
  isConfigError,
  mistral,
  openai,
  openaiCompatible,
  perplexity,
} from "../../src/index.js";
import type { ProviderAdapter } from "../../src/spec/provider.js";
import { faults, type MockFault, type MockProvider, startMockProvider } from "../../src/testing/index.js";

/** A key that does not look like one: only knowing it can redact it. */
const KEY = "opensesame-4242";
/** A gateway token in configured headers, and one in per-call headers. */
const GATEWAY_TOKEN = "gw-pass-7781";
const CALL_TOKEN = "call-pass-5150";
const PROMPT = "PROMPT-CANARY-9b2d: the teal walrus accounts";
const SECRETS = [KEY, GATEWAY_TOKEN, CALL_TOKEN, "teal walrus", "PROMPT-CANARY"];

type Kind =
  | "openai"
  | "openai-client"
  | "azure"
  | "anthropic"
  | "anthropic-client"
  | "mistral"
  | "mistral-client"
  | "openai-key-function"
  | "mistral-key-function"
  | "compatible"
  | "perplexity";
type Wire = "openai" | "azure" | "anthropic" | "mistral";
const wireOf = (kind: Kind): Wire =>
  kind.startsWith("anthropic")
    ? "anthropic"
    : kind.startsWith("mistral")
      ? "mistral"
      : kind === "azure"
        ? "azure"
        : "openai";

const KINDS: Kind[] = [
  "openai",
  "openai-client",
  "azure",
  "anthropic",
  "anthropic-client",
  "mistral",
  "mistral-client",
  "openai-key-function",
  "mistral-key-function",
  "compatible",
  "perplexity",
];

const mocks = {} as Record<Wire, MockProvider>;
beforeAll(async () => {
  for (const wire of ["openai", "azure", "anthropic", "mistral"] as const) {
    mocks[wire] = await startMockProvider({ kind: wire });
  }
});
beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.reset();
});
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const adapterFor = (kind: Kind): ProviderAdapter => {
  const headers = { "x-gateway-token": GATEWAY_TOKEN };
  switch (kind) {
    case "openai":
      return openai({
        apiKey: KEY,
        baseURL: mocks.openai.baseURL,
        defaultHeaders: headers,
        model: "gpt-4.1",
      });
    case "openai-client":
      // The key and the gateway header are known only from the user's client.
      return openai({
        client: new OpenAI({ apiKey: KEY, baseURL: mocks.openai.baseURL, defaultHeaders: headers }),
        model: "gpt-4.1",
      });
    case "azure":
      return azureOpenAI({
        endpoint: mocks.azure.baseURL,
        apiKey: KEY,
        deployment: "gpt-41",
        apiVersion: "2024-10-21",
        defaultHeaders: headers,
        model: "gpt-4.1",
      });
    case "anthropic":
      return anthropic({
        apiKey: KEY,
        baseURL: mocks.anthropic.baseURL,
        defaultHeaders: headers,
        model: "claude",
      });
    case "anthropic-client":
      // The key and the gateway header are known only from the user's client.
      return anthropic({
        client: new Anthropic({ apiKey: KEY, baseURL: mocks.anthropic.baseURL, defaultHeaders: headers }),
        model: "claude",
      });
    case "mistral":
      return mistral({
        apiKey: KEY,
        serverURL: mocks.mistral.baseURL,
        headers,
        model: "mistral-large-latest",
      });
    case "mistral-client":
      // The Mistral SDK has no default headers: the gateway header is the adapter's `headers`.
      return mistral({
        client: new Mistral({ apiKey: KEY, serverURL: mocks.mistral.baseURL }),
        headers,
        model: "mistral-large-latest",
      });
    case "openai-key-function":
      // openai-node's key provider: the key is known once the SDK called it (it keeps it as apiKey).
      return openai({
        client: new OpenAI({
          apiKey: async () => KEY,
          baseURL: mocks.openai.baseURL,
          defaultHeaders: headers,
        }),
        model: "gpt-4.1",
      });
    case "mistral-key-function":
      // The Mistral SDK's documented `apiKey: () => Promise<string>`, through the provider's options.
      return mistral({
        apiKey: async () => KEY,
        serverURL: mocks.mistral.baseURL,
        headers,
        model: "mistral-large-latest",
      });
    case "compatible":
      return openaiCompatible({
        name: "gateway",
        baseURL: mocks.openai.baseURL,
        apiKey: KEY,
        headers,
        model: "llama",
      });
    case "perplexity":
      return perplexity({ apiKey: KEY, baseURL: mocks.openai.baseURL, headers, model: "sonar" });
  }
};

/** An error text that quotes every secret and the prompt, first thing (so no cut at 300 characters hides them). */
const ECHO = `rejected key ${KEY} (gateway ${GATEWAY_TOKEN}, call ${CALL_TOKEN}) for input '${PROMPT}'`;

/** The provider's own error body, echoing everything. */
const errorBody = (wire: Wire, type: string): Record<string, unknown> => {
  switch (wire) {
    case "anthropic":
      return { type: "error", error: { type, message: ECHO } };
    case "mistral":
      return { object: "error", message: ECHO, type, param: PROMPT, code: KEY };
    default:
      return { error: { message: ECHO, type, param: PROMPT, code: KEY } };
  }
};

const sse = (text: string): MockFault =>
  faults.status(200, text, { "content-type": "text/event-stream; charset=utf-8" });

/** An in-band error inside a 200 stream, after some text, in each wire format that has one. */
const inBandStream = (wire: Wire): MockFault | undefined => {
  const frame = JSON.stringify(errorBody(wire, "server_error"));
  if (wire === "anthropic") {
    return sse(
      `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"usage":{"input_tokens":3,"output_tokens":0}}}\n\n` +
        `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "api_error", message: ECHO } })}\n\n`,
    );
  }
  if (wire === "mistral") return undefined;
  return sse(`data: ${frame}\n\n`);
};

type Mode = "chat" | "chat-json" | "stream";

interface Case {
  name: string;
  fault: (wire: Wire) => MockFault | undefined;
  modes: Mode[];
}

const CASES: Case[] = [
  {
    name: "HTTP 400 error body echoing the key and the prompt",
    fault: (wire) => faults.status(400, errorBody(wire, "invalid_request_error")),
    modes: ["chat", "chat-json", "stream"],
  },
  {
    name: "HTTP 500 error body echoing the key and the prompt",
    fault: (wire) => faults.status(500, errorBody(wire, "api_error")),
    modes: ["chat-json", "stream"],
  },
  {
    name: "HTTP 401 echoing the key",
    fault: (wire) => faults.status(401, errorBody(wire, "authentication_error")),
    modes: ["chat"],
  },
  {
    name: "200 JSON body that is an error object",
    fault: (wire) => faults.status(200, errorBody(wire, "server_error")),
    modes: ["chat", "chat-json", "stream"],
  },
  {
    name: "in-band stream error frame (SSE data: {error} / event: error)",
    fault: inBandStream,
    modes: ["chat", "stream"],
  },
];

/** Everything a developer could see of an error: inspect at any depth, console.error, JSON, every cause. */
const everythingShown = (error: unknown): string => {
  const out: string[] = [inspect(error, { depth: Infinity, showHidden: true })];
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  new Console({ stdout: sink, stderr: sink }).error(error);
  out.push(Buffer.concat(chunks).toString("utf8"));
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    out.push(
      JSON.stringify(current),
      String(current),
      inspect(current, { depth: Infinity, showHidden: true }),
    );
    current = (current as { cause?: unknown }).cause;
  }
  return out.join("\n");
};

const run = async (adapter: ProviderAdapter, mode: Mode) => {
  const client = createClient({
    providers: [adapter],
    retry: { maxRetries: 0 },
    ...(mode === "chat-json" ? { transport: "json" as const } : {}),
  });
  const events: unknown[] = [];
  const subscriptions = [
    client.onAttemptEnd((e) => events.push(e)),
    client.onAttemptStart((e) => events.push(e)),
    client.onFallback((e) => events.push(e)),
    client.onRetry((e) => events.push(e)),
    client.onBreakerStateChange((e) => events.push(e)),
    client.onSkip((e) => events.push(e)),
  ];
  const request = {
    messages: [{ role: "user" as const, content: PROMPT }],
    headers: { "x-portkey-api-key": CALL_TOKEN },
  };
  try {
    if (mode === "stream") {
      const stream = client.stream(request);
      for await (const event of stream) events.push(event);
      return { error: undefined, events };
    }
    await client.chat(request);
    return { error: undefined, events };
  } catch (error) {
    return { error, events };
  } finally {
    for (const s of subscriptions) s.dispose();
  }
};

describe("no key or prompt a provider echoes reaches the caller (every adapter, every face of the error)", () => {
  for (const testCase of CASES) {
    describe(testCase.name, () => {
      const cells = KINDS.flatMap((kind) =>
        testCase.modes
          .filter(() => testCase.fault(wireOf(kind)) !== undefined)
          .map((mode) => ({ kind, mode })),
      );
      it.for(cells)("$kind · $mode", async ({ kind, mode }) => {
        const wire = wireOf(kind);
        mocks[wire].script(testCase.fault(wire)!);
        const { error, events } = await run(adapterFor(kind), mode);
        expect(error, "the call fails").toBeDefined();
        // The echo really was in what the provider sent, and the prompt really reached it.
        expect(JSON.stringify(mocks[wire].lastRequest?.body)).toContain(PROMPT);
        const shown = `${everythingShown(error)}\n${inspect(events, { depth: Infinity })}`;
        for (const secret of SECRETS) {
          const at = shown.indexOf(secret);
          expect(at === -1 ? "" : shown.slice(Math.max(0, at - 300), at + 40), `leaked ${secret}`).toBe("");
        }
      });
    });
  }
});

describe("credentials in a base URL are refused when the provider is configured, without echoing them", () => {
  it.each([
    [
      "openai baseURL with user:password",
      () => openai({ baseURL: `https://user:${KEY}@api.example.com/v1`, model: "m" }),
    ],
    [
      "openai baseURL with ?api_key=",
      () => openai({ baseURL: `https://api.example.com/v1?api_key=${KEY}`, model: "m" }),
    ],
    [
      "openaiCompatible baseURL with ?key=",
      () => openaiCompatible({ name: "g", baseURL: `https://gw.example.com/v1?key=${KEY}`, model: "m" }),
    ],
    [
      "perplexity baseURL with ?token=",
      () => perplexity({ baseURL: `https://gw.example.com?token=${KEY}`, model: "m" }),
    ],
    [
      "anthropic baseURL with user:password",
      () => anthropic({ baseURL: `https://u:${KEY}@gw.example.com`, model: "m" }),
    ],
    [
      "azure endpoint with ?sig=",
      () => azureOpenAI({ endpoint: `https://res.openai.azure.com?sig=${KEY}`, deployment: "d", model: "m" }),
    ],
    [
      "mistral serverURL with ?access_token=",
      () => mistral({ serverURL: `https://gw.example.com?access_token=${KEY}`, model: "m" }),
    ],
  ])("%s", (_, build) => {
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/must not carry credentials/);
    expect(everythingShown(caught)).not.toContain(KEY);
  });

  it("keeps URLs without credentials (api-version and other query parameters included)", () => {
    expect(() =>
      azureOpenAI({
        endpoint: "https://res.openai.azure.com?api-version=2024-10-21",
        deployment: "d",
        model: "m",
      }),
    ).not.toThrow();
    expect(() => openai({ baseURL: "https://api.example.com/v1?region=eu", model: "m" })).not.toThrow();
  });
});

describe("a user's client with credentials in its base URL: they are redacted as known secrets", () => {
  it("openai client whose baseURL carries ?api_key=", async () => {
    const baseURL = `${mocks.openai.baseURL}?api_key=${GATEWAY_TOKEN}`;
    mocks.openai.script(faults.status(500, errorBody("openai", "server_error")));
    const adapter = openai({ client: new OpenAI({ apiKey: "unused-key", baseURL }), model: "gpt-4.1" });
    const { error } = await run(adapter, "chat-json");
    expect(error).toBeDefined();
    expect(everythingShown(error)).not.toContain(GATEWAY_TOKEN);
  });

  it("azure client (key read from the client)", async () => {
    mocks.azure.script(faults.status(500, errorBody("azure", "server_error")));
    const client = new AzureOpenAI({
      endpoint: mocks.azure.baseURL,
      apiKey: KEY,
      deployment: "d",
      apiVersion: "2024-10-21",
    });
    const { error } = await run(azureOpenAI({ client, model: "gpt-4.1" }), "stream");
    expect(error).toBeDefined();
    expect(everythingShown(error)).not.toContain(KEY);
  });
});
