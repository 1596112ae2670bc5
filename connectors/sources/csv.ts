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
import { ImportError } from '../../src/ingest/errors.js';
import type { SourceRow } from './tabular.js';

/**
 * No real cell is this long; one that is holds the rest of the file after a quote that is never closed
 * (Papa Parse, like Excel, reads on to the end of the file looking for it).
 */
const MAX_CELL_CHARS = 100_000;

export async function* readCsvRows(file: string): AsyncGenerator<SourceRow> {
  const delimiter = await detectDelimiter(file);
  // Papa's Node stream mode is a proper Duplex: piping and async iteration keep the file paused while the
  // importer is busy, so memory stays flat however large the file is.
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, skipEmptyLines: false }) as NodeJS.ReadWriteStream;
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  input.on('error', (error) => parser.emit('error', error));
  input.pipe(parser);
  let rowNumber = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (rowNumber === 1 && cells[0]?.charCodeAt(0) === 0xfeff) cells[0] = cells[0].slice(1);
      for (const cell of cells) {
        if (cell.length > MAX_CELL_CHARS) {
          throw new ImportError(file, 'the CSV cannot be read: a quoted cell is never closed (a " is missing)', { row: rowNumber });
        }
      }
      yield { rowNumber, cells };
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(file, `the file cannot be read (${(error as Error).message})`, { row: rowNumber + 1 });
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
