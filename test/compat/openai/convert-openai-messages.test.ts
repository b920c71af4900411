import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { convertOpenAIMessages } from "../../../src/compat/openai/convert-openai-messages.js";
import { getFailoverClient } from "../../../src/compat/openai/index.js";
import { isInvalidRequestError } from "../../../src/errors/invalid-request-error.js";
import { type DropInMocks, sdks, startDropInMocks, userMessage, wrappedClient } from "./drop-in-fixture.js";

describe("convertOpenAIMessages: image_url parts", () => {
  const notAUrl = "expected an http(s) URL or a data: URL (for a file, send its bytes as a base64 data: URL)";
  it.each([
    ["uploads/cat.jpg", notAUrl],
    ["file:///srv/cat.jpg", notAUrl],
    ["data:image/png;base64,", "the data: URL carries no data"],
  ])("refuses %s, naming the field, not the value", (url, problem) => {
    const issues: string[] = [];
    convertOpenAIMessages([{ role: "user", content: [{ type: "image_url", image_url: { url } }] }], issues);
    expect(issues).toEqual([`messages[0].content[0].image_url.url: ${problem}`]);
  });

  it("keeps http(s) and data: URLs", () => {
    const issues: string[] = [];
    const messages = convertOpenAIMessages(
      [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          ],
        },
      ],
      issues,
    );
    expect(issues).toEqual([]);
    expect(messages[0]?.content).toHaveLength(2);
  });
});

let mocks: DropInMocks;
beforeAll(async () => {
  mocks = await startDropInMocks();
});
afterAll(async () => {
  await mocks.close();
});
beforeEach(() => {
  mocks.reset();
});

describe.each(sdks)("withFailover with openai $major: one user's bad image is that user's error", (sdk) => {
  it("image_url 'uploads/cat.jpg' → InvalidRequestError at once: nothing sent, no breaker touched, others unaffected", async () => {
    const openai = wrappedClient(mocks, sdk);
    const engine = getFailoverClient(openai)!;
    const breakerEvents: unknown[] = [];
    const attempts: unknown[] = [];
    engine.onBreakerStateChange((e) => breakerEvents.push(e));
    engine.onAttemptEnd((e) => attempts.push(e));
    const bad = {
      model: "gpt-4.1",
      messages: [
        {
          role: "user" as const,
          content: [
            { type: "text" as const, text: "What is this?" },
            { type: "image_url" as const, image_url: { url: "uploads/cat.jpg" } },
          ],
        },
      ],
    };
    // More calls than it takes to open a breaker (5 consecutive failures by default).
    for (let i = 0; i < 6; i++) {
      const error = await openai.chat.completions.create(bad).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isInvalidRequestError(error)).toBe(true);
      expect((error as Error).message).toContain("messages[0].content[1].image_url.url");
      expect((error as Error).message).not.toContain("uploads/cat.jpg");
    }
    expect(mocks.openai.callCount + mocks.anthropic.callCount).toBe(0);
    expect(attempts).toEqual([]);
    expect(breakerEvents).toEqual([]);
    // Everyone else's calls go to OpenAI as before.
    const completion = await openai.chat.completions.create({ model: "gpt-4.1", messages: userMessage() });
    expect(completion.choices[0]?.message.content).toBe("Hello from openai");
    expect(engine.health().every((h) => h.state === "closed")).toBe(true);
  });
});
