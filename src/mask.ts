// One place that makes outside text safe to show: secrets masked in every output, and terminal control
// sequences from scenario strings or broker errors printed inert.

const SECRET_KEY = /pass(word)?|secret|token|credential|api[-_]?key/i;

/** Secret-looking fields become `***`, and passwords in URLs (`//user:***@host`). */
export function maskSecrets<T>(v: T, key = ''): T {
  if (typeof v === 'string') return (SECRET_KEY.test(key) ? '***' : maskText(v)) as T;
  if (Array.isArray(v)) return v.map((x) => maskSecrets(x)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x, k)])) as T;
  return v;
}

/** Passwords in URLs inside free text (an error message that quotes a connection string). */
export const maskText = (s: string): string => s.replace(/(\/\/[^:/@\s]+:)[^@/\s]+@/g, '$1***@');

/** Control characters (ESC, CR, BEL, ...) shown as visible escapes, so text can't move the cursor or recolour a terminal. */
export const inert = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
