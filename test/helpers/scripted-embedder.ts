import type { FailureClass } from "../../src/errors/failure-class.js";
import { ProviderError } from "../../src/errors/provider-error.js";
import type {
  EmbeddingCapability,
  ProviderEmbedRequest,
  ProviderEmbedResponse,
} from "../../src/spec/embed.js";
import type { AttemptContext, ProviderAdapter, ProviderKind } from "../../src/spec/provider.js";

/** What one embedding call to a scripted embedder does. */
export type EmbedBehaviour =
  | { type: "ok"; dimensions?: number; count?: number; value?: number }
  | { type: "fail"; failureClass: FailureClass; status?: number; retryAfterMs?: number }
  | { type: "hang" }
  | { type: "slow"; ms: number };

/**
 * An in-memory adapter whose embedding calls follow a script (then "ok"), for engine tests that
 * need exact control of timing with fake timers. Wire-level behaviour is tested against the mock.
 */
export class ScriptedEmbedder implements ProviderAdapter {
  readonly kind: ProviderKind = "openai-compatible";
  readonly contextWindow = undefined;
  readonly domain: string;
  readonly model: string;
  readonly embeddings: EmbeddingCapability;
  readonly requests: ProviderEmbedRequest[] = [];
  calls = 0;
  private script: EmbedBehaviour[] = [];

  constructor(
    readonly name: string,
    space: Partial<EmbeddingCapability> = {},
  ) {
    this.model = `${name}-chat`;
    this.domain = name;
    this.embeddings = {
      model: space.model ?? "embed-model",
      dimensions: "dimensions" in space ? space.dimensions : 3,
      tokenInput: space.tokenInput ?? true,
    };
  }

  queue(...behaviours: EmbedBehaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  generate(): never {
    throw new Error("chat is not scripted");
  }

  stream(): never {
    throw new Error("chat is not scripted");
  }

  async embed(request: ProviderEmbedRequest, context: AttemptContext): Promise<ProviderEmbedResponse> {
    this.calls++;
    this.requests.push(request);
    const behaviour = this.script.shift() ?? { type: "ok" };
    const { signal } = context;
    if (behaviour.type === "fail") {
      throw new ProviderError({
        failureClass: behaviour.failureClass,
        provider: this.name,
        model: this.embeddings.model,
        message: `scripted ${behaviour.failureClass}`,
        status: behaviour.status,
        retryAfterMs: behaviour.retryAfterMs,
      });
    }
    if (behaviour.type === "hang") {
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    }
    if (behaviour.type === "slow") {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, behaviour.ms);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
    }
    const ok: { dimensions?: number; count?: number; value?: number } =
      behaviour.type === "ok" ? behaviour : {};
    const length = ok.dimensions ?? request.dimensions ?? 3;
    const count = ok.count ?? request.input.length;
    return {
      embeddings: Array.from({ length: count }, (_, i) => Array.from({ length }, () => ok.value ?? i + 1)),
      model: this.embeddings.model,
      usage: { inputTokens: 2, outputTokens: undefined, cachedInputTokens: undefined, totalTokens: 2 },
      raw: { from: this.name },
    };
  }
}
