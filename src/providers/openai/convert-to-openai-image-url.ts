import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import { sniffImageMediaType } from "../../internal/sniff-image-media-type.js";
import type { ImagePart } from "../../spec/request.js";

const urlPattern = /^(https?:|data:)/i;

/**
 * Converts an image part to what OpenAI's `image_url.url` accepts: `http(s):` and `data:` URLs pass
 * through; bytes and base64 text become a `data:<mediaType>;base64,…` URL. The media type comes from
 * the part, else the image's magic bytes (PNG, JPEG, GIF, WebP). Throws an `InvalidRequestError`
 * naming `path` when no media type can be found.
 */
export const convertToOpenAIImageUrl = (part: ImagePart, path: string): string => {
  const { image } = part;
  if (image instanceof URL) return image.href;
  if (typeof image === "string" && urlPattern.test(image)) return image;
  const base64 =
    typeof image === "string"
      ? image.trim()
      : Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString("base64");
  const mediaType = part.mediaType ?? sniffImageMediaType(base64);
  if (mediaType === undefined) {
    throw new InvalidRequestError([
      `${path}.mediaType: required for bytes / base64 images (not a recognisable PNG, JPEG, GIF or WebP)`,
    ]);
  }
  return `data:${mediaType};base64,${base64}`;
};
