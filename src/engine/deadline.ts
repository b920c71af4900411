/**
 * Which engine deadline fired. `response` bounds a whole embedding attempt (an embedding has no
 * stream: its answer is one body), with the `headersMs` budget.
 */
export type DeadlineKind = "headers" | "first-content" | "idle" | "total" | "response";

/** The abort reason the engine uses for its own deadlines, so it can tell them from a caller's abort. */
export class DeadlineExceeded extends Error {
  override name = "DeadlineExceeded";
  constructor(
    readonly kind: DeadlineKind,
    readonly ms: number,
  ) {
    super(`${kind} deadline of ${ms} ms exceeded`);
  }
}

export const describeDeadline = (deadline: DeadlineExceeded): string => {
  switch (deadline.kind) {
    case "headers":
      return `no response headers within ${deadline.ms} ms`;
    case "first-content":
      return `no content within ${deadline.ms} ms`;
    case "idle":
      return `stream idle for ${deadline.ms} ms`;
    case "total":
      return `call deadline of ${deadline.ms} ms exceeded`;
    case "response":
      return `no answer within ${deadline.ms} ms`;
  }
};
