import type OpenAI from "openai";
import type OpenAI6 from "openai6";
import { describe, expectTypeOf, it } from "vitest";
import type {
  FunctionCallItem,
  OutputMessageItem,
  ResponseUsageWire,
  ResponseWithText,
} from "../../../../src/compat/openai/responses/responses-wire-types.js";

/**
 * A fallback's response, but for the fields checked on their own: `text`, `tool_choice` and `tools`
 * are the app's own params echoed back (typed by the SDK where the app wrote them); `usage` carries
 * only the details the provider reported.
 */
type Echoed = "text" | "tool_choice" | "tools" | "usage";
type Built = Omit<ResponseWithText, Echoed>;
type InputDetails = NonNullable<ResponseUsageWire["input_tokens_details"]>;
type OutputDetails = NonNullable<ResponseUsageWire["output_tokens_details"]>;
type Totals = Omit<ResponseUsageWire, "input_tokens_details" | "output_tokens_details">;

describe("the Responses shapes the drop-in builds are the SDK's own", () => {
  it("openai 7", () => {
    expectTypeOf<Built>().toExtend<Omit<OpenAI.Responses.Response, Echoed>>();
    expectTypeOf<OutputMessageItem>().toExtend<OpenAI.Responses.ResponseOutputMessage>();
    expectTypeOf<FunctionCallItem>().toExtend<OpenAI.Responses.ResponseFunctionToolCall>();
    expectTypeOf<Totals>().toExtend<
      Omit<OpenAI.Responses.ResponseUsage, "input_tokens_details" | "output_tokens_details">
    >();
    expectTypeOf<InputDetails>().toExtend<
      Pick<OpenAI.Responses.ResponseUsage.InputTokensDetails, "cached_tokens">
    >();
    expectTypeOf<OutputDetails>().toExtend<OpenAI.Responses.ResponseUsage.OutputTokensDetails>();
  });

  it("openai 6", () => {
    expectTypeOf<Built>().toExtend<Omit<OpenAI6.Responses.Response, Echoed>>();
    expectTypeOf<OutputMessageItem>().toExtend<OpenAI6.Responses.ResponseOutputMessage>();
    expectTypeOf<FunctionCallItem>().toExtend<OpenAI6.Responses.ResponseFunctionToolCall>();
    expectTypeOf<Totals>().toExtend<
      Omit<OpenAI6.Responses.ResponseUsage, "input_tokens_details" | "output_tokens_details">
    >();
    expectTypeOf<InputDetails>().toExtend<
      Pick<OpenAI6.Responses.ResponseUsage.InputTokensDetails, "cached_tokens">
    >();
    expectTypeOf<OutputDetails>().toExtend<OpenAI6.Responses.ResponseUsage.OutputTokensDetails>();
  });
});
