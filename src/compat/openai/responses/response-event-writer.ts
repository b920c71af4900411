import type { ChatStreamEvent } from "../../../spec/chat.js";
import type { ToolCall } from "../../../spec/request.js";
import { isRecord } from "./convert-responses-input.js";
import {
  createResponseObject,
  finishStatus,
  functionCallItem,
  messageItem,
  outputTextPart,
  toResponseUsage,
} from "./convert-to-response.js";
import { newCallId, newFunctionCallId } from "./failover-ids.js";
import type { ResponseObject, ResponsesParams, ResponsesStreamEvent } from "./responses-wire-types.js";

type Item = Record<string, unknown> & { type?: unknown; id?: unknown };

/** The message item text is streaming into. */
interface OpenMessage {
  outputIndex: number;
  id: string;
  /** Index of the part text streams into; -1 before it is added. */
  contentIndex: number;
  /** What the open part holds: answer text (`output_text`) or a refusal (`refusal`). */
  partType: "output_text" | "refusal";
  text: string;
}

/** A content part of a message item, as the Responses API writes it. */
const contentPart = (type: OpenMessage["partType"], text: string) =>
  type === "refusal" ? { type: "refusal", refusal: text } : outputTextPart(text);

/** A function call item whose arguments are streaming. */
interface OpenCall {
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  arguments: string;
}

/**
 * Writes a genuine Responses event stream for an answer the engine streams:
 * `response.created`, `response.in_progress`, then per output item `response.output_item.added`,
 * its content (`response.content_part.added` + `response.output_text.delta`… + `.done` +
 * `response.content_part.done`, or `response.function_call_arguments.delta`… + `.done`),
 * `response.output_item.done`, and last `response.completed` (or `response.incomplete` for a
 * length limit), every event numbered by `sequence_number` from 0. Text after a tool call opens a
 * new message item, as OpenAI does.
 *
 * It can also take over a stream the primary started (`observe` every raw event it passed on):
 * when a committed stream is continued on a fallback (`onStreamInterrupted: "continue"`), the
 * fallback's text continues the same response, items and numbering, so the SDK's accumulator sees
 * one coherent response.
 */
export class ResponseEventWriter {
  private sequence = 0;
  private base: ResponseObject | undefined;
  private readonly items: Item[] = [];
  private message: OpenMessage | undefined;
  /** Function calls in progress, by the engine's tool-call index. */
  private readonly calls = new Map<number, OpenCall>();
  /** Raw function call items in progress, by item id. */
  private readonly rawCalls = new Map<string, number>();
  /** The answer was a refusal: it completes (as OpenAI's does) rather than ending filtered. */
  private refused = false;

  constructor(private readonly params: ResponsesParams) {}

  /** The response id the stream uses, once started. */
  get responseId(): string | undefined {
    return this.base?.id;
  }

  /** Records a raw event the primary sent, so a fallback can continue the same response. */
  observe(event: unknown): void {
    if (!isRecord(event) || typeof event.type !== "string") return;
    if (typeof event.sequence_number === "number")
      this.sequence = Math.max(this.sequence, event.sequence_number + 1);
    const outputIndex = typeof event.output_index === "number" ? event.output_index : undefined;
    switch (event.type) {
      case "response.created":
      case "response.in_progress":
      case "response.queued":
        if (isRecord(event.response)) this.base = event.response as unknown as ResponseObject;
        return;
      case "response.output_item.added":
      case "response.output_item.done": {
        if (outputIndex === undefined || !isRecord(event.item)) return;
        const item = structuredClone(event.item) as Item;
        this.items[outputIndex] = item;
        const done = event.type === "response.output_item.done";
        if (item.type === "message" && typeof item.id === "string") {
          this.message = done
            ? undefined
            : { outputIndex, id: item.id, contentIndex: -1, partType: "output_text", text: "" };
        } else if (item.type === "function_call" && typeof item.id === "string") {
          if (done) this.rawCalls.delete(item.id);
          else this.rawCalls.set(item.id, outputIndex);
        }
        return;
      }
      case "response.content_part.added":
      case "response.content_part.done": {
        const message = this.message;
        if (!message || message.outputIndex !== outputIndex || typeof event.content_index !== "number")
          return;
        const item = this.items[outputIndex]!;
        const content = Array.isArray(item.content) ? [...item.content] : [];
        content[event.content_index] = structuredClone(event.part);
        item.content = content;
        // Text continues only into an open `output_text` part.
        const open =
          event.type === "response.content_part.added" &&
          isRecord(event.part) &&
          event.part.type === "output_text";
        message.contentIndex = open ? event.content_index : -1;
        message.text = "";
        return;
      }
      case "response.output_text.delta":
        if (this.message && this.message.outputIndex === outputIndex && typeof event.delta === "string")
          this.message.text += event.delta;
        return;
      case "response.function_call_arguments.delta": {
        const item = outputIndex === undefined ? undefined : this.items[outputIndex];
        if (item && typeof event.delta === "string")
          item.arguments = `${typeof item.arguments === "string" ? item.arguments : ""}${event.delta}`;
        return;
      }
      default:
    }
  }

