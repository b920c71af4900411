import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import { sniffImageMediaType } from "../../internal/sniff-image-media-type.js";
import type { ImagePart } from "../../spec/request.js";

/** An image as the AI SDK wants it: bytes / base64 with a media type, or a URL the model fetches itself. */
export type ResolvedImage =
  | { kind: "data"; data: Uint8Array | string; mediaType: string }
  | { kind: "url"; url: URL; mediaType: string };

const dataUrlPattern = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const httpUrlPattern = /^https?:\/\//i;
/** Images larger than this are not downloaded for a model that cannot fetch their URL. */
const maxDownloadBytes = 20 * 1024 * 1024;

/** Whether `supportedUrls` (media-type patterns → URL regexes) lets the model fetch `url` itself. */
export const isUrlSupported = (
  supportedUrls: Record<string, RegExp[]>,
  mediaType: string,
  url: URL,
): boolean => {
  const href = url.toString().toLowerCase();
  const [top] = mediaType.split("/");
  return Object.entries(supportedUrls).some(([pattern, regexes]) => {
    const key = pattern.toLowerCase();
    const matches =
      key === "*" || key === "*/*" || key === mediaType || (key.endsWith("/*") && key.slice(0, -2) === top);
    return matches && regexes.some((regex) => regex.test(href));
  });
};

/**
 * Turns an image part into what the model can take: bytes and base64 stay as they are (media type
 * from the part, else the image's magic bytes); a data URL is decoded; an `http(s)` URL is passed
 * as a URL when the model says it fetches such URLs itself (`supportedUrls`), and downloaded
 * otherwise (as `ai` does before calling a model), within `signal`.
 */
export const resolveImage = async (
  part: ImagePart,
  supportedUrls: Record<string, RegExp[]>,
  signal: AbortSignal,
  path: string,
): Promise<ResolvedImage> => {
  const { image } = part;
  if (image instanceof Uint8Array) {
    const mediaType =
      part.mediaType ?? sniffImageMediaType(Buffer.from(image.subarray(0, 24)).toString("base64"));
    return { kind: "data", data: image, mediaType: mediaType ?? "image/*" };
  }
  const text = image instanceof URL ? image.href : image;
  if (httpUrlPattern.test(text)) {
    const url = new URL(text);
    const mediaType = part.mediaType ?? "image/*";
    if (isUrlSupported(supportedUrls, mediaType, url)) return { kind: "url", url, mediaType };
    return download(url, part.mediaType, signal, path);
  }
  const dataUrl = dataUrlPattern.exec(text);
  if (dataUrl) {
    const [, type = "", parameters = "", payload = ""] = dataUrl;
    const base64 = /;base64$/i.test(parameters)
      ? payload
      : Buffer.from(decodeURIComponent(payload), "utf8").toString("base64");
    return {
      kind: "data",
      data: base64,
      mediaType: part.mediaType ?? (type || sniffImageMediaType(base64) || "image/*"),
    };
  }
  const base64 = text.trim();
  return {
    kind: "data",
    data: base64,
    mediaType: part.mediaType ?? sniffImageMediaType(base64) ?? "image/*",
  };
};

const download = async (
  url: URL,
  mediaType: string | undefined,
  signal: AbortSignal,
  path: string,
): Promise<ResolvedImage> => {
  // Only the host is named: a URL's path and query may carry a signed token.
  const where = `${path}: the image at ${url.host}`;
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new InvalidRequestError([`${where} could not be downloaded (${(error as Error).name})`]);
  }
  if (!response.ok) {
    void response.body?.cancel().catch(() => {});
    throw new InvalidRequestError([`${where} could not be downloaded (HTTP ${response.status})`]);
  }
  const length = Number(response.headers.get("content-length") ?? 0);
  if (length > maxDownloadBytes) {
    void response.body?.cancel().catch(() => {});
    throw new InvalidRequestError([`${where} is larger than ${maxDownloadBytes} bytes`]);
  }
  const data = new Uint8Array(await response.arrayBuffer());
  if (data.byteLength > maxDownloadBytes) {
    throw new InvalidRequestError([`${where} is larger than ${maxDownloadBytes} bytes`]);
  }
  const type =
    mediaType ??
    response.headers.get("content-type")?.split(";")[0]?.trim() ??
    sniffImageMediaType(Buffer.from(data.subarray(0, 24)).toString("base64")) ??
    "image/*";
  return { kind: "data", data, mediaType: type };
};
