/**
 * A real v4 model seen as specification v3 or v2, the way older provider packages implement it:
 * file data untagged in the prompt (bytes, base64 text or a URL), v3 finish reasons without
 * "interrupted", v2 finish reasons as strings and flat usage. The HTTP calls underneath stay real.
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";

type Fields = Record<string, any>;

/** The call options an older model received, for assertions. */
export interface Recorded {
  calls: Fields[];
}

const tagFileData = (options: Fields): Fields => ({
  ...options,
  prompt: options.prompt.map((message: Fields) =>
    typeof message.content === "string"
      ? message
      : {
          ...message,
          content: message.content.map((part: Fields) =>
            part.type !== "file"
              ? part
              : {
                  ...part,
                  data:
                    part.data instanceof URL
                      ? { type: "url", url: part.data }
                      : { type: "data", data: part.data },
                },
          ),
        },
  ),
});

const v3Finish = (finishReason: Fields) => ({
  unified: finishReason.unified === "interrupted" ? "other" : finishReason.unified,
  raw: finishReason.raw,
});
const v2Finish = (finishReason: Fields) =>
  finishReason.unified === "interrupted" ? "unknown" : finishReason.unified;
const v2Usage = (usage: Fields) => ({
  inputTokens: usage.inputTokens.total,
  outputTokens: usage.outputTokens.total,
  totalTokens:
    usage.inputTokens.total !== undefined && usage.outputTokens.total !== undefined
      ? usage.inputTokens.total + usage.outputTokens.total
      : undefined,
  cachedInputTokens: usage.inputTokens.cacheRead,
});

export const asOlderSpec = (
  model: LanguageModelV4,
  version: "v2" | "v3",
  recorded: Recorded = { calls: [] },
) => {
  const finish = version === "v3" ? v3Finish : v2Finish;
  const usage = version === "v3" ? (u: Fields) => u : v2Usage;
  return {
    specificationVersion: version,
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    async doGenerate(options: Fields) {
      recorded.calls.push(options);
      const result = await model.doGenerate(tagFileData(options) as never);
      return { ...result, finishReason: finish(result.finishReason), usage: usage(result.usage) };
    },
    async doStream(options: Fields) {
      recorded.calls.push(options);
      const result = await model.doStream(tagFileData(options) as never);
      return {
        ...result,
        stream: result.stream.pipeThrough(
          new TransformStream<Fields, Fields>({
            transform(part, controller) {
              controller.enqueue(
                part.type === "finish"
                  ? { ...part, finishReason: finish(part.finishReason), usage: usage(part.usage) }
                  : part,
              );
            },
          }),
        ),
      };
    },
  };
};
