/**
 * Rule 1 of the hardening issue: only the provider's own failures count against it. A request that
 * fails before it leaves the process — an image given as a relative path, a header value with CR/LF,
 * base64 an adapter cannot type — is the caller's error: `InvalidRequestError` at once, no retry,
 * no fall-over, no breaker, budget or suspicion change, whichever face the call came through.
 * Before the fix, one user's `image_url: "uploads/cat.jpg"` through the drop-in failed over to every
 * provider as `invalid_response` and, after five such calls, opened every breaker: valid calls from
 * everyone else then failed.
 * Through the real SDKs against the mock servers: OpenAI primary, Anthropic fallback.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  anthropic,
  createClient,
  type FailoverClient,
  type FailoverRequest,
  getFailoverClient,
  isInvalidRequestError,
  openai,
  withFailover,
} from "../../src/index.js";
import { type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { recordEvents } from "./helpers/observe.js";
import { API_KEYS, KEY_MARKER, MODELS, PROMPT } from "./helpers/providers.js";

let primary: MockProvider;
let fallback: MockProvider;

beforeEach(async () => {
  primary = await startMockProvider({ kind: "openai", name: "openai" });
  fallback = await startMockProvider({ kind: "anthropic", name: "anthropic" });
});

afterEach(async () => {
  await Promise.all([primary.close(), fallback.close()]);
});

const fallbackAdapter = () =>
  anthropic({
    client: new Anthropic({ apiKey: API_KEYS.anthropic, baseURL: fallback.baseURL }),
    model: MODELS.anthropic,
  });

const nativeClient = (): FailoverClient =>
  createClient({
    providers: [
      openai({
        client: new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }),
        model: MODELS.openai,
      }),
      fallbackAdapter(),
    ],
  });

/** Every provider's health is untouched: closed, nothing skipped, nothing cooling. */
const expectUntouched = (client: FailoverClient) => {
  for (const health of client.health()) expect(health).toMatchObject({ state: "closed", retryInMs: 0 });
};