  /** Events for one engine event of a provider whose answer the writer builds. */
  write(event: ChatStreamEvent): ResponsesStreamEvent[] {
    const out: ResponsesStreamEvent[] = [];
    switch (event.type) {
      case "start":
        if (!this.base) {
          this.base = createResponseObject(this.params, event.model);
          out.push(this.emit("response.created", { response: this.snapshot() }));
          out.push(this.emit("response.in_progress", { response: this.snapshot() }));
        }
        return out;
      case "text":
        if (event.text === "") return out;
        this.openMessage(out, "output_text");
        out.push(
          this.emit("response.output_text.delta", {
            ...this.messageRoute(),
            delta: event.text,
            logprobs: [],
          }),
        );
        this.message!.text += event.text;
        return out;
      // A refusal is a `refusal` content part of the message, as OpenAI streams one.
      case "refusal":
        if (event.text === "") return out;
        this.openMessage(out, "refusal");
        this.refused = true;
        out.push(this.emit("response.refusal.delta", { ...this.messageRoute(), delta: event.text }));
        this.message!.text += event.text;
        return out;
      case "tool-call-delta": {
        const call = this.openCall(event.index, event.id, event.name, out);
        if (event.argumentsDelta !== "") {
          call.arguments += event.argumentsDelta;
          out.push(
            this.emit("response.function_call_arguments.delta", {
              item_id: call.id,
              output_index: call.outputIndex,
              delta: event.argumentsDelta,
            }),
          );
        }
        return out;
      }
      case "tool-call":
        this.completeCall(event.index, event.toolCall, out);
        return out;
      case "finish":
        this.finish(event, out);
        return out;
    }
  }

  private finish(event: Extract<ChatStreamEvent, { type: "finish" }>, out: ResponsesStreamEvent[]): void {
    const end = finishStatus(this.refused ? { unified: "stop", raw: undefined } : event.finishReason);
    this.closeMessage(out, end.status === "completed" ? "completed" : "incomplete");
    for (const [index, call] of this.calls) this.closeCall(index, call, "incomplete", out);
    for (const [id, outputIndex] of this.rawCalls) {
      const item = { ...this.items[outputIndex], status: "incomplete" };
      this.items[outputIndex] = item;
      out.push(this.emit("response.output_item.done", { output_index: outputIndex, item }));
      this.rawCalls.delete(id);
    }
    const usage = toResponseUsage(event.usage);
    const response: Record<string, unknown> = {
      ...this.snapshot(),
      // The model that finished the answer, as the provider reported it.
      model: event.model,
      ...end,
      output: this.items.filter((item) => item !== undefined),
      usage,
    };
    if (usage === undefined) delete response.usage;
    out.push(
      this.emit(end.status === "completed" ? "response.completed" : "response.incomplete", { response }),
    );
  }

  private snapshot(): ResponseObject {
    return { ...this.base!, output: [], usage: null };
  }

  private emit(type: string, fields: Record<string, unknown>): ResponsesStreamEvent {
    return { type, ...fields, sequence_number: this.sequence++ };
  }

  private messageRoute() {
    const message = this.message!;
    return { item_id: message.id, output_index: message.outputIndex, content_index: message.contentIndex };
  }

