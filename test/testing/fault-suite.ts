/**
 * Every fault × stream / non-stream × provider, through the real SDKs: asserts what each SDK
 * surfaces. No wall-clock assertions: hangs are ended by a short SDK timeout or an abort.
 */
import Anthropic from "@anthropic-ai/sdk";
import * as MistralErrors from "@mistralai/mistralai/models/errors";
import OpenAI from "openai";
import { test as baseTest, describe, expect, vi } from "vitest";
import {
  faults,
  type MockProvider,
  type MockProviderKind,
  startMockProvider,
} from "../../src/testing/index.js";
import { callThroughSdk, isAbortError, isConnectionError, isTimeoutError, statusOf } from "./drivers.js";
import { causeCode } from "./helpers.js";

const MODES = [false, true] as const;

const DEFAULT_FINISH = { openai: "stop", azure: "stop", anthropic: "end_turn", mistral: "stop" };
const TOOL_FINISH = {
  openai: "tool_calls",
  azure: "tool_calls",
  anthropic: "tool_use",
  mistral: "tool_calls",
};
const FILTER_FINISH = {
  openai: "content_filter",
  azure: "content_filter",
  anthropic: "refusal",
  mistral: "content_filter",
};

/** An AbortSignal that fires `ms` after `arm()` is called. */
function abortLater(ms: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: controller.signal,
    arm: () => {
      timer ??= setTimeout(() => controller.abort(), ms);
    },
    clear: () => clearTimeout(timer),
  };
}

/**
 * Defines the whole fault suite for one provider kind. Every test gets its own mock, so the tests
 * run concurrently and their short waits overlap.
 */
/** The kinds with an official SDK of their own (Google's wire is read through `@ai-sdk/google`: wire-google.test.ts). */
export type SdkKind = Exclude<MockProviderKind, "google">;

