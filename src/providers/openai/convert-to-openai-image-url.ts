import type { ImagePart } from "../../spec/request.js";
import { readImagePart } from "../shared/read-image-part.js";

/**
 * Converts an image part to what OpenAI's `image_url.url` accepts: `http(s):` and `data:` URLs pass
 * through; bytes and base64 text become a `data:<mediaType>;base64,…` URL. Throws the caller's
 * `InvalidRequestError` naming `path` for an image no provider can take (see `readImagePart`).
 */
export const convertToOpenAIImageUrl = (part: ImagePart, path: string): string => {
  const source = readImagePart(part, path);
  if (source.type === "url") return source.url;
  return source.dataUrl ?? `data:${source.mediaType};base64,${source.data}`;
};
