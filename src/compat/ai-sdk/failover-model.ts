import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamResult,
} from "@ai-sdk/provider";
import type { FailoverClient } from "../../engine/create-client.js";
import { ConfigError } from "../../errors/config-error.js";
import { convertToAiSdkError } from "./convert-to-ai-sdk-error.js";
import { convertToAiSdkResult } from "./convert-to-ai-sdk-result.js";
import { convertToAiSdkStream } from "./convert-to-ai-sdk-stream.js";
import { convertToFailoverRequest } from "./convert-to-failover-request.js";

/** Options of {@link failoverModel}. */
export interface FailoverModelOptions {
  /**
   * The `modelId` the AI SDK logs and puts in telemetry for this model. The model that actually
   * answered a call is in its `response.modelId`.
   * @default "failover"
   */
  modelId?: string;
}

/** The image URLs every provider behind the engine takes as they are (the AI SDK downloads the rest). */
const supportedUrls: Record<string, RegExp[]> = { "image/*": [/^https?:\/\/.*$/i] };

/**
 * The failover client as an AI SDK language model (specification v4, the newest `ai` 7 takes):
 * `generateText`, `streamText`, `generateObject`, `Output`, tool loops and agents run through the
 * engine, which falls over between your providers before the first content.
 *
 * ```ts
 * import { generateText } from "ai";
 * import { failoverModel } from "ai-failover/ai-sdk";
 * const model = failoverModel(createClient({ providers: [openai({ model: "gpt-4.1" }), anthropic({ model: "claude-sonnet-4-6" })] }));
 * const { text, response, providerMetadata } = await generateText({ model, prompt: "hi" });
 * // response.modelId: the model that answered; providerMetadata.aiFailover: who served, every attempt
 * ```
 *
 * Failures the engine gave up on reach the AI SDK as `APICallError`s with `isRetryable: false` and
 * this library's error as `cause`: the SDK's own `maxRetries` never reruns the whole chain.
 */
export const failoverModel = (
  client: FailoverClient,
  options: FailoverModelOptions = {},
): LanguageModelV4 => {
  const looksLikeClient =
    typeof client === "object" &&
    client !== null &&
    typeof client.chat === "function" &&
    typeof client.stream === "function";
  if (!looksLikeClient) throw new ConfigError(["failoverModel: expected a client from createClient()"]);
  if (options.modelId !== undefined && (typeof options.modelId !== "string" || options.modelId === "")) {
    throw new ConfigError(["failoverModel.modelId: expected a non-empty string"]);
  }
  return new FailoverLanguageModel(client, options.modelId ?? "failover");
};

class FailoverLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4" as const;
  readonly provider = "ai-failover";
  readonly supportedUrls = supportedUrls;

  constructor(
    private readonly client: FailoverClient,
    readonly modelId: string,
  ) {}

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { request, warnings } = convertToFailoverRequest(options, { stream: false });
    try {
      return convertToAiSdkResult(await this.client.chat(request), warnings);
    } catch (error) {
      throw convertToAiSdkError(error, options.abortSignal);
    }
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { request, warnings } = convertToFailoverRequest(options, { stream: true });
    let stream: ReturnType<FailoverClient["stream"]>;
    try {
      stream = this.client.stream(request);
    } catch (error) {
      throw convertToAiSdkError(error, options.abortSignal);
    }
    return { stream: await convertToAiSdkStream(stream, warnings, options.abortSignal) };
  }
}
