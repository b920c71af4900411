import { describe, expect, it } from "vitest";
import { readImagePart } from "../../../src/providers/shared/read-image-part.js";

const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

describe("readImagePart", () => {
  it("keeps http(s) URLs (string or URL)", () => {
    expect(readImagePart({ type: "image", image: " https://x.test/a.png " }, "p")).toEqual({
      type: "url",
      url: "https://x.test/a.png",
    });
    expect(readImagePart({ type: "image", image: new URL("https://x.test/a.png") }, "p")).toEqual({
      type: "url",
      url: "https://x.test/a.png",
    });
  });

  it("reads data URLs (keeping the URL when its media type is the one used), bytes and base64", () => {
    const dataUrl = `data:image/png;base64,${PNG_BASE64}`;
    expect(readImagePart({ type: "image", image: dataUrl }, "p")).toEqual({
      type: "base64",
      mediaType: "image/png",
      data: PNG_BASE64,
      dataUrl,
    });
    expect(readImagePart({ type: "image", image: dataUrl, mediaType: "image/webp" }, "p")).toEqual({
      type: "base64",
      mediaType: "image/webp",
      data: PNG_BASE64,
    });
    expect(readImagePart({ type: "image", image: Buffer.from(PNG_BASE64, "base64") }, "p")).toMatchObject({
      mediaType: "image/png",
      data: PNG_BASE64,
    });
    expect(
      readImagePart({ type: "image", image: `${PNG_BASE64.slice(0, 20)}\n${PNG_BASE64.slice(20)}` }, "p"),
    ).toMatchObject({ mediaType: "image/png", data: PNG_BASE64 });
    expect(readImagePart({ type: "image", image: "data:image/gif,GIF89a%01" }, "p")).toMatchObject({
      mediaType: "image/gif",
    });
  });

  it.each([
    ["uploads/cat.jpg", "p: expected an http(s) URL, a data: URL, bytes or base64"],
    ["./cat.png", "p: expected an http(s) URL, a data: URL, bytes or base64"],
    ["file:///tmp/cat.png", "p: only http(s) and data: URLs can be sent"],
    ["ftp://host/cat.png", "p: only http(s) and data: URLs can be sent"],
    ["", "p: the image is empty"],
    ["data:image/png;base64,", "p: the data: URL carries no data"],
    ["AAAA", "p.mediaType: required for bytes / base64 images"],
  ])("refuses %j, naming the path only", (image, message) => {
    expect(() => readImagePart({ type: "image", image }, "p")).toThrow(message);
  });

  it("refuses empty bytes even with a media type", () => {
    expect(() =>
      readImagePart({ type: "image", image: new Uint8Array(0), mediaType: "image/png" }, "p"),
    ).toThrow("p: the image bytes are empty");
  });
});
