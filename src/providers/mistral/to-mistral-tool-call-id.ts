const mistralIdPattern = /^[A-Za-z0-9]{9}$/;
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Mistral rejects tool-call ids that are not exactly 9 letters or digits (HTTP 400/422), so a
 * conversation begun on OpenAI (`call_…`) or Anthropic (`toolu_…`) could not fail over to it.
 * Other ids are mapped to a stable 9-character id (a 64-bit FNV-1a hash of the original), so an
 * assistant tool call and the tool result that answers it still match.
 */
export const toMistralToolCallId = (id: string): string => {
  if (mistralIdPattern.test(id)) return id;
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < id.length; i++) {
    hash ^= BigInt(id.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  let out = "";
  for (let i = 0; i < 9; i++) {
    out += alphabet[Number(hash % 62n)];
    hash /= 62n;
  }
  return out;
};