  /** Opens the message item and a content part of `partType` (closing a part of the other type). */
  private openMessage(out: ResponsesStreamEvent[], partType: OpenMessage["partType"]): void {
    if (!this.message) {
      const item = { ...messageItem("", "in_progress"), content: [] };
      const outputIndex = this.items.length;
      this.items[outputIndex] = item;
      this.message = { outputIndex, id: item.id, contentIndex: -1, partType, text: "" };
      out.push(this.emit("response.output_item.added", { output_index: outputIndex, item }));
    }
    if (this.message.contentIndex !== -1 && this.message.partType !== partType) this.closePart(out);
    if (this.message.contentIndex === -1) {
      const item = this.items[this.message.outputIndex]!;
      const content = Array.isArray(item.content) ? item.content : [];
      this.message.contentIndex = content.length;
      this.message.partType = partType;
      this.message.text = "";
      out.push(
        this.emit("response.content_part.added", {
          ...this.messageRoute(),
          part: contentPart(partType, ""),
        }),
      );
    }
  }

  /** Ends the open content part of the message (its `.done` events), keeping the item open. */
  private closePart(out: ResponsesStreamEvent[]): void {
    const message = this.message;
    if (!message || message.contentIndex === -1) return;
    const route = { ...this.messageRoute() };
    const part = contentPart(message.partType, message.text);
    if (message.partType === "refusal")
      out.push(this.emit("response.refusal.done", { ...route, refusal: message.text }));
    else out.push(this.emit("response.output_text.done", { ...route, text: message.text, logprobs: [] }));
    out.push(this.emit("response.content_part.done", { ...route, part }));
    const item = this.items[message.outputIndex]!;
    const content = Array.isArray(item.content) ? [...item.content] : [];
    content[message.contentIndex] = part;
    this.items[message.outputIndex] = { ...item, content };
    message.contentIndex = -1;
    message.text = "";
  }

  private closeMessage(out: ResponsesStreamEvent[], status: "completed" | "incomplete"): void {
    this.closePart(out);
    const message = this.message;
    if (!message) return;
    this.message = undefined;
    const item = this.items[message.outputIndex]!;
    const content = Array.isArray(item.content) ? [...item.content] : [];
    const done = { ...item, status, content };
    this.items[message.outputIndex] = done;
    out.push(this.emit("response.output_item.done", { output_index: message.outputIndex, item: done }));
  }

  private openCall(
    index: number,
    id: string | undefined,
    name: string | undefined,
    out: ResponsesStreamEvent[],
  ): OpenCall {
    const open = this.calls.get(index);
    if (open) return open;
    this.closeMessage(out, "completed");
    const call: OpenCall = {
      outputIndex: this.items.length,
      id: newFunctionCallId(),
      callId: id ?? newCallId(),
      name: name ?? "",
      arguments: "",
    };
    this.calls.set(index, call);
    const item = functionCallItem(
      { id: call.callId, name: call.name, arguments: {}, rawArguments: "" },
      "in_progress",
      call.id,
    );
    this.items[call.outputIndex] = { ...item };
    out.push(this.emit("response.output_item.added", { output_index: call.outputIndex, item }));
    return call;
  }

  private completeCall(index: number, toolCall: ToolCall, out: ResponsesStreamEvent[]): void {
    const call = this.openCall(index, toolCall.id, toolCall.name, out);
    const args = toolCall.rawArguments ?? JSON.stringify(toolCall.arguments ?? {});
    // A call that arrived whole (or whose pieces did not add up) streams its arguments in one delta.
    if (call.arguments === "" && args !== "") {
      out.push(
        this.emit("response.function_call_arguments.delta", {
          item_id: call.id,
          output_index: call.outputIndex,
          delta: args,
        }),
      );
    }
    call.arguments = args;
    call.name = call.name || toolCall.name;
    this.closeCall(index, call, "completed", out);
  }

  private closeCall(
    index: number,
    call: OpenCall,
    status: "completed" | "incomplete",
    out: ResponsesStreamEvent[],
  ): void {
    this.calls.delete(index);
    const route = { item_id: call.id, output_index: call.outputIndex };
    if (status === "completed")
      out.push(
        this.emit("response.function_call_arguments.done", {
          ...route,
          name: call.name,
          arguments: call.arguments,
        }),
      );
    const item = functionCallItem(
      { id: call.callId, name: call.name, arguments: {}, rawArguments: call.arguments },
      status,
      call.id,
    );
    this.items[call.outputIndex] = { ...item };
    out.push(this.emit("response.output_item.done", { output_index: call.outputIndex, item }));
  }
}
