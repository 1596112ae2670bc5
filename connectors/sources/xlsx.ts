/**
 * XLSX reader (first worksheet), streamed with exceljs so a large workbook is never held whole.
 * Cells are turned into the text a clerk sees: dates as ISO dates, numbers as written, formulas as
 * their cached result.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { FileError } from '../../src/base/errors.js';
import type { SourceRow } from './types.js';

/**
 * The ZIP parser exceljs's streaming reader uses (a dependency of exceljs, declared in package.json at the
 * same range): the size check below reads the file with it, so it sees exactly the entries, and inflates
 * exactly the bytes, that exceljs will. It has no types of its own; this is the part used here.
 */
const unzipper = createRequire(import.meta.url)('unzipper') as {
  Parse(options: { forceStream: true }): NodeJS.ReadWriteStream & AsyncIterable<Readable & { readonly path: string }>;
};

/**
 * Limits on what a workbook may expand to, checked from the ZIP's directory before anything is inflated:
 * a 200 KB file whose shared strings expand to 200 MB (an "XLSX bomb") would otherwise hold a core and
 * gigabytes of memory for many seconds while every other upload waits. Real workbooks compress their XML
 * 5 to 30 times; a million-row sheet is a few hundred megabytes of XML.
 *
 * The directory can lie: a part declared at 2 KB may inflate to a gigabyte, and a part may be in the file
 * without being in the directory. So before exceljs reads the workbook, every part is inflated once,
 * streamed and counted (nothing kept), and the file is refused as soon as a part passes the size its
 * directory declared or was never declared: the limits above then hold for what is actually inflated.
 * That costs one extra inflation of the file (zlib, a small fraction of exceljs's XML parsing).
 */
export const XLSX_LIMITS = {
  /** No part may expand more than this many times its compressed size (once past `ratioFreeBytes`). */
  maxRatio: 200,
  ratioFreeBytes: 4 * 1024 * 1024,
  /** Shared strings are held in memory whole (exceljs caches them): the tightest limit. */
  maxSharedStringsBytes: 256 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
};

export async function* readXlsxRows(file: string): AsyncGenerator<SourceRow> {
  const declared = await checkExpandedSizes(file);
  await checkInflatedSizes(file, declared);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell which numbers are dates.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        // row.values is 1-based and sparse: index 0 is unused.
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { rowNumber: row.number, cells };
      }
      return; // only the first worksheet is data
    }
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError('import.bad_workbook', file, `the workbook cannot be read (${(error as Error).message ?? String(error)})`);
  }
}

export function cellText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    // exceljs builds dates in UTC; a date-only cell is midnight.
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}

interface ZipEntry {
  readonly name: string;
  readonly compressed: number;
  readonly uncompressed: number;
}

/**
 * Refuses a workbook whose parts, by the sizes its ZIP directory declares, expand beyond XLSX_LIMITS;
 * answers the declared sizes by part name.
 */
async function checkExpandedSizes(file: string): Promise<Map<string, ZipEntry>> {
  const entries = await zipEntries(file).catch((error: unknown) => {
    if (error instanceof FileError) throw error;
    throw new FileError('import.bad_workbook', file, `the workbook cannot be read (${(error as Error).message})`);
  });
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressed;
    const mb = (entry.uncompressed / 1024 / 1024).toFixed(0);
    if (entry.uncompressed > XLSX_LIMITS.ratioFreeBytes && entry.uncompressed > XLSX_LIMITS.maxRatio * Math.max(1, entry.compressed)) {
      throw new FileError('import.workbook_too_large', file, `the workbook is refused: its part ${entry.name} expands ${Math.round(entry.uncompressed / Math.max(1, entry.compressed))} times, to ${mb} MB (an "XLSX bomb"); save it again from Excel or as "CSV UTF-8"`);
    }
    if (/sharedstrings\.xml$/i.test(entry.name) && entry.uncompressed > XLSX_LIMITS.maxSharedStringsBytes) {
      throw new FileError('import.workbook_too_large', file, `the workbook is refused: its shared strings expand to ${mb} MB, too large to read; save it as "CSV UTF-8" and upload again`);
    }
  }
  if (total > XLSX_LIMITS.maxTotalBytes) {
    throw new FileError('import.workbook_too_large', file, `the workbook is refused: it expands to ${(total / 1024 / 1024).toFixed(0)} MB, too large to read; split it or save it as "CSV UTF-8"`);
  }
  return new Map(entries.map((e) => [e.name, e]));
}

