import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { CallScope } from "./call-scope.js";
import { faults, type MockFaults } from "./faults.js";
import { apiKeyOf, redactHeaders, redactPath } from "./redact.js";
import { baseURLFor, DEFAULT_MODEL, matchRoute } from "./routes.js";
import { serveFault } from "./serve-fault.js";
import type { MockCall, MockFault, MockProviderKind, MockProviderOptions, RecordedRequest } from "./types.js";
import { createAnthropicWire } from "./wire/anthropic.js";
import { createEmbeddingsWire } from "./wire/embeddings.js";
import { createGoogleWire } from "./wire/google.js";
import { createMistralWire } from "./wire/mistral.js";
import { modelBody, modelListBody } from "./wire/models.js";
import { createOpenAIWire } from "./wire/openai.js";
import { createOpenAIResponsesWire } from "./wire/openai-responses.js";
import type { WireFormat } from "./wire/types.js";

/** The default behaviour: a fault, or a function of the call (for error-rate scenarios). */
export type MockDefault = MockFault | ((call: MockCall) => MockFault);

/** A running mock provider: one HTTP server on 127.0.0.1 speaking one provider's wire format. */
export interface MockProvider {
  /** Wire format. */
  readonly kind: MockProviderKind;
  /** Name (default text is `Hello from <name>`). */
  readonly name: string;
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /**
   * What to give the SDK: `${url}/v1` for OpenAI (`baseURL`); `${url}/v1beta` for Google (the
   * `baseURL` of `@ai-sdk/google`); the origin for Anthropic (`baseURL`), Mistral (`serverURL`)
   * and Azure (`endpoint`).
   */
  readonly baseURL: string;
  /** Port (kept across `down()` / `up()`). */
  readonly port: number;
  /** Every request received, in order, with credentials redacted (unless `recordRequests: false`). Cleared by `reset()`. */
  readonly requests: readonly RecordedRequest[];
  /** The last request received. */
  readonly lastRequest: RecordedRequest | undefined;
  /** Number of requests received since start or `reset()`. */
  readonly callCount: number;
  /** Calls still being answered (hung, stalled, slow). */
  readonly inFlight: number;
  /** Whether the server is listening. */
  readonly isUp: boolean;
  /** The fault builders (the same object as the exported `faults`). */
  readonly faults: MockFaults;
  /** Queues faults: the next calls get them in order; once exhausted, the default applies. */
  script(...faults: MockFault[]): this;
  /** Sets the default behaviour (initially a normal reply). */
  setDefault(fault: MockDefault): this;
  /** Stops listening and drops every connection: clients then get ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Clears the script, the recorded requests, the call count and the default. */
  reset(): void;
  /** Closes the server and every connection (hung ones included) and clears every timer. Idempotent. */
  close(): Promise<void>;
}

const REPLY: MockFault = { type: "reply" };

function wireFor(kind: MockProviderKind): WireFormat {
  if (kind === "anthropic") return createAnthropicWire();
  if (kind === "mistral") return createMistralWire();
  if (kind === "google") return createGoogleWire();
  return createOpenAIWire(kind === "azure");
}

class MockProviderServer implements MockProvider {
  readonly kind: MockProviderKind;
  readonly name: string;
  readonly faults = faults;
  readonly requests: RecordedRequest[] = [];
  port = 0;
  #server: Server;
  #wire: WireFormat;
  /** OpenAI's Responses API, for OpenAI and Azure mocks. */
  #responsesWire: WireFormat | undefined;
  /** The embeddings endpoint, for OpenAI, Azure and Mistral mocks. */
  #embeddingsWire: WireFormat | undefined;
  #options: MockProviderOptions;
  #host: string;
  #defaultText: string;
  #script: MockFault[] = [];
  #default: MockDefault = REPLY;
  #count = 0;
  #last: RecordedRequest | undefined;
  #sockets = new Set<Socket>();
  #scopes = new Set<CallScope>();
  #listening = false;
  #closing: Promise<void> | undefined;
  #stopping: Promise<void> = Promise.resolve();

  constructor(options: MockProviderOptions) {
    this.#options = options;
    this.#host = options.host ?? "127.0.0.1";
    this.kind = options.kind;
    this.name = options.name ?? options.kind;
    this.#defaultText = options.defaultText ?? `Hello from ${this.name}`;
    this.#wire = wireFor(options.kind);
    if (options.kind === "openai" || options.kind === "azure")
      this.#responsesWire = createOpenAIResponsesWire(options.kind === "azure");
    if (options.kind === "openai" || options.kind === "azure" || options.kind === "mistral")
      this.#embeddingsWire = createEmbeddingsWire(options.kind, this.#wire);
    this.#server = createServer((req, res) => this.#onRequest(req, res));
    this.#server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://${this.#host}:${this.port}`;
  }
  get baseURL(): string {
    return baseURLFor(this.kind, this.url);
  }
  get lastRequest(): RecordedRequest | undefined {
    return this.#last;
  }
  get callCount(): number {
    return this.#count;
  }
  get inFlight(): number {
    return this.#scopes.size;
  }
  get isUp(): boolean {
    return this.#listening;
  }

  script(...faults: MockFault[]): this {
    this.#script.push(...faults);
    return this;
  }

  setDefault(fault: MockDefault): this {
    this.#default = fault;
    return this;
  }

