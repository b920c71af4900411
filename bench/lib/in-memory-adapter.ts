import type { AttemptContext, ProviderAdapter } from "../../src/spec/provider.js";
import type { ProviderRequest } from "../../src/spec/request.js";
import type { ProviderResponse } from "../../src/spec/result.js";
import type { StreamPart } from "../../src/spec/stream.js";

const usage = { inputTokens: 8, outputTokens: 4, cachedInputTokens: 0, totalTokens: 12 };

/**
 * The cheapest adapter that honours the `ProviderAdapter` contract: no I/O, a fixed reply, a stream
 * of `textParts` text parts then the finish part. Measures the engine alone.
 */
export class InMemoryAdapter implements ProviderAdapter {
  readonly kind = "openai-compatible" as const;
  readonly domain: string;
  readonly contextWindow = undefined;
  readonly model = "in-memory-model";

  constructor(
    readonly name = "memory",
    private readonly textParts = 4,
  ) {
    this.domain = name;
  }

  async generate(request: ProviderRequest, _context: AttemptContext): Promise<ProviderResponse> {
    return {
      text: "Hello from memory",
      toolCalls: [],
      finishReason: { unified: "stop", raw: "stop" },
      usage,
      model: request.model,
      raw: undefined,
    };
  }

  async stream(request: ProviderRequest, _context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    return parts(request.model, this.textParts);
  }
}

async function* parts(model: string, count: number): AsyncGenerator<StreamPart, void, undefined> {
  for (let i = 0; i < count; i++) yield { type: "text", text: "Hello " };
  yield { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage, model };
}

/** What the engine does with an adapter, done by hand: the baseline for the engine's own cost. */
export const drainAdapterStream = async (
  adapter: ProviderAdapter,
  request: ProviderRequest,
): Promise<string> => {
  const controller = new AbortController();
  let text = "";
  for await (const part of await adapter.stream(request, { signal: controller.signal, timeoutMs: 600_000 })) {
    if (part.type === "text") text += part.text;
  }
  return text;
};