/** The message names the field and never echoes the prompt, the key or the bad value itself. */
const expectCallersError = (error: unknown, path: RegExp) => {
  expect(isInvalidRequestError(error), String(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toMatch(path);
  expect(message).not.toContain(PROMPT);
  expect(message).not.toContain(KEY_MARKER);
  expect(message).not.toContain("uploads/cat.jpg");
};

describe("the caller's bad request never counts against a provider", () => {
  it("drop-in: image_url 'uploads/cat.jpg' six times is refused at once; the next valid call is the primary's", async () => {
    const wrapped = withFailover(new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }), {
      fallbacks: [fallbackAdapter()],
    });
    const engine = getFailoverClient(wrapped)!;
    const { events } = recordEvents(engine);
    for (let i = 0; i < 6; i++) {
      const error = await wrapped.chat.completions
        .create({
          model: MODELS.openai,
          messages: [
            {
              role: "user",
              content: [
                { type: "text", text: PROMPT },
                { type: "image_url", image_url: { url: "uploads/cat.jpg" } },
              ],
            },
          ],
        })
        .catch((e: unknown) => e);
      // The drop-in's own conversion names the OpenAI field the app wrote.
      expectCallersError(
        error,
        /messages\[0\]\.content\[1\]\.image_url\.url: expected an http\(s\) URL or a data: URL/,
      );
    }
    expect([primary.callCount, fallback.callCount]).toEqual([0, 0]);
    expect(events.filter((e) => e.channel !== "onCallStart" && e.channel !== "onCallEnd")).toEqual([]);
    expectUntouched(engine);

    const ok = await wrapped.chat.completions.create({
      model: MODELS.openai,
      messages: [{ role: "user", content: PROMPT }],
    });
    expect(ok.choices[0]?.message.content).toBe("Hello from openai");
    expect([primary.callCount, fallback.callCount]).toEqual([1, 0]);
  });

  it.each([
    ["chat.completions.create", "chat"],
    ["responses.create", "responses"],
  ] as const)(
    "drop-in %s: a per-request header with CR/LF is refused at once, sending nothing",
    async (_name, api) => {
      const wrapped = withFailover(new OpenAI({ apiKey: API_KEYS.openai, baseURL: primary.baseURL }), {
        fallbacks: [fallbackAdapter()],
      });
      const engine = getFailoverClient(wrapped)!;
      const options = { headers: { "x-trace": "abc\r\nx-injected: 1" } };
      const messages = [{ role: "user" as const, content: PROMPT }];
      const error =
        api === "chat"
          ? await wrapped.chat.completions
              .create({ model: MODELS.openai, messages }, options)
              .catch((e: unknown) => e)
          : await wrapped.responses
              .create({ model: MODELS.openai, input: PROMPT }, options)
              .catch((e: unknown) => e);
      expectCallersError(error, /options\.headers\.x-trace: the value contains CR, LF/);
      expect((error as Error).message).not.toContain("x-injected");
      expect([primary.callCount, fallback.callCount]).toEqual([0, 0]);
      expectUntouched(engine);
    },
  );

  it.each<[string, Partial<FailoverRequest>, RegExp]>([
    [
      "an image given as a relative path",
      { messages: [{ role: "user", content: [{ type: "image", image: "uploads/cat.jpg" }] }] },
      /messages\.0\.content\.0\.image: neither a URL nor base64 data/,
    ],
    [
      "a file: URL",
      {
        messages: [
          { role: "user", content: [{ type: "image", image: new URL("file:///srv/uploads/cat.jpg") }] },
        ],
      },
      /unsupported URL scheme "file:"/,
    ],
    [
      "empty image bytes",
      {
        messages: [
          { role: "user", content: [{ type: "image", image: new Uint8Array(0), mediaType: "image/png" }] },
        ],
      },
      /empty image bytes/,
    ],
    [
      "a header value with CR/LF",
      { messages: [{ role: "user", content: PROMPT }], headers: { "x-trace": "abc\r\nx-injected: 1" } },
      /request\.headers\.x-trace: the value contains CR, LF/,
    ],
    [
      "a header name that is not a token",
      { messages: [{ role: "user", content: PROMPT }], headers: { "x trace": "abc" } },
      /request\.headers: a header name is not a valid HTTP field name/,
    ],
  ])("native: %s is refused before any attempt, on chat() and stream()", async (_name, request, path) => {
    const client = nativeClient();
    const { events } = recordEvents(client);
    const full = { messages: [{ role: "user" as const, content: PROMPT }], ...request } as FailoverRequest;
    for (let i = 0; i < 6; i++) expectCallersError(await client.chat(full).catch((e: unknown) => e), path);
    let thrown: unknown;
    try {
      client.stream(full);
    } catch (error) {
      thrown = error;
    }
    expectCallersError(thrown, path);
    expect([primary.callCount, fallback.callCount]).toEqual([0, 0]);
    expect(events).toEqual([]);
    expect((await client.chat({ messages: [{ role: "user", content: PROMPT }] })).provider).toBe("openai");
  });

  it("native: an InvalidRequestError an adapter throws (base64 of no known image type) is thrown at once, health untouched", async () => {
    const client = nativeClient();
    const { events } = recordEvents(client);
    // Base64 text passes the engine's own check; the OpenAI adapter finds no media type and refuses.
    const request: FailoverRequest = {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: PROMPT },
            { type: "image", image: "aGVsbG8gd29ybGQ=" },
          ],
        },
      ],
    };
    for (let i = 0; i < 6; i++) {
      const error = await client.chat(request).catch((e: unknown) => e);
      expectCallersError(error, /mediaType: required/);
      const stream = await (async () => {
        for await (const _event of client.stream(request));
      })().catch((e: unknown) => e);
      expectCallersError(stream, /mediaType: required/);
    }
    // Nothing was sent, nobody was tried after the primary, no breaker moved.
    expect([primary.callCount, fallback.callCount]).toEqual([0, 0]);
    const channels = new Set(events.map((e) => e.channel));
    expect(channels).toEqual(new Set(["onCallStart", "onAttemptStart", "onAttemptEnd", "onCallEnd"]));
    const ends = events.filter((e) => e.channel === "onCallEnd").map((e) => e.payload);
    expect(ends).toHaveLength(12);
    for (const end of ends)
      expect(end).toMatchObject({ outcome: { type: "error", error: "InvalidRequestError" } });
    expectUntouched(client);
    const ok = await client.chat({ messages: [{ role: "user", content: PROMPT }] });
    expect(ok.attempts.map((a) => [a.provider, a.outcome])).toEqual([["openai", "ok"]]);
  });
});
