/**
 * A value an issue may quote: a short name (`"function"`, `"input_audio"`) as JSON, anything else as
 * `"…"`. Issues name fields, never values, and a role or type field can hold a prompt by mistake.
 */
export const quoteName = (value: string): string =>
  /^[A-Za-z0-9_.:-]{1,32}$/.test(value) ? JSON.stringify(value) : '"…"';
