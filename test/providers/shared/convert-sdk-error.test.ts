import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors/config-error.js";
import { InvalidRequestError, isInvalidRequestError } from "../../../src/errors/invalid-request-error.js";
import { ProviderError } from "../../../src/errors/provider-error.js";
import { convertSdkError, type SdkErrorReader } from "../../../src/providers/shared/convert-sdk-error.js";

/** A reader for a made-up SDK: HTTP errors are `{ status, body }`. */
const reader: SdkErrorReader = {
  timeoutNames: ["SdkTimeout"],
  connectionNames: ["SdkConnectionError"],
  parseErrorNames: ["SdkParseError"],
  readRequestRejection: (_, names) =>
    names.includes("SdkValidationError") ? ["request.x: rejected"] : undefined,
  readHttpFailure: (error) =>
    "status" in error
      ? {
          status: error.status as number | undefined,
          type: (error.body as { type?: string } | undefined)?.type,
          message: (error.body as { message?: string } | undefined)?.message,
          requestId: "req_1",
        }
      : undefined,
  refineClass: (cls, failure) => (failure.type === "moderated" ? "content_filter" : cls),
  classifyOther: (error) =>
    String(error.message).includes("no credentials")
      ? { failureClass: "auth", message: "no credentials" }
      : undefined,
};

const named = (name: string, fields: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(String(fields.message ?? name)), { name, ...fields });
const context = { provider: "p", model: "m", secrets: ["opensesame-4242"] };
const convert = (error: unknown, signal?: AbortSignal) =>
  convertSdkError(error, { ...context, signal }, reader);
const classOf = (error: unknown, signal?: AbortSignal) =>
  (convert(error, signal) as ProviderError).failureClass;

describe("convertSdkError: one unwrapping order for every adapter", () => {
  it("passes this library's own errors through", () => {
    const errors = [
      new ProviderError({ failureClass: "quota", provider: "x", model: "y", message: "z" }),
      new InvalidRequestError(["a: b"]),
      new ConfigError(["c: d"]),
    ];
    for (const error of errors) expect(convert(error)).toBe(error);
  });

  it("1. an aborted attempt signal wins over anything the SDK said", () => {
    expect(classOf({ status: 500 }, AbortSignal.abort())).toBe("aborted");
  });

  it("2. a timeout is found before an abort (an SDK timeout's cause is its own timer's AbortError)", () => {
    const abort = new DOMException("aborted", "AbortError");
    expect(classOf(named("SdkTimeout", { cause: abort }))).toBe("timeout");
    expect(classOf(named("Wrapped", { cause: new DOMException("t", "TimeoutError") }))).toBe("timeout");
    expect(classOf(abort)).toBe("aborted");
  });

  it("3. a request the SDK refused to send is the caller's InvalidRequestError", () => {
    const error = convert(named("SdkValidationError"));
    expect(isInvalidRequestError(error)).toBe(true);
    expect((error as Error).message).toContain("request.x: rejected");
  });

  it("4. network codes and connection errors come before HTTP fields", () => {
    expect(classOf(named("SdkConnectionError", { status: undefined }))).toBe("connection");
    expect(classOf(named("Other", { status: undefined, cause: { code: "ECONNRESET" } }))).toBe("connection");
    expect(classOf(new TypeError("terminated"))).toBe("connection");
  });

  it("5. HTTP and in-band errors go through the shared table, refined by the adapter", () => {
    expect(convert({ status: 429, body: { message: "slow down" } })).toMatchObject({
      failureClass: "rate_limited",
      status: 429,
      requestId: "req_1",
    });
    expect(classOf({ status: undefined, body: { type: "insufficient_quota" } })).toBe("quota");
    expect(classOf({ status: 400, body: { type: "moderated" } })).toBe("content_filter");
  });

  it("6. bodies the SDK could not read are invalid responses", () => {
    expect(classOf(new SyntaxError("Unexpected token <"))).toBe("invalid_response");
    expect(classOf(named("SdkParseError"))).toBe("invalid_response");
    expect(classOf({ name: "ZodError", issues: [] })).toBe("invalid_response");
  });

  it("7. the adapter's last word, then 'unexpected'", () => {
    expect(classOf(new Error("no credentials found"))).toBe("auth");
    expect(convert(new RangeError("weird"))).toMatchObject({
      failureClass: "invalid_response",
      detail: "unexpected RangeError while reading the response",
    });
  });

  it("never keeps the SDK error as cause: HTTP errors keep none, transport failures a sanitized summary", () => {
    const http = {
      status: 500,
      body: { message: "boom for opensesame-4242" },
      headers: {},
      raw: "body bytes",
    };
    const fromHttp = convert(http) as ProviderError;
    expect(fromHttp.cause).toBeUndefined();
    expect(fromHttp.message).toBe("p (m) server_error: boom for [redacted]");

    const sdkError = named("SdkConnectionError", {
      message: "connect failed with key opensesame-4242",
      response: { body: "secret body" },
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
    });
    const fromNetwork = convert(sdkError) as ProviderError;
    expect(fromNetwork.cause).not.toBe(sdkError);
    expect(fromNetwork.cause).toMatchObject({
      name: "SdkConnectionError",
      message: "connect failed with key [redacted]",
      code: "ECONNREFUSED",
    });
    expect((fromNetwork.cause as Error).cause).toMatchObject({ message: "connect ECONNREFUSED 127.0.0.1:1" });
    expect(JSON.stringify(fromNetwork.cause)).not.toContain("secret body");
  });
});
