/**
 * `embeddings.create` through `withFailover(new OpenAI())`, openai 7 and 6, against the mock server
 * with faults on the wire: fails over only within one vector space.
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getFailoverClient, getFailoverInfo, withFailover } from "../../../../src/compat/openai/index.js";
import type { WithFailoverOptions } from "../../../../src/compat/openai/with-failover-options.js";
import { isAllProvidersFailedError } from "../../../../src/errors/all-providers-failed-error.js";
import { ConfigError } from "../../../../src/errors/config-error.js";
import { isProviderError } from "../../../../src/errors/provider-error.js";
import { anthropic } from "../../../../src/providers/anthropic/index.js";
import { azureOpenAI } from "../../../../src/providers/azure/index.js";
import { mistral } from "../../../../src/providers/mistral/index.js";
import { openai } from "../../../../src/providers/openai/index.js";
import { openaiCompatible } from "../../../../src/providers/openai-compatible/index.js";
import { faults, type MockProviderGroup, startMockProviders } from "../../../../src/testing/index.js";
import { rejection } from "../../../helpers/rejections.js";
import { type Sdk, sdks } from "../drop-in-fixture.js";

const SPACE = "text-embedding-3-small";
const OPENAI_KEY = "sk-openai-SECRET-0123456789abcdef";
const PRIVATE = "the private medical history of patient 4242";

let mocks: MockProviderGroup<{
  openai: object;
  azure: object;
  anthropic: object;
  compat: { kind: "openai" };
}>;
beforeAll(async () => {
  mocks = await startMockProviders({
    openai: {},
    azure: { model: SPACE },
    anthropic: {},
    compat: { kind: "openai" },
  });
});
afterAll(() => mocks.close());
beforeEach(() => mocks.reset());

const anthropicFallback = () =>
  anthropic({
    client: new Anthropic({ apiKey: "sk-ant", baseURL: mocks.anthropic.baseURL }),
    model: "claude",
  });
const azureFallback = () =>
  azureOpenAI({
    client: new AzureOpenAI({ endpoint: mocks.azure.baseURL, apiKey: "azure-key", apiVersion: "2024-10-21" }),
    model: "gpt-4o",
    embeddings: { model: SPACE, deployment: "emb-small" },
  });

const plainClient = (sdk: Sdk) =>
  new sdk.OpenAI({ apiKey: OPENAI_KEY, baseURL: mocks.openai.baseURL, maxRetries: 0 });

/** OpenAI wrapped, Anthropic (no embeddings) then Azure (the same space) as fallbacks. */
const wrapped = (sdk: Sdk, options: Partial<WithFailoverOptions> = {}) =>
  withFailover(plainClient(sdk), {
    fallbacks: [anthropicFallback(), azureFallback()],
    retry: { maxRetries: 0 },
    ...options,
  });

/** The float32s of a base64 embedding. */
const decode = (text: string): number[] => {
  const bytes = Buffer.from(text, "base64");
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
};

