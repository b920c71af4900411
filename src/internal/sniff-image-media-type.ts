/** Media type from the first bytes of base64 image data, or undefined. */
export const sniffImageMediaType = (base64: string): string | undefined => {
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