export function describeFaultsThroughSdk(kind: SdkKind): void {
  const test = baseTest.extend<{ mock: MockProvider }>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures must destructure their context
    mock: async ({}, use) => {
      const mock = await startMockProvider({ kind });
      await use(mock);
      await mock.close();
    },
  });

  describe.concurrent(`${kind} through its SDK`, () => {
    describe.each(MODES)("stream=%s", (stream) => {
      test("reply: default text, default finish, usage", async ({ mock }) => {
        const out = await callThroughSdk(mock, { stream });
        expect(out.error).toBeUndefined();
        expect(out.text).toBe(`Hello from ${kind}`);
        expect(out.finish).toBe(DEFAULT_FINISH[kind]);
        expect(out.terminal).toBe(true);
        expect(out.outputTokens).toBeGreaterThan(0);
        if (stream) expect(out.contentEvents).toBeGreaterThan(1);
        expect(mock.lastRequest?.stream).toBe(stream);
      });

      test("reply with tool calls", async ({ mock }) => {
        mock.script(
          faults.reply({
            text: "Let me check.",
            toolCalls: [{ name: "get_weather", arguments: { city: "Paris", units: "metric" } }],
          }),
        );
        const out = await callThroughSdk(mock, { stream, tools: true });
        expect(out.error).toBeUndefined();
        expect(out.text).toBe("Let me check.");
        expect(out.toolCalls).toEqual([
          { id: expect.any(String), name: "get_weather", arguments: { city: "Paris", units: "metric" } },
        ]);
        expect(out.finish).toBe(TOOL_FINISH[kind]);
        if (stream) {
          // Text is 2 deltas of 8 chars; tool arguments arrive in several partial deltas, except on Mistral.
          const textEvents = 2;
          if (kind === "mistral") expect(out.contentEvents).toBe(textEvents + 1);
          else expect(out.contentEvents).toBeGreaterThan(textEvents + 2);
        }
      });

      test("reply with structured output and explicit usage / finish reason", async ({ mock }) => {
        mock.script(
          faults.reply({
            json: { answer: 42, ok: true },
            usage: { inputTokens: 11, outputTokens: 7 },
            finishReason: "length",
          }),
        );
        const out = await callThroughSdk(mock, { stream });
        expect(JSON.parse(out.text)).toEqual({ answer: 42, ok: true });
        expect(out.outputTokens).toBe(7);
        expect(out.finish).toBe(kind === "anthropic" ? "length" : "length");
      });

      const errorCases = [
        { name: "rateLimited", fault: faults.rateLimited(), status: 429 },
        { name: "quota", fault: faults.quota(), status: 429 },
        { name: "serverError", fault: faults.serverError(), status: 503 },
        { name: "serverError(500)", fault: faults.serverError(500), status: 500 },
        { name: "overloaded", fault: faults.overloaded(), status: kind === "anthropic" ? 529 : 503 },
        { name: "auth", fault: faults.auth(), status: 401 },
        { name: "auth(403)", fault: faults.auth(403), status: 403 },
        { name: "contextLength", fault: faults.contextLength(), status: 400 },
        { name: "contentFilter", fault: faults.contentFilter(), status: 400 },
        { name: "badRequest", fault: faults.badRequest(), status: 400 },
        { name: "notFound", fault: faults.notFound(), status: 404 },
      ];
      test.for(errorCases)("$name → HTTP $status error", async ({ fault, status }, { mock }) => {
        mock.script(fault);
        const out = await callThroughSdk(mock, { stream });
        expect(statusOf(out.error)).toBe(status);
      });

      test.for([502, 520, 524])("html %i → status error, HTML body", async (status, { mock }) => {
        mock.script(faults.html(status));
        const out = await callThroughSdk(mock, { stream });
        expect(statusOf(out.error)).toBe(status);
        expect(String(out.error.message)).toContain("cloudflare");
      });

      test("raw status fault", async ({ mock }) => {
        mock.script(faults.status(418, { nope: true }, { "x-custom": "1" }));
        const out = await callThroughSdk(mock, { stream });
        expect(statusOf(out.error)).toBe(418);
      });

      test("reset → connection error (ECONNRESET)", async ({ mock }) => {
        mock.script(faults.reset());
        const out = await callThroughSdk(mock, { stream });
        expect(isConnectionError(kind, out.error)).toBe(true);
        expect(causeCode(out.error)).toBe("ECONNRESET");
      });

      test("black-hole → SDK timeout error; the mock frees the call", async ({ mock }) => {
        mock.script(faults.blackHole());
        const out = await callThroughSdk(mock, { stream, timeout: 100 });
        expect(isTimeoutError(kind, out.error)).toBe(true);
        await vi.waitFor(() => expect(mock.inFlight).toBe(0), { interval: 5 });
      });

      test("slow-headers → reply after the delay, or the SDK timeout", async ({ mock }) => {
        mock.script(
          faults.slowHeaders(20),
          faults.slowHeaders(20, faults.serverError(502)),
          faults.slowHeaders(60_000),
        );
        expect((await callThroughSdk(mock, { stream })).text).toBe(`Hello from ${kind}`);
        expect(statusOf((await callThroughSdk(mock, { stream })).error)).toBe(502);
        const out = await callThroughSdk(mock, { stream, timeout: 100 });
        expect(isTimeoutError(kind, out.error)).toBe(true);
        await vi.waitFor(() => expect(mock.inFlight).toBe(0), { interval: 5 });
      });

      test("slow-first-token (short) → full reply", async ({ mock }) => {
        mock.script(faults.slowFirstToken(20));
        const out = await callThroughSdk(mock, { stream });
        expect(out.error).toBeUndefined();
        expect(out.text).toBe(`Hello from ${kind}`);
      });

      test("stall → N content events then silence (ended by an abort)", async ({ mock }) => {
        mock.script(faults.stall(2, { pingIntervalMs: 10 }));
        const abort = abortLater(100);
        if (!stream) abort.arm();
        const out = await callThroughSdk(mock, {
          stream,
          signal: abort.signal,
          onEvent: (n) => n === 2 && abort.arm(),
        });
        abort.clear();
        expect(abort.signal.aborted).toBe(true);
        expect(out.terminal).toBe(false);
        if (stream) {
          expect(out.contentEvents).toBe(2);
          // An aborted stream iteration ends quietly in openai-node and Anthropic; Mistral throws.
          if (kind === "mistral") expect(out.error).toMatchObject({ name: "AbortError" });
          else expect(out.error).toBeUndefined();
        }
        // Aborted while reading the body: openai-node wraps it, Anthropic and Mistral let the DOMException through.
        else if (kind === "openai" || kind === "azure") expect(isAbortError(kind, out.error)).toBe(true);
        else expect(out.error).toMatchObject({ name: "AbortError" });
        await vi.waitFor(() => expect(mock.inFlight).toBe(0), { interval: 5 });
      });

      test("cut → transport error after N content events", async ({ mock }) => {
        mock.script(faults.cut(1));
        const out = await callThroughSdk(mock, { stream });
        // undici's body error surfaces raw through every SDK: TypeError("terminated"), cause UND_ERR_SOCKET.
        expect(out.error).toBeInstanceOf(TypeError);
        expect(out.error.message).toBe("terminated");
        expect(causeCode(out.error)).toBe("UND_ERR_SOCKET");
        if (stream) expect(out.contentEvents).toBe(1);
      });

      test("no-terminal → stream ends quietly without its terminal event", async ({ mock }) => {
        mock.script(faults.noTerminal());
        const out = await callThroughSdk(mock, { stream });
        expect(out.error).toBeUndefined();
        expect(out.text).toBe(`Hello from ${kind}`);
        expect(out.terminal).toBe(!stream);
      });

      test("malformed → JSON parse error", async ({ mock }) => {
        mock.script(faults.malformed(1));
        const out = await callThroughSdk(mock, { stream });
        if (stream && kind === "mistral") {
          expect(out.error?.name).toBe("ZodError");
          expect(String(out.error.message)).toContain("malformed json");
        } else {
          expect(out.error).toBeInstanceOf(SyntaxError);
        }
        if (stream) expect(out.contentEvents).toBe(1);
      });

      test("in-band-error → the provider's own in-band error", async ({ mock }) => {
        mock.script(faults.inBandError({ afterEvents: 1 }));
        const out = await callThroughSdk(mock, { stream });
        if (stream) {
          expect(out.contentEvents).toBe(1);
          if (kind === "mistral") {
            expect(out.error).toBeUndefined();
            expect(out.finish).toBe("error");
          } else if (kind === "anthropic") {
            expect(out.error).toBeInstanceOf(Anthropic.APIError);
            expect(out.error.status).toBeUndefined();
            expect(out.error.type).toBe("overloaded_error");
          } else {
            expect(out.error).toBeInstanceOf(OpenAI.APIError);
            expect(out.error.status).toBeUndefined();
            expect(out.error.type).toBe("server_error");
          }
        } else if (kind === "mistral") {
          expect(out.error).toBeInstanceOf(MistralErrors.ResponseValidationError);
        } else {
          // HTTP 200 with an error body: the SDK hands it back as if it were a completion.
          expect(out.error).toBeUndefined();
          expect(out.raw[0]).toHaveProperty("error");
        }
      });

      test("content-filter-stream → the provider's filtered finish reason", async ({ mock }) => {
        mock.script(faults.contentFilterStream());
        const out = await callThroughSdk(mock, { stream });
        expect(out.error).toBeUndefined();
        expect(out.finish).toBe(FILTER_FINISH[kind]);
        expect(out.text.length).toBeLessThan(`Hello from ${kind}`.length);
      });
    });

    test("slow-first-token: headers and the role chunk / message_start at once, content later", async ({
      mock,
    }) => {
      mock.script(faults.slowFirstToken(60_000));
      const abort = abortLater(100);
      // The Mistral SDK hands fetch a Request carrying the signal; under GC pressure Node can lose that
      // link and the abort never lands (see src/providers/mistral/create-attempt-signal.ts). Here the
      // server drops the connection instead, so this test checks the mock, not that SDK bug.
      const onRaw = kind === "mistral" ? () => void mock.down().then(() => mock.up()) : abort.arm;
      const out = await callThroughSdk(mock, { stream: true, signal: abort.signal, onRaw });
      abort.clear();
      expect(out.contentEvents).toBe(0);
      // The SDK call itself resolved (headers arrived) and the pre-content frame was parsed.
      expect(out.raw.length).toBe(kind === "azure" ? 2 : 1);
      await vi.waitFor(() => expect(mock.inFlight).toBe(0), { interval: 5 });
    });
  });
}