describe.each(sdks)("embeddings.create through withFailover, openai $major", (sdk) => {
  it("OpenAI answers: the SDK's own answer, untouched; the info says who, and that Anthropic cannot embed", async () => {
    const params = { model: SPACE, input: ["first", "second"] };
    const direct = await plainClient(sdk).embeddings.create(params);
    const res = await wrapped(sdk).embeddings.create(params);
    expect(res).toEqual(direct);
    expect(mocks.openai.lastRequest?.body).toEqual({ ...params, encoding_format: "base64" });
    expect(getFailoverInfo(res)).toEqual({
      provider: "openai",
      model: SPACE,
      attempts: [expect.objectContaining({ provider: "openai", model: SPACE, outcome: "ok" })],
      failedOver: false,
      excluded: [{ provider: "anthropic", reason: expect.stringContaining("no embeddings API") }],
    });
    const { request_id } = await wrapped(sdk).embeddings.create(params).withResponse();
    expect(request_id).toMatch(/^req_/);
  });

  it("base64 asked: OpenAI's strings pass through untouched", async () => {
    const params = { model: SPACE, input: "q", encoding_format: "base64" as const };
    const direct = await plainClient(sdk).embeddings.create(params);
    const res = await wrapped(sdk).embeddings.create(params);
    expect(res).toEqual(direct);
    expect(typeof res.data[0]!.embedding).toBe("string");
  });

  it("503: Azure answers a genuine CreateEmbeddingResponse, the same vectors, in input order", async () => {
    const params = { model: SPACE, input: ["first", "second", "third"] };
    const fromOpenAI = await wrapped(sdk).embeddings.create(params);
    mocks.openai.script(faults.serverError());
    const res = await wrapped(sdk).embeddings.create(params);
    expect(res).toEqual({
      object: "list",
      data: fromOpenAI.data.map((d, index) => ({ object: "embedding", index, embedding: d.embedding })),
      model: SPACE,
      usage: { prompt_tokens: 6, total_tokens: 6 },
    });
    expect(getFailoverInfo(res)).toMatchObject({
      provider: "azure-openai",
      failedOver: true,
      attempts: [
        { provider: "openai", outcome: "server_error", status: 503 },
        { provider: "azure-openai", outcome: "ok" },
      ],
    });
    expect(mocks.azure.lastRequest?.path).toBe(
      "/openai/deployments/emb-small/embeddings?api-version=2024-10-21",
    );
  });

  it("base64 asked and Azure answers: base64 of the same float32s", async () => {
    mocks.openai.script(faults.serverError());
    const res = await wrapped(sdk).embeddings.create({ model: SPACE, input: "q", encoding_format: "base64" });
    const fromOpenAI = await wrapped(sdk).embeddings.create({ model: SPACE, input: "q" });
    expect(getFailoverInfo(res)?.provider).toBe("azure-openai");
    expect(decode(res.data[0]!.embedding as unknown as string)).toEqual(fromOpenAI.data[0]!.embedding);
  });

  it("429 with Retry-After, a black hole, a 401: Azure answers; a 400 is the app's error at once", async () => {
    const client = wrapped(sdk);
    mocks.openai.script(faults.rateLimited({ retryAfter: "1" }));
    const limited = await client.embeddings.create({ model: SPACE, input: "q" });
    expect(getFailoverInfo(limited)?.attempts.map((a) => a.outcome)).toEqual(["rate_limited", "ok"]);

    // A short headers deadline for OpenAI only (a cold first call may take longer under load).
    mocks.openai.script({ type: "black-hole" });
    const hole = await wrapped(sdk, {
      primary: { policy: { deadlines: { headersMs: 400 } } },
    }).embeddings.create({
      model: SPACE,
      input: "q",
    });
    expect(getFailoverInfo(hole)?.attempts[0]).toMatchObject({
      outcome: "timeout",
      message: expect.stringContaining("400 ms"),
    });

    mocks.openai.script(faults.auth());
    const auth = await wrapped(sdk).embeddings.create({ model: SPACE, input: "q" });
    expect(getFailoverInfo(auth)?.attempts.map((a) => [a.outcome, a.status])).toEqual([
      ["auth", 401],
      ["ok", undefined],
    ]);

    mocks.azure.reset();
    mocks.openai.script(faults.badRequest());
    const error = await rejection(wrapped(sdk).embeddings.create({ model: SPACE, input: "q" }));
    expect(isProviderError(error) && [error.failureClass, error.status]).toEqual(["bad_request", 400]);
    expect(mocks.azure.callCount).toBe(0);
    mocks.openai.script(faults.badRequest());
    const asOpenAI = await rejection(
      wrapped(sdk, { errors: "openai" }).embeddings.create({ model: SPACE, input: "q" }),
    );
    expect(asOpenAI).toBeInstanceOf(sdk.OpenAI.BadRequestError);
  });

  it("usage a fallback does not report is absent from the answer, never zeros", async () => {
    mocks.openai.script(faults.serverError());
    mocks.compat.script(faults.reply({ embedding: { omitUsage: true } }));
    const client = wrapped(sdk, {
      fallbacks: [
        openaiCompatible({
          name: "gateway",
          baseURL: mocks.compat.baseURL,
          model: "m",
          embeddings: { model: SPACE },
        }),
      ],
    });
    const res = await client.embeddings.create({ model: SPACE, input: "q" });
    expect(getFailoverInfo(res)?.provider).toBe("gateway");
    expect(res.usage).toEqual({});
  });

  it("token arrays fail over to Azure as they are", async () => {
    mocks.openai.script(faults.serverError());
    const res = await wrapped(sdk).embeddings.create({ model: SPACE, input: [[1, 2, 3], [4]] });
    expect(res.data).toHaveLength(2);
    expect(mocks.azure.lastRequest?.body).toMatchObject({ input: [[1, 2, 3], [4]] });
  });

  it("another length, another model or an unknown field: the primary alone, and the info says why", async () => {
    const client = wrapped(sdk);
    const shorter = await client.embeddings.create({ model: SPACE, input: "q", dimensions: 512 });
    expect(shorter.data[0]!.embedding).toHaveLength(512);
    expect(getFailoverInfo(shorter)?.primaryOnly).toEqual([
      expect.stringMatching(
        /^dimensions: 512 is not the length of the fallbacks' embedding space, text-embedding-3-small \(1536 dims\)/,
      ),
    ]);
    const large = await client.embeddings.create({ model: "text-embedding-3-large", input: "q" });
    expect(getFailoverInfo(large)).toMatchObject({
      provider: "openai",
      model: "text-embedding-3-large",
      attempts: [{ model: "text-embedding-3-large" }],
      primaryOnly: [
        expect.stringMatching(/^model: text-embedding-3-large is not the fallbacks' embedding space/),
      ],
    });
    const unknown = await client.embeddings.create({ model: SPACE, input: "q", truncate: "END" } as never);
    expect(getFailoverInfo(unknown)?.primaryOnly).toEqual([
      expect.stringMatching(/^truncate: unknown to the drop-in/),
    ]);
    expect(mocks.openai.lastRequest?.body).toMatchObject({ truncate: "END" });

    // While OpenAI is down, such a call fails rather than mix spaces: Azure is never asked.
    mocks.openai.script(faults.serverError());
    const error = await rejection(client.embeddings.create({ model: SPACE, input: "q", dimensions: 512 }));
    expect(isAllProvidersFailedError(error) && error.attempts.map((a) => a.provider)).toEqual(["openai"]);
    expect(mocks.azure.callCount).toBe(0);
  });

  it("a call that names the space's model at its own length explicitly fails over", async () => {
    mocks.openai.script(faults.serverError());
    const res = await wrapped(sdk).embeddings.create({ model: SPACE, input: "q", dimensions: 1536 });
    expect(getFailoverInfo(res)).toMatchObject({ provider: "azure-openai" });
    expect(getFailoverInfo(res)?.primaryOnly).toBeUndefined();
    expect(mocks.azure.lastRequest?.body).toMatchObject({ dimensions: 1536 });
  });

  it("without any fallback in a space, every call stays on OpenAI, visibly", async () => {
    const client = wrapped(sdk, { fallbacks: [anthropicFallback()] });
    const res = await client.embeddings.create({ model: SPACE, input: "q" });
    expect(getFailoverInfo(res)?.primaryOnly).toEqual([
      expect.stringContaining("no fallback declares an embedding space"),
    ]);
  });

  it("the engine's own embed() on a wrapped client asks the wrapped client for the space's model", async () => {
    const engine = getFailoverClient(wrapped(sdk))!;
    expect(engine.embeddingSpace).toEqual({ model: SPACE, dimensions: undefined });
    const res = await engine.embed({ input: ["q"] });
    expect(res).toMatchObject({ provider: "openai", model: SPACE, dimensions: 1536 });
    expect(mocks.openai.lastRequest?.body).toEqual({ model: SPACE, input: ["q"], encoding_format: "base64" });
  });

  it("malformed params are refused before anything is sent", async () => {
    const error = await rejection(
      wrapped(sdk).embeddings.create({ model: SPACE, input: "q", dimensions: -1 }),
    );
    expect(error.name).toBe("InvalidRequestError");
    expect(error.issues).toEqual(["dimensions: expected a positive integer"]);
    const empty = await rejection(wrapped(sdk).embeddings.create({ model: SPACE, input: [] }));
    expect(empty.name).toBe("InvalidRequestError");
    expect(mocks.openai.callCount).toBe(0);
  });

  it("no key and no input text in any error or event", async () => {
    const client = wrapped(sdk);
    const events: unknown[] = [];
    const engine = getFailoverClient(client)!;
    for (const subscribe of [
      engine.onCallStart,
      engine.onCallEnd,
      engine.onAttemptStart,
      engine.onAttemptEnd,
      engine.onFallback,
    ]) {
      subscribe((event: unknown) => events.push(event));
    }
    mocks.openai.script(faults.serverError({ message: `cannot embed '${PRIVATE}' for key ${OPENAI_KEY}` }));
    mocks.azure.script(faults.serverError({ message: `failed: ${PRIVATE}` }));
    const error = await rejection(client.embeddings.create({ model: SPACE, input: [PRIVATE, "other text"] }));
    expect(isAllProvidersFailedError(error)).toBe(true);
    const seen = JSON.stringify({
      events,
      attempts: error.attempts,
      message: error.message,
      cause: String(error.cause),
    });
    expect(seen).toContain("[request text]");
    expect(seen).not.toContain(PRIVATE);
    expect(seen).not.toContain(OPENAI_KEY);
  });
});

describe("withFailover: embedding spaces are checked at configuration time", () => {
  it("a fallback declaring another space is a ConfigError naming it and why", () => {
    let error: unknown;
    try {
      withFailover(plainClient(sdks[0]!), {
        fallbacks: [
          anthropicFallback(),
          azureFallback(),
          mistral({
            client: new Mistral({ apiKey: "k" }),
            model: "m",
            embeddings: { model: "mistral-embed" },
          }),
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.stringMatching(
        /^fallbacks\.2 \(mistral\): embeddings in mistral-embed \(1024 dims\) is another vector space than fallbacks\.1 \(azure-openai\)'s text-embedding-3-small \(1536 dims\): vectors of two models .* cannot be compared/,
      ),
    ]);
  });

  it("primary.embeddings names the app's space; a fallback in another is refused", () => {
    expect(() =>
      withFailover(plainClient(sdks[0]!), {
        fallbacks: [azureFallback()],
        primary: { embeddings: { model: "text-embedding-3-large" } },
      }),
    ).toThrow(
      /fallbacks\.0 \(azure-openai\): embeddings in text-embedding-3-small \(1536 dims\) is another vector space than primary\.embeddings's text-embedding-3-large \(3072 dims\)/,
    );
  });

  it("an AzureOpenAI client as the primary: primary.embeddings.deployment is the name calls use", async () => {
    const azure = withFailover(
      new AzureOpenAI({ endpoint: mocks.azure.baseURL, apiKey: "azure-key", apiVersion: "2024-10-21" }),
      {
        fallbacks: [
          openai({
            client: new sdks[0]!.OpenAI({ apiKey: OPENAI_KEY, baseURL: mocks.openai.baseURL }),
            model: "gpt-4.1",
            embeddings: { model: SPACE },
          }),
        ],
        primary: { embeddings: { model: SPACE, deployment: "emb-small" } },
        retry: { maxRetries: 0 },
      },
    );
    mocks.azure.script(faults.serverError());
    const res = await azure.embeddings.create({ model: "emb-small", input: "q" });
    expect(getFailoverInfo(res)).toMatchObject({
      provider: "openai",
      attempts: [
        { provider: "azure-openai", model: "emb-small", outcome: "server_error" },
        { provider: "openai" },
      ],
    });
    expect(mocks.openai.lastRequest?.body).toMatchObject({ model: SPACE, input: ["q"] });
  });
});
