import { describe, expect, it } from "vitest";
import { FailoverAPIPromise } from "../../../src/compat/openai/failover-api-promise.js";
import { attachFailoverInfo, getFailoverInfo } from "../../../src/compat/openai/failover-info.js";
import { FailoverStream } from "../../../src/compat/openai/failover-stream.js";

const info = { provider: "p", model: "m", attempts: [], failedOver: true };
const streamOf = (items: number[], onReturn?: () => void, controller = new AbortController()) =>
  new FailoverStream<number>(
    async function* () {
      try {
        yield* items;
      } finally {
        onReturn?.();
      }
    },
    () => controller,
    info,
  );

describe("FailoverStream", () => {
  it("can be iterated once", async () => {
    const stream = streamOf([1, 2]);
    const seen: number[] = [];
    for await (const n of stream) seen.push(n);
    expect(seen).toEqual([1, 2]);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/consumed/);
  });

  it("tees into branches that keep the info and close the source only when both are done", async () => {
    let returned = 0;
    const [left, right] = streamOf([1, 2, 3], () => returned++).tee();
    expect(getFailoverInfo(left)).toBe(info);
    for await (const n of left) if (n === 1) break;
    expect(returned).toBe(0);
    const rest: number[] = [];
    for await (const n of right) rest.push(n);
    expect(rest).toEqual([1, 2, 3]);
  });

  it("writes newline-delimited JSON to toReadableStream()", async () => {
    const text = await new Response(streamOf([1, 2]).toReadableStream()).text();
    expect(text).toBe("1\n2\n");
  });
});

describe("FailoverAPIPromise", () => {
  const synthesize = (data: unknown) => new Response(JSON.stringify(data), { headers: { "x-test": "1" } });

  it("is a Promise whose then() gives plain promises", async () => {
    const promise = new FailoverAPIPromise(Promise.resolve(1), synthesize);
    expect(promise).toBeInstanceOf(Promise);
    const next = promise.then((n) => n + 1);
    expect(next).not.toBeInstanceOf(FailoverAPIPromise);
    expect(await next).toBe(2);
  });

  it("gives withResponse() the data and the synthesized response", async () => {
    const { data, response, request_id } = await new FailoverAPIPromise(
      Promise.resolve({ a: 1 }),
      synthesize,
    ).withResponse();
    expect(data).toEqual({ a: 1 });
    expect(response.headers.get("x-test")).toBe("1");
    expect(request_id).toBeNull();
  });

  it("carries the info through _thenUnwrap (used by the SDK's parse())", async () => {
    const completion = attachFailoverInfo({ a: 1 }, info);
    const unwrapped = new FailoverAPIPromise(Promise.resolve(completion), synthesize)._thenUnwrap((c) => ({
      ...c,
      b: 2,
    }));
    const out = await unwrapped;
    expect(out).toEqual({ a: 1, b: 2 });
    expect(getFailoverInfo(out)).toBe(info);
  });

  it("rejects through await, catch and withResponse alike", async () => {
    const failing = () => new FailoverAPIPromise(Promise.reject(new Error("boom")), synthesize);
    await expect(failing()).rejects.toThrow("boom");
    await expect(failing().withResponse()).rejects.toThrow("boom");
    expect(await failing().catch((e: Error) => e.message)).toBe("boom");
  });
});
