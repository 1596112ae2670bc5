/**
 * CSV fields and lines as RFC 4180 writes them: a field is quoted when it holds the delimiter, a double
 * quote, CR or LF, and its inner quotes are doubled. The line terminator is the caller's (files for Excel
 * use CRLF, reports LF). Every CSV the project writes itself goes through here; COPY … (format csv) writes
 * the rest.
 *
 * Two audiences (issue 15, finding 4, "CSV formula injection"): a CSV that a person opens in a spreadsheet
 * runs a cell starting with `=`, `+`, `-`, `@`, a tab or a CR as a formula, and a station can plant one
 * (`=HYPERLINK(…)`) in a name or an address that another commune's call list shows. Files for PEOPLE are
 * written with `{ forPeople: true }`: such a text cell gets a leading single quote (OWASP's advice), which
 * the spreadsheet shows as text; a number, or text that is only a number (`-5`, `+84`), is left as it is.
 * Files OTHER TOOLS READ (the contract outputs of ../shared/contract/: the dedupe `record_id,person_id,
 * dose_id` file, the reconcile file, synthetic station files, the staged JSON batch) keep exact values.
 *   for people:  report downloads (src/report/format.ts), the problem list (`vaxsync problems --out`,
 *                src/report/quality.ts), the reconcile summary per commune (src/reconcile/report.ts)
 *   contract:    src/link/export.ts, writeReconcileCsv, src/synth/*, src/service/upload.ts (JSON staging)
 * COPY-written files for people wrap their text columns in `spreadsheetSafeSql`, the same rule in SQL.
 */

export type CsvValue = string | number | null | undefined;
export type CsvDelimiter = ',' | ';';

const NEEDS_QUOTES: Readonly<Record<CsvDelimiter, RegExp>> = { ',': /[",\r\n]/, ';': /[";\r\n]/ };

/** A cell a spreadsheet would run as a formula: it starts with one of `= + - @`, a tab or a CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** …unless it is only a number, which no spreadsheet runs and which must keep its sign. */
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

/** `text` as a spreadsheet shows it as text: prefixed with `'` when it would otherwise run as a formula. */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The same rule as `spreadsheetSafe`, as an SQL expression over the text expression `expr` (for COPY output). */
export function spreadsheetSafeSql(expr: string): string {
  return `(case when ${expr} ~ '^[=+@\t\r-]' and ${expr} !~ '^[+-]?[0-9]+([.,][0-9]+)?$' then '''' || ${expr} else ${expr} end)`;
}

export interface CsvOptions {
  /** The file is for a person to open in a spreadsheet: neutralise formula-like text cells (see above). */
  readonly forPeople?: boolean;
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** One field: null and undefined as nothing, numbers as JavaScript writes them, text quoted when it must be. */
export function csvField(value: CsvValue, delimiter: CsvDelimiter = ',', options: CsvOptions = {}): string {
  let text = value == null ? '' : String(value);
  if (options.forPeople && typeof value === 'string') text = spreadsheetSafe(text);
  return NEEDS_QUOTES[delimiter].test(text) ? quoted(text) : text;
}

/** One record, without its line terminator: the fields of `values`, each as `csvField` writes it. */
export function csvLine(values: readonly CsvValue[], delimiter: CsvDelimiter = ',', options: CsvOptions = {}): string {
  if (options.forPeople) return values.map((v) => csvField(v, delimiter, options)).join(delimiter);
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
