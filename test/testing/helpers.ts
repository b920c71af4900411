/** Test helpers that import no SDK (so a test file pays only for the SDK it uses). */

export const API_KEY = "sk-test-SECRET-0123456789";

/** The rejection of `promise`; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The error code deep in a fetch error's cause chain (ECONNRESET, UND_ERR_SOCKET, …). */
export function causeCode(error: unknown): string | undefined {
  let e: any = error;
  for (let i = 0; i < 5 && e; i++) {
    if (typeof e.code === "string" && /^(E[A-Z]+|UND_ERR_\w+)$/.test(e.code)) return e.code;
    e = e.cause;
  }
  return undefined;
}

/** Reads an HTTP response body as text until `predicate` holds, then cancels (for raw wire checks). */
export async function readUntil(res: Response, predicate: (text: string) => boolean): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}
