/** Header names that carry a credential: `authorization`, `api-key`, `x-portkey-api-key`, `cf-aig-authorization`, cookies… */
const credentialName = /auth|key|token|secret|passw|cookie|signature|credential|session/i;
/** Query parameter names that carry a credential (`api_key`, `key`, `token`, Azure SAS `sig`…); not `api-version`. */
const credentialParam = /key|token|secret|passw|^sig$|signature|auth|credential/i;

const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** The credential values among headers (a record, a `Headers`, or `[name, value]` pairs); a bearer token also bare. */
export const credentialHeaderValues = (headers: unknown): string[] => {
  const out: string[] = [];
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== "string" || !credentialName.test(name)) return;
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = asString(item);
      if (text === undefined) continue;
      out.push(text);
      const bare = /^(?:bearer|basic|token)\s+(.+)$/i.exec(text)?.[1];
      if (bare) out.push(bare);
    }
  };
  if (typeof headers !== "object" || headers === null) return out;
  if (typeof (headers as Headers).forEach === "function" && typeof (headers as Headers).get === "function") {
    (headers as Headers).forEach((value, name) => {
      add(name, value);
    });
  } else if (Array.isArray(headers)) {
    for (const entry of headers) if (Array.isArray(entry)) add(entry[0], entry[1]);
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  return out;
};

/** Credentials written into a URL: its `user:password@` part and credential-named query values. */
export const urlCredentials = (url: unknown): string[] => {
  const text = url instanceof URL ? url.href : asString(url);
  if (text === undefined) return [];
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const part of [parsed.username, parsed.password]) {
    if (part !== "") out.push(part, safeDecode(part));
  }
  parsed.searchParams.forEach((value, name) => {
    if (credentialParam.test(name) && value !== "") out.push(value);
  });
  return out;
};

/** True when a URL carries credentials (see {@link urlCredentials}). */
export const hasUrlCredentials = (url: string): boolean => urlCredentials(url).length > 0;

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * The credentials a user-built SDK client holds, read by duck typing: openai-node and the Anthropic
 * SDK expose `apiKey` (and `authToken`), their `_options.defaultHeaders` and `baseURL`; the Mistral
 * SDK keeps `apiKey` and `serverURL` in `_options`. A key given as a function is not known here.
 */
export const clientSecrets = (client: unknown): string[] => {
  if (typeof client !== "object" || client === null) return [];
  const c = client as Record<string, unknown>;
  const options = (typeof c._options === "object" && c._options !== null ? c._options : {}) as Record<
    string,
    unknown
  >;
  return [
    asString(c.apiKey),
    asString(c.authToken),
    asString(options.apiKey),
    asString(options.authToken),
    ...credentialHeaderValues(options.defaultHeaders),
    ...urlCredentials(c.baseURL),
    ...urlCredentials(options.serverURL),
  ].filter((value): value is string => value !== undefined);
};

/** Every string among `values` worth redacting (6 characters or more), once each. */
export const collectKnownSecrets = (...values: (string | undefined | readonly string[])[]): string[] => {
  const out = new Set<string>();
  for (const value of values) {
    for (const item of typeof value === "string" ? [value] : (value ?? [])) {
      if (item.length >= 6) out.add(item);
    }
  }
  return [...out];
};
