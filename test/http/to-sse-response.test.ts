import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createClient,
  type FailoverClient,
  type ProviderAdapter,
  type StreamPart,
  toSSEResponse,
} from "../../src/index.js";
import { delay } from "../../src/internal/abortable-delay.js";
import {
  faults,
  type MockProviderGroup,
  type MockProviderSpec,
  startMockProviders,
} from "../../src/testing/index.js";
import { createTwoProviderClient, eventsOf, parseFrames, readAll, readFramesUntil } from "./helpers.js";

const ask = { messages: [{ role: "user" as const, content: "Where is my order?" }] };

describe("toSSEResponse against mock providers", () => {
  let mocks: MockProviderGroup<{ openai: MockProviderSpec; anthropic: MockProviderSpec }>;
  let llm: FailoverClient;

  beforeAll(async () => {
    mocks = await startMockProviders({ openai: {}, anthropic: {} });
  });
  afterAll(() => mocks.close());
  beforeEach(() => {
    mocks.reset();
    llm = createTwoProviderClient(mocks);
  });

  it("cancels the provider request when the body is cancelled, without any signal", async () => {
    mocks.openai.script(faults.stall(2, { reply: { text: "never finishes", chunkSize: 4 } }));
    const response = await toSSEResponse(llm.stream(ask));
    const { frames, cancel } = await readFramesUntil(response, (f) => eventsOf(f).length === 3);
    expect(eventsOf(frames).map((e) => e.event)).toEqual(["start", "text", "text"]);
    await cancel();
    await vi.waitFor(() => expect(mocks.openai.inFlight).toBe(0), { timeout: 5_000 });
    expect(mocks.anthropic.callCount).toBe(0);
  });

  it("cancels the call and errors the body when the request's signal aborts mid-stream", async () => {
    mocks.openai.script(faults.stall(2, { reply: { text: "never finishes", chunkSize: 4 } }));
    const client = new AbortController();
    const response = await toSSEResponse(llm.stream(ask), { signal: client.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (eventsOf(parseFrames(text)).length < 3) text += decoder.decode((await reader.read()).value);
    client.abort();
    // Nobody cancels a body that no runtime serves: its reader must still end.
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
    await vi.waitFor(() => expect(mocks.openai.inFlight).toBe(0), { timeout: 5_000 });
  });

  it("resolves 499 and cancels the call when the request's signal aborts before the first event", async () => {
    mocks.openai.script(faults.blackHole());
    const client = new AbortController();
    const onError = vi.fn();
    const pending = toSSEResponse(llm.stream(ask), { signal: client.signal, onError });
    await vi.waitFor(() => expect(mocks.openai.callCount).toBe(1), { timeout: 5_000 });
    expect(mocks.openai.inFlight).toBe(1);
    client.abort();
    expect((await pending).status).toBe(499);
    await vi.waitFor(() => expect(mocks.openai.inFlight).toBe(0), { timeout: 5_000 });
    expect(mocks.anthropic.callCount).toBe(0);
    expect(onError).not.toHaveBeenCalled();
  });

  it("sends nothing to providers when the signal aborted already", async () => {
    const response = await toSSEResponse(llm.stream(ask), { signal: AbortSignal.abort() });
    expect(response.status).toBe(499);
    expect(mocks.openai.callCount + mocks.anthropic.callCount).toBe(0);
  });

  it("adds the given headers to the stream and to an error, and lets them win", async () => {
    const headers = { "access-control-allow-origin": "https://app.example", "cache-control": "no-store" };
    const ok = await toSSEResponse(llm.stream(ask), { headers });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(ok.headers.get("x-accel-buffering")).toBe("no");
    await readAll(ok);
    mocks.openai.script(faults.badRequest());
    const refused = await toSSEResponse(llm.stream(ask), { headers });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://app.example");
  });

  it("reports each failure once to onError and shows getErrorMessage's text", async () => {
    mocks.openai.script(faults.cut(1, { text: "partial answer", chunkSize: 7 }));
    const seen: unknown[] = [];
    const response = await toSSEResponse(llm.stream(ask), {
      onError: (error) => seen.push(error),
      getErrorMessage: (error) => (error as Error).message,
    });
    const last = eventsOf(parseFrames(await readAll(response))).at(-1)!;
    expect(last.event).toBe("error");
    expect(last.data.message).toMatch(
      /^Stream from openai \(gpt-4\.1\) failed after output began \(connection\)/,
    );
    expect(last.data.partialText).toBe("partial");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ name: "StreamInterruptedError", partialText: "partial" });
  });

  it("still answers when onError and getErrorMessage throw", async () => {
    mocks.openai.script(faults.serverError(503));
    mocks.anthropic.script(faults.serverError(503));
    const response = await toSSEResponse(llm.stream(ask), {
      onError: () => {
        throw new Error("logger down");
      },
      getErrorMessage: () => {
        throw new Error("bug");
      },
    });
    expect(response.status).toBe(503);
    expect((await response.json()).error.message).toBe(
      "The AI service is unavailable right now. Please try again later.",
    );
  });

  it("sends tool-call deltas only when asked", async () => {
    const reply = faults.reply({ toolCalls: [{ id: "call_9", name: "get_order", arguments: { id: 7 } }] });
    mocks.openai.script(reply, reply);
    const without = eventsOf(parseFrames(await readAll(await toSSEResponse(llm.stream(ask)))));
    expect(without.map((e) => e.event)).toEqual(["start", "tool-call", "finish"]);
    const withDeltas = eventsOf(
      parseFrames(await readAll(await toSSEResponse(llm.stream(ask), { toolCallDeltas: true }))),
    );
    const deltas = withDeltas.filter((e) => e.event === "tool-call-delta").map((e) => e.data);
    expect(deltas[0]).toMatchObject({ index: 0, id: "call_9", name: "get_order" });
    expect(deltas.map((d) => d.argumentsDelta).join("")).toBe('{"id":7}');
    expect(withDeltas.find((e) => e.event === "tool-call")?.data.arguments).toEqual({ id: 7 });
  });
});

