import type { ToolCallDeltaPart, ToolCallPart } from "../../spec/stream.js";
import { createProviderError, type ProviderErrorContext } from "./create-provider-error.js";
import { parseToolArguments } from "./parse-tool-arguments.js";

/** A streamed tool-call piece, OpenAI-style (`choices[0].delta.tool_calls[i]`), every field optional. */
export interface ToolCallDelta {
  index?: number | null;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

export interface ToolCallAccumulatorOptions {
  /** The id of a call whose pieces carry none. @default `call_<position>` */
  createId?: (position: number) => string;
}

interface Slot {
  position: number;
  id: string;
  /** Whether `id` came from the provider (not generated here). */
  hasId: boolean;
  name: string;
  args: string;
  /** Whether the call's first delta (with id and name) went out. */
  announced: boolean;
}

/** An id the provider did not really send: empty, or the string "null" the Mistral SDK fills in. */
const realId = (id: unknown): string | undefined =>
  typeof id === "string" && id !== "" && id !== "null" ? id : undefined;

/**
 * Joins streamed tool-call pieces into whole calls — for the OpenAI family and for Mistral, which
 * relays other vendors' models in the same pieces. Calls are numbered 0, 1, … in the order they
 * start. Pieces are joined:
 * - by `index`, as OpenAI sends them: id and name on a call's first piece, then argument text;
 * - to the call in progress when a server omits `index`; a new real id on an index that already
 *   has one starts a new call (servers that reuse index 0, or a Mistral SDK that fills it in);
 * - ids the Mistral SDK fills with the string "null" count as no id.
 * Names are joined too: most servers send the name whole once, Gemini's OpenAI endpoint sends it
 * in pieces ("get_we" + "ather"), some (MiniMax through NVIDIA NIM) repeat it whole on every piece,
 * and a piece that repeats the name, or restates it longer, is not appended.
 *
 * A call's first `tool-call-delta` (with id and name) is held back until its first argument text
 * arrives, so that it carries the whole name (consumers such as the OpenAI SDK's stream helpers
 * take the name from that first delta only). A call with no argument text at all is announced by
 * its `tool-call` part alone, from `complete()`.
 */
export class ToolCallAccumulator {
  private readonly slots: Slot[] = [];
  private readonly byIndex = new Map<number, Slot>();
  private current: Slot | undefined;
  private readonly createId: (position: number) => string;

  constructor(options: ToolCallAccumulatorOptions = {}) {
    this.createId = options.createId ?? ((position) => `call_${position}`);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Adds one piece; returns the delta part to emit, or undefined when there is nothing to say yet. */
  add(piece: ToolCallDelta): ToolCallDeltaPart | undefined {
    const index = typeof piece.index === "number" ? piece.index : undefined;
    const id = realId(piece.id);
    let slot = index !== undefined ? this.byIndex.get(index) : this.current;
    if (slot !== undefined && id !== undefined && slot.hasId && slot.id !== id) slot = undefined;
    if (slot === undefined) {
      const position = this.slots.length;
      slot = {
        position,
        id: id ?? this.createId(position),
        hasId: id !== undefined,
        name: "",
        args: "",
        announced: false,
      };
      this.slots.push(slot);
      if (index !== undefined) this.byIndex.set(index, slot);
    } else if (id !== undefined && !slot.hasId) {
      slot.id = id;
      slot.hasId = true;
    }
    this.current = slot;
    const name = piece.function?.name;
    if (typeof name === "string" && name !== "") slot.name = joinName(slot.name, name);
    const argumentsDelta = piece.function?.arguments ?? "";
    slot.args += argumentsDelta;
    if (argumentsDelta === "") return undefined;
    if (slot.announced) return { type: "tool-call-delta", index: slot.position, argumentsDelta };
    slot.announced = true;
    return { type: "tool-call-delta", index: slot.position, id: slot.id, name: slot.name, argumentsDelta };
  }

  /**
   * Every call collected, complete, with its arguments parsed.
   * @throws ProviderError (`invalid_response`) when a call never got a name: no app can dispatch it.
   */
  complete(context: ProviderErrorContext): ToolCallPart[] {
    if (this.slots.some((slot) => slot.name === "")) throw unnamedToolCall(context);
    return this.slots.map((slot) => ({
      type: "tool-call",
      index: slot.position,
      toolCall: {
        id: slot.id,
        name: slot.name,
        arguments: parseToolArguments(slot.args),
        rawArguments: slot.args,
      },
    }));
  }
}

/**
 * The name so far plus one more piece: appended, unless the piece repeats the name or restates it
 * longer (it then starts with the name so far). A name split so that a later piece starts with the
 * earlier ones ("a" + "a_b") would be read as a restatement: no real tool name seen does that.
 */
const joinName = (name: string, piece: string): string =>
  name === "" || piece.startsWith(name) ? piece : name + piece;

/** A tool call that names no tool: a malformed reply, whatever its arguments. */
export const unnamedToolCall = (context: ProviderErrorContext) =>
  createProviderError(context, { failureClass: "invalid_response", message: "a tool call has no name" });
