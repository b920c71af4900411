import { InvalidRequestError } from "../../errors/invalid-request-error.js";
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

/** Media type from the first bytes of base64 image data, or undefined. */
const sniffImageMediaType = (base64: string): string | undefined => {
  const head = Buffer.from(base64.slice(0, 24), "base64");
  if (head.length >= 4 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) {
    return "image/png";
  }
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.length >= 4 && head.toString("latin1", 0, 4) === "GIF8") return "image/gif";
  if (
    head.length >= 12 &&
    head.toString("latin1", 0, 4) === "RIFF" &&
    head.toString("latin1", 8, 12) === "WEBP"
  ) {
    return "image/webp";
  }
  return undefined;
};
