/**
 * Characters a PostgreSQL `text` value cannot hold: NUL (U+0000), which PostgreSQL refuses outright, and a
 * lone UTF-16 surrogate, which has no UTF-8 form at all (Node would silently write U+FFFD). Both arrive in
 * hostile or broken files (a NUL pasted from a binary export, a surrogate half from an XLSX character
 * reference); nothing a person types holds one.
 */

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex -- as above
const HAS_UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Any NUL or surrogate code unit at all: a character class without look-arounds, which V8 scans several
 * times faster than HAS_UNSTORABLE. Every cell of every import passes here, and nearly all hold neither.
 */
// eslint-disable-next-line no-control-regex -- as above
const MAYBE_UNSTORABLE = /[\u0000\ud800-\udfff]/;

/** Whether `text` holds a character PostgreSQL text cannot store. Fast: most text has no surrogate or NUL. */
export function hasUnstorable(text: string): boolean {
  return MAYBE_UNSTORABLE.test(text) && HAS_UNSTORABLE.test(text);
}

/** `text` without the characters PostgreSQL text cannot store. */
export function stripUnstorable(text: string): string {
  return text.replace(UNSTORABLE, '');
}

/**
 * `text` with each character PostgreSQL text cannot store written visibly: NUL as `\0`, a lone surrogate as
 * `\uXXXX`, and (only then, so the result reads back unambiguously) every backslash doubled. For messages
 * and stored errors that quote what was received.
 */
export function escapeUnstorable(text: string): string {
  if (!hasUnstorable(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(UNSTORABLE, (c) => (c === '\u0000' ? '\\0' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** The inverse of `escapeUnstorable` for a text it escaped. */
export function unescapeUnstorable(text: string): string {
  return text.replace(/\\(\\|0|u[0-9a-f]{4})/g, (_, e: string) => (e === '\\' ? '\\' : e === '0' ? '\u0000' : String.fromCharCode(parseInt(e.slice(1), 16))));
}
