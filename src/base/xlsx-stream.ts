/**
 * The one way vaxsync writes a workbook: ExcelJS's streaming writer (`ExcelJS.stream.xlsx.WorkbookWriter`),
 * which turns each row into sheet XML and zips it as it is committed, instead of building the whole workbook
 * in memory and zipping it at the end (`workbook.xlsx.writeBuffer()`: the 37,369-row call list of a
 * 50,000-person sample took 8.6 s of CPU and 655 MB that way, its memory growing with the rows; figures and
 * commands in the README, Reports).
 *
 * Rules for whoever writes a sheet with it (src/report/format.ts, src/report/marked-up.ts,
 * src/ingest/template.ts):
 * - rows are written in order and a committed row cannot be touched again; a sheet's column widths, its
 *   views (the frozen header) and its page setup must be set before its first row is committed, since they
 *   come first in the sheet's XML (merges, the filter and comments may come at any time before the sheet's
 *   commit);
 * - a data cell takes one of a few shared, never-changed style objects (`cell.style = SHARED`): ExcelJS
 *   recognises an object it has seen (a WeakMap) instead of working out the style again for every cell,
 *   which is most of the cost of a row;
 * - text is written as a string cell, never a formula (ExcelJS writes a formula only from `{ formula }`), so
 *   `=HYPERLINK(…)` typed by a station shows as text; through `exactText` when it comes from a station or a
 *   record, so that its spaces survive too;
 * - call `keepPace(out)` every few hundred rows: it lets the zip compress what was written and waits while
 *   the reader (a file, a phone downloading over a slow link) is behind, so memory stays bounded.
 */
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A text cell's value, kept exact. The streaming writer puts a string in the cell itself (`t="str"`, no shared
 * strings table to hold in memory), in an element whose leading and trailing spaces a reader may drop
 * (LibreOffice does: ` Nguyễn Văn An` came back `Nguyễn Văn An`); a text with such spaces or a line break
 * goes as a one-run rich text instead, written `xml:space="preserve"` (ExcelJS reads it back as
 * `{ richText }`, the import as its text). Still a text, never a formula.
 */
export function exactText(text: string): string | ExcelJS.CellRichTextValue {
  return /^\s|\n|\s$/.test(text) ? { richText: [{ text }] } : text;
}

/** Rows between two `keepPace` calls in the writers. */
export const PACE_ROWS = 500;

/** A workbook written to `out` as its rows are committed; strings inline (no shared-strings table to hold). */
export function workbookWriter(out: Writable): WorkbookWriter {
  return new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
}

/** The reader went away (a download cancelled, the connection lost): the workbook is not written on. */
export class XlsxReaderGone extends Error {
  constructor() {
    super('the XLSX stream was closed before the workbook was written');
  }
}

/** Resolves when `out` drains or closes, whichever comes first. */
function drainedOrClosed(out: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Lets the zip catch up with the rows committed so far, and waits while `out`'s reader is behind. Throws
 * XlsxReaderGone once `out` is destroyed, so that a cancelled download stops its writer (and frees its rows)
 * instead of leaving it waiting for ever.
 */
export async function keepPace(out: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  while (out.writableNeedDrain && !out.destroyed) await drainedOrClosed(out);
  if (out.destroyed) throw new XlsxReaderGone();
}

/** Writes the workbook `write` makes into `out`, then waits until `out` has taken all of it (or is closed). */
async function writeAll(out: Writable, write: (workbook: WorkbookWriter, out: Writable) => Promise<void>): Promise<void> {
  const workbook = workbookWriter(out);
  await write(workbook, out);
  if (out.destroyed) throw new XlsxReaderGone();
  const closed = once(out, 'close').then(() => {
    throw new XlsxReaderGone();
  });
  closed.catch(() => {}); // settled by the race below, or after it: never unhandled
  await Promise.race([workbook.commit(), closed]); // the zip's end: it ends `out` too
}

/**
 * The workbook as a stream, to pipe into a file or send as an HTTP response: it is written while it is read.
 * A failure while writing destroys the stream with the error (a file write or a response then fails with it).
 */
export function xlsxStream(write: (workbook: WorkbookWriter, out: Writable) => Promise<void>): Readable {
  const out = new PassThrough();
  writeAll(out, write).catch((error: unknown) => {
    if (!(error instanceof XlsxReaderGone)) out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}

/** The same workbook whole in memory: for files that are small by nature (the template) and for tests. */
export async function xlsxBuffer(write: (workbook: WorkbookWriter, out: Writable) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of xlsxStream(write)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
