import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import { sniffImageMediaType } from "../../internal/sniff-image-media-type.js";
import type { ImagePart } from "../../spec/request.js";

/** An image as every adapter sends it: a URL the provider fetches, or inline base64 data. */
export type ImageSource =
  | { type: "url"; url: string }
  | {
      type: "base64";
      mediaType: string;
      data: string;
      /** The `data:` URL the caller gave, when it gave one (sent as is where a data URL is wanted). */
      dataUrl?: string;
    };

const httpUrlPattern = /^https?:\/\//i;
const dataUrlPattern = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Reads an image part once for every adapter: an `http(s)` URL stays a URL; a `data:` URL, bytes
 * or base64 text become base64 data with a media type (the part's, else the data URL's, else the
 * image's magic bytes: PNG, JPEG, GIF, WebP).
 *
 * Throws the caller's `InvalidRequestError` naming `path` (never the value) for what no provider
 * can take: empty bytes or text, a `file:` URL or a relative path such as `uploads/cat.jpg` (read
 * the file and pass its bytes), text that is neither a URL nor base64, or inline data whose media
 * type cannot be found.
 */
export const readImagePart = (part: ImagePart, path: string): ImageSource => {
  const { image } = part;
  if (image instanceof Uint8Array) {
    if (image.byteLength === 0) throw invalid(path, "the image bytes are empty");
    const data = Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString("base64");
    return base64Source(data, part.mediaType, path);
  }
  const text = (image instanceof URL ? image.href : typeof image === "string" ? image : "").trim();
  if (text === "") throw invalid(path, "the image is empty");
  if (httpUrlPattern.test(text)) return { type: "url", url: text };
  const dataUrl = dataUrlPattern.exec(text);
  if (dataUrl) {
    const [, mediaType = "", parameters = "", payload = ""] = dataUrl;
    if (payload === "") throw invalid(path, "the data: URL carries no data");
    const isBase64 = /;base64$/i.test(parameters);
    if (!isBase64) {
      const data = Buffer.from(decodeURIComponent(payload), "utf8").toString("base64");
      return base64Source(data, part.mediaType ?? (mediaType || undefined), path);
    }
    const source = base64Source(payload, part.mediaType ?? (mediaType || undefined), path);
    return source.type === "base64" && source.mediaType === mediaType ? { ...source, dataUrl: text } : source;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    throw invalid(path, "only http(s) and data: URLs can be sent (for a file, pass its bytes)");
  }
  const compact = text.replace(/\s+/g, "");
  if (!base64Pattern.test(compact)) {
    throw invalid(
      path,
      "expected an http(s) URL, a data: URL, bytes or base64 (a file path? read the file and pass its bytes)",
    );
  }
  return base64Source(compact, part.mediaType, path);
};

const base64Source = (data: string, mediaType: string | undefined, path: string): ImageSource => {
  const type = mediaType ?? sniffImageMediaType(data);
  if (type === undefined) {
    throw invalid(
      `${path}.mediaType`,
      "required for bytes / base64 images (not a recognisable PNG, JPEG, GIF or WebP)",
    );
  }
  return { type: "base64", mediaType: type, data };
};

const invalid = (path: string, message: string): InvalidRequestError =>
  new InvalidRequestError([`${path}: ${message}`]);
