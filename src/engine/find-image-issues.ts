import type { ImagePart } from "../spec/request.js";

const schemePattern = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const allowedSchemes = new Set(["https", "http", "data"]);
/** Base64 text (standard or URL-safe alphabet, optional padding, whitespace allowed). */
const base64Pattern = /^[A-Za-z0-9+/_\-\s]+={0,2}\s*$/;

/**
 * The problem with an image part, if any, before any provider sees it: an image must be an
 * `https:`, `http:` or `data:` URL, non-empty bytes, or base64 text. A relative path
 * ("uploads/cat.jpg"), a `file:` URL or an empty value is the caller's mistake, refused with the same
 * message whatever provider would have been tried. The image itself is never echoed.
 */
export const findImageIssue = (image: ImagePart["image"]): string | undefined => {
  if (image instanceof Uint8Array) return image.byteLength === 0 ? "empty image bytes" : undefined;
  const text = image instanceof URL ? image.href : image.trim();
  if (text === "") return "empty image";
  const scheme = schemePattern.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!allowedSchemes.has(scheme))
      return `unsupported URL scheme "${scheme.slice(0, 16)}:" (images are https:, http: or data: URLs, bytes or base64 text)`;
    if (scheme === "data" && !/,\s*\S/.test(text)) return "a data: URL with no data";
    return undefined;
  }
  if (!base64Pattern.test(text))
    return "neither a URL nor base64 data (a relative path? images are https:, http: or data: URLs, bytes or base64 text)";
  return undefined;
};
