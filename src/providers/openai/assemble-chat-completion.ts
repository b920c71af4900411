/**
 * Builds the `ChatCompletion` a JSON request would have returned from the chunks of the same reply
 * streamed, field for field: id, created, model, `system_fingerprint`, `service_tier`, the message
 * (content, refusal, tool calls, annotations), `logprobs` (the chunks' token logprobs joined), the
 * finish reason, `usage` with its token details, and Azure's content-filter results. Fields it does
 * not know are kept as the chunks sent them (top-level ones from the last chunk that had them).
 * Used for the drop-in's wrapped client, which streams under the hood even for a JSON request.
 */
export class ChatCompletionAssembler {
  private readonly top: Record<string, unknown> = {};
  private content: string | undefined;
  private refusal: string | undefined;
  private readonly toolCalls: Record<string, unknown>[] = [];
  private readonly annotations: unknown[] = [];
  private logprobs: { content: unknown[] | null; refusal: unknown[] | null } | undefined;
  private finishReason: unknown = null;
  private contentFilterResults: unknown;
  private usage: unknown;

  /** Adds one parsed chunk (any shape: only what is there is read). */
  add(chunk: Record<string, unknown>): void {
    // Once per streamed chunk: for-in over the parsed JSON (own keys only), no entry arrays.
    for (const key in chunk) {
      if (key === "choices" || key === "usage" || key === "object" || key === "obfuscation") continue;
      if (!Object.hasOwn(chunk, key)) continue;
      const value = chunk[key];
      // Azure's annotation chunk has an empty id and model and created 0: never over real values.
      if ((value === "" || value === 0) && this.top[key] !== undefined) continue;
      if (value !== null || !(key in this.top)) this.top[key] = value;
    }
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return;
    for (const choice of choices as Record<string, unknown>[]) {
      if (!choice || (choice.index ?? 0) !== 0) continue;
      this.addDelta(choice.delta as Record<string, unknown> | null | undefined);
      this.addLogprobs(choice.logprobs as Record<string, unknown> | null | undefined);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
      const filter = choice.content_filter_results;
      if (filter && typeof filter === "object" && Object.keys(filter).length > 0)
        this.contentFilterResults = filter;
    }
  }

  private addDelta(delta: Record<string, unknown> | null | undefined): void {
    if (!delta) return;
    if (typeof delta.content === "string") this.content = (this.content ?? "") + delta.content;
    if (typeof delta.refusal === "string") this.refusal = (this.refusal ?? "") + delta.refusal;
    if (Array.isArray(delta.annotations)) this.annotations.push(...delta.annotations);
    if (!Array.isArray(delta.tool_calls)) return;
    for (const piece of delta.tool_calls as Record<string, unknown>[]) {
      if (!piece) continue;
      const index = typeof piece.index === "number" ? piece.index : this.toolCalls.length;
      const fn = (piece.function ?? {}) as { name?: unknown; arguments?: unknown };
      let call = this.toolCalls[index];
      if (!call) {
        call = { id: piece.id ?? "", type: piece.type ?? "function", function: { name: "", arguments: "" } };
        this.toolCalls[index] = call;
      } else if (typeof piece.id === "string" && piece.id !== "") call.id = piece.id;
      const target = call.function as { name: string; arguments: string };
      if (typeof fn.name === "string") target.name += fn.name;
      if (typeof fn.arguments === "string") target.arguments += fn.arguments;
    }
  }

  private addLogprobs(logprobs: Record<string, unknown> | null | undefined): void {
    if (!logprobs) return;
    this.logprobs ??= { content: null, refusal: null };
    for (const key of ["content", "refusal"] as const) {
      const tokens = logprobs[key];
      if (!Array.isArray(tokens)) continue;
      // Appended in place: copying the list per chunk made a long reply's logprobs quadratic.
      const list = (this.logprobs[key] ??= []);
      for (const token of tokens) list.push(token);
    }
  }

  /** The completion, as the JSON body of the same reply. */
  completion(): Record<string, unknown> {
    const toolCalls = this.toolCalls.filter(Boolean);
    const message: Record<string, unknown> = {
      role: "assistant",
      // OpenAI's JSON has `content: null` for a reply that is only tool calls or a refusal.
      content:
        (this.content ?? "") === "" && (toolCalls.length > 0 || this.refusal !== undefined)
          ? null
          : (this.content ?? ""),
      refusal: this.refusal ?? null,
      annotations: this.annotations,
    };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    const choice: Record<string, unknown> = {
      index: 0,
      message,
      logprobs: this.logprobs ?? null,
      finish_reason: this.finishReason,
    };
    if (this.contentFilterResults !== undefined) choice.content_filter_results = this.contentFilterResults;
    const { id, created, model, ...rest } = this.top;
    return {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [choice],
      ...(this.usage !== undefined ? { usage: this.usage } : {}),
      ...rest,
    };
  }
}
