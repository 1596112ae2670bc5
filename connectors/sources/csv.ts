/**
 * CSV reader: UTF-8 with or without BOM, comma or semicolon separated, streamed row by row.
 *
 * Papa Parse, because it reads station files as forgivingly as csv-parse (ragged rows, stray quotes
 * inside unquoted cells) at about 2.4 times its speed, and parsing was the largest single cost of an
 * import. Rows are numbered as a spreadsheet shows them: a quoted cell spanning lines is one row, an empty
 * line is a row of one empty cell.
 */
import fs from 'node:fs';
import Papa from 'papaparse';
import { FileError } from '../../src/base/errors.js';
import type { SourceRow } from './types.js';

/** Rows parsed ahead of the importer before the file is paused: memory stays flat whatever the file size. */
const READ_AHEAD_ROWS = 5_000;

export async function* readCsvRows(file: string): AsyncGenerator<SourceRow> {
  const delimiter = await detectDelimiter(file);
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const queue: string[][] = [];
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let parsedRows = 0;
  const signal = () => {
    wake?.();
    wake = null;
  };
  // Papa's chunk callback hands over every row of a file chunk at once. (Its Node Duplex mode pauses the
  // parser every 16 rows and builds a new one to resume: that cost more than the parsing.) Backpressure
  // is ours: the file stream itself is paused while the importer is behind.
  Papa.parse<string[]>(input, {
    delimiter,
    skipEmptyLines: false,
    chunk(results) {
      // An unterminated quote swallows the rest of the file into one cell: no row after it can be trusted.
      const unterminated = results.errors.find((e) => e.code === 'MissingQuotes');
      if (unterminated && !failure) {
        failure = new FileError('import.bad_csv', file, 'the CSV cannot be read: a quoted cell is never closed (a " is missing)', {
          row: parsedRows + (unterminated.row ?? 0) + 1,
        });
      }
      parsedRows += results.data.length;
      for (const row of results.data) queue.push(row);
      if (queue.length >= READ_AHEAD_ROWS) input.pause();
      signal();
    },
    complete() {
      finished = true;
      signal();
    },
    error(error: Error) {
      failure ??= error;
      signal();
    },
  });
  input.on('error', (error) => {
    failure ??= error;
    signal();
  });

  let rowNumber = 0;
  try {
    for (;;) {
      if (failure) throw failure;
      if (queue.length > 0) {
        const rows = queue.splice(0, queue.length);
        for (const cells of rows) {
          rowNumber++;
          if (rowNumber === 1 && cells[0]?.charCodeAt(0) === 0xfeff) cells[0] = cells[0].slice(1);
          yield { rowNumber, cells };
        }
        continue;
      }
      if (finished) return;
      // Only now, with every parsed row handed over, may the file flow again.
      if (input.isPaused()) input.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError('import.bad_csv', file, `the file cannot be read (${(error as Error).message})`, { row: rowNumber + 1 });
  } finally {
    input.destroy();
  }
}

/** Comma or semicolon, whichever splits the header line into more cells (quotes respected). */
async function detectDelimiter(file: string): Promise<',' | ';'> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    let commas = 0;
    let semicolons = 0;
    let quoted = false;
    for (const c of text) {
      if (c === '"') quoted = !quoted;
      else if (!quoted && (c === '\n' || c === '\r')) break;
      else if (!quoted && c === ',') commas++;
      else if (!quoted && c === ';') semicolons++;
    }
    return semicolons > commas ? ';' : ',';
  } finally {
    await handle.close();
  }
}
