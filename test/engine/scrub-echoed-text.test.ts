import { describe, expect, it } from "vitest";
import { scrubEchoedText, scrubProviderError } from "../../src/engine/scrub-echoed-text.js";
import { ProviderError } from "../../src/errors/provider-error.js";
import type { ProviderRequest } from "../../src/spec/request.js";

const prompt = "Summarise the quarterly ledger of the purple elephant company";
const request: ProviderRequest = {
  model: "m",
  messages: [
    { role: "system", content: "You are a careful accountant." },
    { role: "user", content: [{ type: "text", text: prompt }] },
  ],
};

describe("scrubEchoedText", () => {
  it.each([
    [`'${prompt}' is not supported`, "'[request text]' is not supported"],
    [`{"input":{"content":"${prompt}"}}`, '{"input":{"content":"[request text]"}}'],
    ["invalid: quarterly ledger of the purple", "invalid: [request text]"],
    [
      "Invalid value for 'temperature': 3 is greater than 2",
      "Invalid value for 'temperature': 3 is greater than 2",
    ],
    ["content too short", "content too short"],
  ])("%s", (detail, expected) => {
    expect(scrubEchoedText(detail, request)).toBe(expected);
  });

  const patient = "Patient Jane Roe, DOB 1984-02-11, reports chest pain since Tuesday; prescribe?";
  const asked: ProviderRequest = { model: "m", messages: [{ role: "user", content: patient }] };
  it.each([
    // pydantic / FastAPI: the input cut in the middle.
    [
      `Value error [input_value='${patient.slice(0, 24)}...${patient.slice(-24)}']`,
      "DOB 19",
      "Tuesday; prescribe",
    ],
    ["bad content: patient jane roe, dob 1984-02-11, reports chest pain", "jane roe", "chest pain"],
    ["bad content: Patient Jane Roe, DOB\n   1984-02-11, reports chest pain since", "Jane Roe", "chest pain"],
    [`bad content: ${JSON.stringify(`${patient}\n"quoted" and more`)}`, "DOB 1984", "Tuesday"],
  ])("an echo cut, lower-cased, re-wrapped or escaped: %s", (detail, ...leaks) => {
    const scrubbed = scrubEchoedText(detail, asked);
    for (const leak of leaks) expect(scrubbed).not.toContain(leak);
    expect(scrubbed).toContain("[request text]");
  });

  it("keeps what the provider said around the echo, and a message that quotes nothing", () => {
    expect(
      scrubEchoedText(`Value error, unsupported [input_value='${patient.slice(0, 30)}...']`, asked),
    ).toBe("Value error, unsupported [input_value='[request text]...']");
    const unrelated = "The server had an error while processing your request. Sorry about that!";
    expect(scrubEchoedText(unrelated, asked)).toBe(unrelated);
  });

  it("finds an echo from the middle of a long prompt", () => {
    const long = `${"lorem ipsum dolor sit amet ".repeat(20_000)}the secret canary phrase${" tail".repeat(10_000)}`;
    const scrubbed = scrubEchoedText("rejected: 'SECRET CANARY PHRASE' at 540000", {
      messages: [{ role: "user", content: long }],
    });
    expect(scrubbed).toBe("rejected: '[request text]' at 540000");
  });
});

describe("scrubProviderError", () => {
  const error = (
    message: string,
    status?: number,
    failureClass: ProviderError["failureClass"] = "bad_request",
  ) =>
    new ProviderError({
      failureClass,
      provider: "p",
      model: "m",
      message,
      status,
      cause: new Error(prompt),
    });

  it("drops the SDK cause of HTTP failures and scrubs the detail", () => {
    const scrubbed = scrubProviderError(error(`bad: '${prompt}'`, 400), request);
    expect(scrubbed.message).not.toContain("purple elephant");
    expect(scrubbed.cause).toBeUndefined();
    expect(scrubbed.status).toBe(400);
    expect(scrubbed.failureClass).toBe("bad_request");
  });

  it("keeps a network failure as it is", () => {
    const original = error("connection refused", undefined, "connection");
    expect(scrubProviderError(original, request)).toBe(original);
  });

  it("drops the SDK cause of an in-band failure even when its message is clean", () => {
    // OpenRouter-style: the message is generic, the raw upstream body (with the echo) is in the SDK error.
    const scrubbed = scrubProviderError(error("Provider returned error", undefined, "server_error"), request);
    expect(scrubbed.cause).toBeUndefined();
    expect(scrubbed.message).toContain("Provider returned error");
  });
});