  reset(): void {
    this.#script.length = 0;
    this.requests.length = 0;
    this.#count = 0;
    this.#last = undefined;
    this.#default = REPLY;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.#server.once("error", onError);
      this.#server.listen(port, this.#host, () => {
        this.#server.off("error", onError);
        resolve();
      });
    });
    this.port = (this.#server.address() as AddressInfo).port;
    this.#listening = true;
  }

  down(): Promise<void> {
    if (this.#listening) {
      this.#listening = false;
      const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#dropConnections();
      this.#stopping = closed;
    }
    return this.#stopping;
  }

  async up(): Promise<void> {
    if (this.#closing) throw new Error(`mock provider ${this.name} is closed`);
    await this.#stopping;
    if (!this.#listening) await this.listen(this.port);
  }

  close(): Promise<void> {
    this.#closing ??= this.down().then(() => this.#dropConnections());
    return this.#closing;
  }

  #dropConnections(): void {
    for (const scope of this.#scopes) {
      scope.markCutByServer(); // the mock is shutting down: the client did not give up
      scope.dispose();
    }
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
  }

  /** The wire for a models API call: its reply is the model (or the list); faults are the provider's. */
  #modelsWire(modelId: string | undefined, created: number): WireFormat {
    const listed = this.#options.models ?? [this.#options.model ?? DEFAULT_MODEL[this.kind]];
    const body =
      modelId === undefined
        ? modelListBody(this.kind, listed, created)
        : modelBody(this.kind, modelId, created);
    return { ...this.#wire, replyBody: () => body };
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.on("error", () => {});
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      this.#handle(req, res, raw).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(`mock provider ${this.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        } else res.destroy();
      });
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    let body: unknown;
    if (raw !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const route = matchRoute(this.kind, method, url);
    const requested =
      typeof fields.model === "string" ? fields.model : (route?.model ?? route?.deployment ?? route?.modelId);
    const record: RecordedRequest = {
      n: ++this.#count,
      method,
      path: redactPath(url),
      headers: redactHeaders(req.headers),
      body,
      // Embeddings are never streamed, whatever the body says.
      stream: route?.api === "embeddings" ? false : (route?.stream ?? fields.stream === true),
      model: requested,
      at: Date.now(),
      fault: "reply",
    };
    this.#last = record;
    if (this.#options.recordRequests !== false) this.requests.push(record);
    const model = this.#options.model ?? requested ?? DEFAULT_MODEL[this.kind];

    const known = this.#options.models;
    let fault: MockFault;
    if (route?.api === "models" && route.modelId !== undefined && known && !known.includes(route.modelId)) {
      record.fault = "not-found";
      fault = { type: "error", error: "not_found", message: `The model '${route.modelId}' does not exist` };
    } else if (!route) {
      record.fault = "not-found";
      fault = {
        type: "error",
        error: "bad_request",
        status: 404,
        message: `Invalid URL (${method} ${record.path})`,
      };
    } else if (this.#options.apiKey !== undefined && apiKeyOf(req.headers) !== this.#options.apiKey) {
      record.fault = "unauthorized";
      fault = { type: "error", error: "auth" };
    } else {
      const next = this.#script.shift() ?? this.#default;
      fault =
        typeof next === "function"
          ? next({ n: record.n, request: record, kind: this.kind, name: this.name })
          : next;
      record.fault = fault.type;
    }

    const scope = new CallScope(
      res,
      (s) => this.#scopes.delete(s),
      (by) => {
        record.closedBy = by;
        record.closedAt = Date.now();
      },
    );
    this.#scopes.add(scope);
    // The client may have gone while the body was read: then "close" has already fired.
    if (req.socket.destroyed) {
      record.closedBy = "client";
      record.closedAt = Date.now();
      scope.dispose();
    }
    const stream = record.stream;
    const created = Math.floor(record.at / 1000);
    const wire =
      route?.api === "models"
        ? this.#modelsWire(route.modelId, created)
        : route?.api === "responses" && this.#responsesWire
          ? this.#responsesWire
          : route?.api === "embeddings" && this.#embeddingsWire
            ? this.#embeddingsWire
            : this.#wire;
    const streamOptions = fields.stream_options as { include_usage?: unknown } | undefined;
    const topLogprobs =
      fields.logprobs === true
        ? typeof fields.top_logprobs === "number"
          ? fields.top_logprobs
          : 0
        : undefined;
    await serveFault(
      {
        kind: this.kind,
        wire,
        res,
        socket: req.socket,
        scope,
        stream,
        defaultText: this.#defaultText,
        requestBytes: raw.length,
        reply: {
          kind: this.kind,
          model,
          id: wire.newId(),
          created: Math.floor(record.at / 1000),
          includeUsage: stream && streamOptions?.include_usage === true,
          ...(route?.api === "embeddings" ? { embeddingRequest: embeddingFacts(fields) } : {}),
          ...(topLogprobs !== undefined ? { topLogprobs } : {}),
        },
      },
      fault,
    );
  }
}

/** What an embeddings request asked for (OpenAI's field names, or Mistral's `output_dimension`). */
function embeddingFacts(fields: Record<string, unknown>) {
  const dimensions = fields.dimensions ?? fields.output_dimension;
  return {
    input: fields.input,
    dimensions: typeof dimensions === "number" && dimensions > 0 ? dimensions : undefined,
    encodingFormat: typeof fields.encoding_format === "string" ? fields.encoding_format : undefined,
  };
}

/**
 * Starts a mock provider on 127.0.0.1 (a free port unless `port` is given).
 *
 * @example
 * const mock = await startMockProvider({ kind: "openai" });
 * const client = new OpenAI({ apiKey: "sk-test", baseURL: mock.baseURL, maxRetries: 0 });
 * mock.script(faults.rateLimited({ retryAfter: "2" }), faults.reset());
 */
export async function startMockProvider(options: MockProviderOptions): Promise<MockProvider> {
  const mock = new MockProviderServer(options);
  await mock.listen(options.port ?? 0);
  return mock;
}