/**
 * Inflates every part as exceljs's parser will (same parser), counting bytes and keeping none, and refuses
 * the workbook the moment a part passes the size its directory declared, is not in the directory, or comes
 * twice: a forged ZIP is stopped after at most its declared sizes have been inflated.
 */
async function checkInflatedSizes(file: string, declared: ReadonlyMap<string, ZipEntry>): Promise<void> {
  const forged = (problem: string) =>
    new FileError('import.workbook_too_large', file, `the workbook is refused: ${problem} (a damaged or forged ZIP, such as an "XLSX bomb"); save it again from Excel or as "CSV UTF-8"`);
  const source = fs.createReadStream(file);
  const zip = unzipper.Parse({ forceStream: true });
  // The parser reports a damaged part (deflate data that does not inflate, a file cut short) as its own
  // error and leaves the part's stream open: a loop waiting on that part would wait for ever (the fuzz
  // test's damaged workbooks). So the error ends the part being read, and is kept.
  let reading: Readable | null = null;
  let failure: Error | null = null;
  zip.on('error', (error: Error) => {
    failure ??= error;
    reading?.destroy(error);
  });
  source.on('error', (error) => zip.emit('error', error));
  source.pipe(zip);
  const seen = new Set<string>();
  try {
    for await (const entry of zip) {
      reading = entry;
      // Leaving a part early (a lie found) destroys its stream, whose error would then have no listener and
      // end the process: the loop below hears every error while it reads.
      entry.on('error', () => {});
      if (failure) throw failure;
      const part = declared.get(entry.path);
      if (part === undefined) throw forged(`its part ${entry.path} is not in its ZIP directory`);
      if (seen.has(entry.path)) throw forged(`its part ${entry.path} comes twice`);
      seen.add(entry.path);
      let size = 0;
      for await (const chunk of entry) {
        size += (chunk as Buffer).length;
        if (size > part.uncompressed) throw forged(`its part ${entry.path} inflates past the ${part.uncompressed} bytes its ZIP directory declares`);
      }
      reading = null;
    }
    if (failure) throw failure;
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError('import.bad_workbook', file, `the workbook cannot be read (${(error as Error).message ?? String(error)})`);
  } finally {
    source.destroy();
  }
}

/** The entries of a ZIP file's central directory (names and declared sizes), read from its end. */
async function zipEntries(file: string): Promise<ZipEntry[]> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_535 + 22);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new FileError('import.bad_workbook', file, 'the workbook cannot be read (it is not a complete ZIP file; was the upload cut off?)');
    const count = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    // ZIP64 markers: sizes beyond 4 GB, far past every limit.
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff || directoryOffset + directorySize > size) {
      throw new FileError('import.workbook_too_large', file, 'the workbook is refused: its ZIP directory declares parts larger than 4 GB or lies outside the file');
    }
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    const entries: ZipEntry[] = [];
    for (let at = 0, n = 0; n < count && at + 46 <= directory.length; n++) {
      if (directory.readUInt32LE(at) !== 0x02014b50) break;
      const compressed = directory.readUInt32LE(at + 20);
      const uncompressed = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      if (uncompressed === 0xffffffff || compressed === 0xffffffff) {
        throw new FileError('import.workbook_too_large', file, `the workbook is refused: its part ${name} declares a size beyond 4 GB`);
      }
      entries.push({ name, compressed, uncompressed });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}
