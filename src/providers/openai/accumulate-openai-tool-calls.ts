import type { ToolCallDeltaPart, ToolCallPart } from "../../spec/stream.js";
import { parseOpenAIToolArguments } from "./parse-openai-tool-arguments.js";

/** A streamed tool-call piece (`choices[0].delta.tool_calls[i]`), every field optional. */
export interface OpenAIWireToolCallDelta {
  index?: number | null;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

interface Slot {
  position: number;
  id: string;
  /** Whether `id` came from the provider (not generated here). */
  hasId: boolean;
  name: string;
  args: string;
}

/**
 * Collects streamed tool-call pieces into whole calls. OpenAI sends the id and name on a call's
 * first piece and only `index` + argument text afterwards. OpenAI-compatible servers vary: some
 * omit `index` (a piece then belongs to the call in progress), some reuse index 0 for every call
 * (a new id then starts a new call). Calls are numbered 0, 1, … in the order they start.
 */
export class OpenAIToolCallAccumulator {
  private readonly slots: Slot[] = [];
  private readonly byIndex = new Map<number, Slot>();
  private current: Slot | undefined;

  get size(): number {
    return this.slots.length;
  }

  /** Adds one piece; returns the delta part to emit, or undefined for a piece that adds nothing. */
  add(piece: OpenAIWireToolCallDelta): ToolCallDeltaPart | undefined {
    const index = typeof piece.index === "number" ? piece.index : undefined;
    const id = typeof piece.id === "string" && piece.id !== "" ? piece.id : undefined;
    let slot = index !== undefined ? this.byIndex.get(index) : this.current;
    if (slot !== undefined && id !== undefined && slot.hasId && slot.id !== id) slot = undefined;
    const isNew = slot === undefined;
    if (slot === undefined) {
      const position = this.slots.length;
      slot = { position, id: id ?? `call_${position}`, hasId: id !== undefined, name: "", args: "" };
      this.slots.push(slot);
      if (index !== undefined) this.byIndex.set(index, slot);
    } else if (id !== undefined && !slot.hasId) {
      slot.id = id;
      slot.hasId = true;
    }
    this.current = slot;
    const name = piece.function?.name;
    const argumentsDelta = piece.function?.arguments ?? "";
    const nameIsNew = typeof name === "string" && name !== "" && slot.name === "";
    if (nameIsNew) slot.name = name;
    slot.args += argumentsDelta;
    if (!isNew && !nameIsNew && argumentsDelta === "") return undefined;
    const part: ToolCallDeltaPart = { type: "tool-call-delta", index: slot.position, argumentsDelta };
    if (isNew) part.id = slot.id;
    if (nameIsNew) part.name = slot.name;
    return part;
  }

  /** Every call collected, complete, with its arguments parsed. */
  complete(): ToolCallPart[] {
    return this.slots.map((slot) => ({
      type: "tool-call",
      index: slot.position,
      toolCall: {
        id: slot.id,
        name: slot.name,
        arguments: parseOpenAIToolArguments(slot.args),
        rawArguments: slot.args,
      },
    }));
  }
}
