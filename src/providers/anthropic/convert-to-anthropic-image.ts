import type { ImageBlockParam } from "@anthropic-ai/sdk/resources/messages";
import type { ImagePart } from "../../spec/request.js";
import { readImagePart } from "../shared/read-image-part.js";

type Base64MediaType = Extract<ImageBlockParam["source"], { type: "base64" }>["media_type"];

/**
 * Converts an image part to an Anthropic `image` block: `https:` URLs stay URLs (`url` source);
 * data URLs, bytes and base64 text become a `base64` source. Throws the caller's
 * `InvalidRequestError` naming `path` for an image no provider can take (see `readImagePart`).
 */
export const convertToAnthropicImage = (part: ImagePart, path: string): ImageBlockParam => {
  const source = readImagePart(part, path);
  if (source.type === "url") return { type: "image", source: { type: "url", url: source.url } };
  // Anthropic accepts jpeg/png/gif/webp; anything else is sent as given for the API to judge.
  return {
    type: "image",
    source: { type: "base64", media_type: source.mediaType as Base64MediaType, data: source.data },
  };
};
