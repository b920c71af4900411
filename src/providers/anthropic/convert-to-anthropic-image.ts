import type { ImageBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import { sniffImageMediaType } from "../../internal/sniff-image-media-type.js";
import type { ImagePart } from "../../spec/request.js";

type Base64MediaType = Extract<ImageBlockParam["source"], { type: "base64" }>["media_type"];

const dataUrlPattern = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const httpUrlPattern = /^https?:\/\//i;

/**
 * Converts an image part to an Anthropic `image` block: `https:` URLs stay URLs (`url` source);
 * data URLs, bytes and base64 text become a `base64` source. The media type comes from the part,
 * else the data URL, else the image's magic bytes (PNG, JPEG, GIF, WebP).
 * Throws an `InvalidRequestError` naming `path` when no media type can be found.
 */
export const convertToAnthropicImage = (part: ImagePart, path: string): ImageBlockParam => {
  const { image } = part;
  if (image instanceof Uint8Array) {
    return base64Block(
      Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString("base64"),
      part,
      path,
    );
  }
  const text = image instanceof URL ? image.href : image;
  if (httpUrlPattern.test(text)) return { type: "image", source: { type: "url", url: text } };
  const dataUrl = dataUrlPattern.exec(text);
  if (dataUrl) {
    const [, mediaType = "", parameters = "", payload = ""] = dataUrl;
    const isBase64 = /;base64$/i.test(parameters);
    const data = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), "utf8").toString("base64");
    return base64Block(data, { ...part, mediaType: part.mediaType ?? (mediaType || undefined) }, path);
  }
  return base64Block(text.trim(), part, path);
};

const base64Block = (data: string, part: ImagePart, path: string): ImageBlockParam => {
  const mediaType = part.mediaType ?? sniffImageMediaType(data);
  if (mediaType === undefined) {
    throw new InvalidRequestError([
      `${path}.mediaType: required for bytes / base64 images (not a recognisable PNG, JPEG, GIF or WebP)`,
    ]);
  }
  // Anthropic accepts jpeg/png/gif/webp; anything else is sent as given for the API to judge.
  return { type: "image", source: { type: "base64", media_type: mediaType as Base64MediaType, data } };
};
