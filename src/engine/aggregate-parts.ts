import type { ToolCall } from "../spec/request.js";
import { emptyUsage, type FinishReason, type Usage } from "../spec/result.js";
import type { StreamPart } from "../spec/stream.js";

/** Accumulates one attempt's parts into the pieces of a result. */
export class PartAggregator {
  text = "";
  /** The refusal's pieces joined; undefined when the model did not refuse. */
  refusal: string | undefined;
  readonly toolCalls: ToolCall[] = [];
  finishReason: FinishReason | undefined;
  usage: Usage = emptyUsage();
  model: string | undefined;
  id: string | undefined;
  raw: unknown;
  finished = false;

  add(part: StreamPart): void {
    switch (part.type) {
      case "text":
        this.text += part.text;
        break;
      case "refusal":
        this.refusal = (this.refusal ?? "") + part.text;
        break;
      case "tool-call":
        this.toolCalls.push(part.toolCall);
        break;
      case "finish":
        this.finished = true;
        this.finishReason = part.finishReason;
        this.usage = part.usage;
        this.model = part.model;
        this.id = part.id;
        this.raw = part.raw;
        break;
      default:
        break;
    }
  }
}
