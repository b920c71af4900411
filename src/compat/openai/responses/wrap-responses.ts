import { attachFailoverInfo, type FailoverInfo } from "../failover-info.js";
import { createResponseHandler, infoSinkKey, type ResponsesCore } from "./create-response.js";
import type { ResponsesParams } from "./responses-wire-types.js";

interface ResponsesResource {
  create(params: ResponsesParams, options?: unknown): unknown;
  stream?(params: unknown, options?: unknown): unknown;
}

/**
 * A Proxy over `client.responses`: `create` is the failover one; the SDK's own helpers (`parse`,
 * `stream`) call `this._client.responses.create`, and `_client` here is the wrapped client, so they
 * fail over too; everything else (`retrieve`, `cancel`, `delete`, `inputItems`, `compact`…) is the
 * client's own and reaches OpenAI untouched.
 *
 * `stream()` is the SDK's helper, with the call's `FailoverInfo` attached to the runner it returns
 * (filled in as the stream runs) and to the response its `finalResponse()` resolves with.
 */
export const wrapResponses = (
  responses: object,
  clientProxy: object,
  core: ResponsesCore,
  client: object,
): object => {
  const resource = responses as ResponsesResource;
  const direct = resource.create.bind(responses);
  const create = createResponseHandler(core, client, direct);
  let stream: ((params: unknown, options?: unknown) => unknown) | undefined;
  return new Proxy(responses, {
    get(target, property, receiver) {
      if (property === "create") return create;
      if (property === "_client") return clientProxy;
      const value = Reflect.get(target, property, target);
      if (property === "stream" && typeof value === "function")
        return (stream ??= streamWithInfo(value as NonNullable<ResponsesResource["stream"]>, receiver));
      // Methods are not bound: `this` stays this proxy, whose `_client` is the wrapped client.
      return value;
    },
    set: (target, property, value) => Reflect.set(target, property, value, target),
  });
};

const streamWithInfo =
  (original: NonNullable<ResponsesResource["stream"]>, receiver: object) =>
  (params: unknown, options?: unknown): unknown => {
    let runner: object | undefined;
    let info: FailoverInfo | undefined;
    const sink = (callInfo: FailoverInfo): void => {
      info = callInfo;
      if (runner) attachFailoverInfo(runner, callInfo);
    };
    const result = original.call(receiver, params, {
      ...(options as object | undefined),
      [infoSinkKey]: sink,
    });
    if (typeof result !== "object" || result === null) return result;
    runner = result;
    if (info) attachFailoverInfo(runner, info);
    const helper = runner as { finalResponse?: () => Promise<unknown> };
    const finalResponse = helper.finalResponse?.bind(runner);
    if (finalResponse) {
      helper.finalResponse = async () => {
        const response = await finalResponse();
        if (info && typeof response === "object" && response !== null) attachFailoverInfo(response, info);
        return response;
      };
    }
    return runner;
  };
