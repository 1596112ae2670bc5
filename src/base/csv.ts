/**
 * CSV fields and lines as RFC 4180 writes them: a field is quoted when it holds the delimiter, a double
 * quote, CR or LF, and its inner quotes are doubled. The line terminator is the caller's (files for Excel
 * use CRLF, reports LF). Every CSV the project writes itself goes through here; COPY … (format csv) writes
 * the rest.
 */

export type CsvValue = string | number | null | undefined;
export type CsvDelimiter = ',' | ';';

const NEEDS_QUOTES: Readonly<Record<CsvDelimiter, RegExp>> = { ',': /[",\r\n]/, ';': /[";\r\n]/ };

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** One field: null and undefined as nothing, numbers as JavaScript writes them, text quoted when it must be. */
export function csvField(value: CsvValue, delimiter: CsvDelimiter = ','): string {
  const text = value == null ? '' : String(value);
  return NEEDS_QUOTES[delimiter].test(text) ? quoted(text) : text;
}

/** One record, without its line terminator: the fields of `values`, each as `csvField` writes it. */
export function csvLine(values: readonly CsvValue[], delimiter: CsvDelimiter = ','): string {
  const needsQuotes = NEEDS_QUOTES[delimiter];
  let copy: CsvValue[] | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && needsQuotes.test(v)) {
      copy ??= values.slice();
      copy[i] = quoted(v);
    }
  }
  // Array#join writes null and undefined as '' and numbers as String(n), as csvField does, and builds one
  // flat string: the synthetic generator writes millions of lines through here.
  return (copy ?? values).join(delimiter);
}
