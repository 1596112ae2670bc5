/**
 * PostgreSQL COPY text format: the fastest way to bulk-load rows, on the server and on PGlite alike.
 * These encoders are pure; the writers that send the text live in postgres.ts and pglite.ts.
 */

/** Escapes one value for COPY text format; null becomes \N. */
export function copyValue(value: string | number | null | undefined): string {
  if (value == null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Fast path: most values need no escaping.
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A PostgreSQL array literal of text values (every element quoted), not yet COPY-escaped. */
export function textArrayLiteral(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i]!;
    out += '"' + (/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v) + '"';
  }
  return out + '}';
}

/** One COPY line (with its newline) from the values of a row, in column order. */
export function copyLine(values: readonly (string | number | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t';
    line += copyValue(values[i]);
  }
  return line + '\n';
}
