export type * from "./attempt.js";
export type * from "./chat.js";
export type * from "./embed.js";
/** @internal */
export { spaceDimensions } from "./embed.js";
export type * from "./provider.js";
export type * from "./request.js";
export type * from "./result.js";
/** @internal */
export { emptyUsage } from "./result.js";
export type * from "./stream.js";
/** @internal */
export { isContentPart } from "./stream.js";
