import { describe, expect, it } from "vitest";
import { findImageIssue } from "../../src/engine/find-image-issues.js";

describe("findImageIssue", () => {
  it.each<[string, string | URL | Uint8Array]>([
    ["an https URL", "https://example.com/cat.jpg"],
    ["an http URL", "http://localhost:8080/cat.png"],
    ["a URL object", new URL("https://example.com/cat.jpg")],
    ["a data URL", "data:image/png;base64,iVBORw0KGgo="],
    ["base64 text", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"],
    ["URL-safe base64 with line breaks", "iVBORw0K_-Ggo\nAAAANSUhEUg=="],
    ["bytes", new Uint8Array([0x89, 0x50, 0x4e, 0x47])],
  ])("accepts %s", (_name, image) => {
    expect(findImageIssue(image)).toBeUndefined();
  });

  it.each<[string, string | URL | Uint8Array, RegExp]>([
    ["a relative path", "uploads/cat.jpg", /neither a URL nor base64 data \(a relative path\?/],
    ["an absolute path", "/srv/uploads/cat.jpg", /neither a URL nor base64/],
    ["a file: URL", "file:///srv/cat.jpg", /unsupported URL scheme "file:"/],
    ["a file: URL object", new URL("file:///srv/cat.jpg"), /unsupported URL scheme "file:"/],
    ["an ftp URL", "ftp://example.com/cat.jpg", /unsupported URL scheme "ftp:"/],
    ["a Windows path", "C:\\uploads\\cat.jpg", /unsupported URL scheme "c:"/],
    ["an empty string", "", /empty image/],
    ["whitespace", "   ", /empty image/],
    ["empty bytes", new Uint8Array(0), /empty image bytes/],
    ["a data URL with no data", "data:image/png;base64,", /a data: URL with no data/],
  ])("refuses %s", (_name, image, message) => {
    expect(findImageIssue(image)).toMatch(message);
  });

  it("never echoes the image", () => {
    expect(findImageIssue("uploads/secret-customer-photo.jpg")).not.toContain("secret");
  });
});
