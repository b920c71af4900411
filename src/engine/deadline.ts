/** Which engine deadline fired. */
export type DeadlineKind = "headers" | "first-content" | "idle" | "total";

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
  }
};