describe("toSSEResponse with failures outside the providers", () => {
  it("answers 500 with a generic message for an unexpected error, never its text", async () => {
    const onError = vi.fn();
    const response = await toSSEResponse(
      () => {
        throw new Error("db password is hunter2");
      },
      { onError },
    );
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal_error", message: "Something went wrong." } });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "db password is hunter2" }));
  });

  it("answers 504 when the call's own signal times out before the first event", async () => {
    const llm = createClient({ providers: [new HangingAdapter()] });
    const response = await toSSEResponse(llm.stream({ ...ask, signal: AbortSignal.timeout(20) }));
    expect(response.status).toBe(504);
    expect((await response.json()).error.code).toBe("timeout");
  });
});

/** Streams "Hello", pauses (abortable), then " world": a slow model mid-reply. */
class PausingAdapter implements ProviderAdapter {
  readonly name = "slow";
  readonly kind = "openai-compatible" as const;
  readonly model = "slow-model";
  readonly domain = "slow";
  readonly contextWindow = undefined;
  constructor(private readonly pauseMs: number) {}
  generate(): never {
    throw new Error("stream only");
  }
  async stream(_request: unknown, context: { signal: AbortSignal }): Promise<AsyncIterable<StreamPart>> {
    const { pauseMs } = this;
    return (async function* () {
      yield { type: "text", text: "Hello" } as StreamPart;
      await delay(pauseMs, context.signal);
      yield { type: "text", text: " world" } as StreamPart;
      yield {
        type: "finish",
        finishReason: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: undefined, totalTokens: 3 },
        model: "slow-model",
      } as StreamPart;
    })();
  }
}

/** A tool call whose arguments stream in 6 pieces, 5 s apart. */
class SlowToolCallAdapter extends PausingAdapter {
  constructor() {
    super(5_000);
  }
  override async stream(
    _request: unknown,
    context: { signal: AbortSignal },
  ): Promise<AsyncIterable<StreamPart>> {
    const pieces = ['{"id', '":', " 1", "04", "2", "}"];
    return (async function* () {
      for (const [i, argumentsDelta] of pieces.entries()) {
        if (i > 0) await delay(5_000, context.signal);
        yield {
          type: "tool-call-delta",
          index: 0,
          ...(i === 0 ? { id: "call_1", name: "get_order" } : {}),
          argumentsDelta,
        } as StreamPart;
      }
      yield {
        type: "tool-call",
        index: 0,
        toolCall: { id: "call_1", name: "get_order", arguments: { id: 1042 }, rawArguments: pieces.join("") },
      } as StreamPart;
      yield {
        type: "finish",
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: { inputTokens: 1, outputTokens: 6, cachedInputTokens: undefined, totalTokens: 7 },
        model: "slow-model",
      } as StreamPart;
    })();
  }
}

/** Never answers until aborted. */
class HangingAdapter extends PausingAdapter {
  constructor() {
    super(0);
  }
  override async stream(_request: unknown, context: { signal: AbortSignal }): Promise<never> {
    await delay(2_147_483_647, context.signal);
    throw new Error("unreachable");
  }
}

describe("keep-alive comments", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Reads the whole body while fake time runs on. */
  const readWhileTimePasses = async (response: Response, ms: number): Promise<string> => {
    const text = readAll(response);
    await vi.advanceTimersByTimeAsync(ms);
    return text;
  };

  it("fills a silent gap with a comment every keepAliveMs and loses no event", async () => {
    const llm = createClient({ providers: [new PausingAdapter(35_000)], deadlines: { idleMs: 60_000 } });
    const response = await toSSEResponse(llm.stream(ask), { keepAliveMs: 10_000 });
    const frames = parseFrames(await readWhileTimePasses(response, 40_000));
    expect(frames.map((f) => ("event" in f ? f.event : `:${f.comment}`))).toEqual([
      "start",
      "text",
      ":keep-alive",
      ":keep-alive",
      ":keep-alive",
      "text",
      "finish",
    ]);
  });

  it("counts tool-call deltas it leaves out as silence", async () => {
    const llm = createClient({ providers: [new SlowToolCallAdapter()] });
    const response = await toSSEResponse(llm.stream(ask), { keepAliveMs: 10_000 });
    const frames = parseFrames(await readWhileTimePasses(response, 30_000));
    // 25 s between the first piece and the complete call: two comments, none lost to the skipped deltas.
    expect(frames.map((f) => ("event" in f ? f.event : `:${f.comment}`))).toEqual([
      "start",
      ":keep-alive",
      ":keep-alive",
      "tool-call",
      "finish",
    ]);
  });

  it("sends a comment 15 s into a gap by default, and none when turned off", async () => {
    const client = () => createClient({ providers: [new PausingAdapter(20_000)] });
    const byDefault = parseFrames(
      await readWhileTimePasses(await toSSEResponse(client().stream(ask)), 25_000),
    );
    expect(byDefault.filter((f) => "comment" in f)).toHaveLength(1);
    const off = parseFrames(
      await readWhileTimePasses(await toSSEResponse(client().stream(ask), { keepAliveMs: 0 }), 25_000),
    );
    expect(off.filter((f) => "comment" in f)).toHaveLength(0);
    expect(eventsOf(off).at(-1)?.event).toBe("finish");
  });
});
