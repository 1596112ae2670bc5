/**
 * Reading a registry extract (CSV or XLSX) as a stream of raw registry rows: finds the header row, maps its
 * columns (columns.ts) and yields each data row's text by field, never holding the file whole. Used by the
 * file connector and by the simulator, so both read a file by the same rules.
 */
import path from 'node:path';
import { FileError } from '../../src/base/errors.js';
import { openTabularFile, type SourceRow, type TabularFormat } from '../sources/tabular.js';
import { isBlank } from '../../src/clean/finding.js';
import { describeField, mapRegistryHeaders, type RegistryColumnMap, type RegistryHeaderMapping } from './columns.js';
import { REGISTRY_FIELDS, RegistryError, type RegistryField, type RegistryRawRow } from './types.js';

/** How many rows above the header an extract may have (a title, an export date). */
const HEADER_SEARCH_ROWS = 10;

export interface ExtractRow {
  /** As a spreadsheet shows it: the header is row 1 when nothing is above it. */
  readonly rowNumber: number;
  readonly raw: RegistryRawRow;
}

export interface RegistryExtract {
  /** The file's name without its folder, as messages and the `source` column show it. */
  readonly fileName: string;
  readonly format: TabularFormat;
  readonly headerRow: number;
  /** Field → the header text as written in the file, to name a column the way the clerk sees it. */
  readonly headers: Readonly<Partial<Record<RegistryField, string>>>;
  /** Data rows; blank rows are skipped. */
  readonly rows: AsyncIterable<ExtractRow>;
  /** Releases the file when the rows are not read to the end (reading them to the end releases it too). */
  close(): Promise<void>;
}

/** Wraps the tabular readers' errors, which already name the file and row. */
function asRegistryError(error: unknown): unknown {
  if (error instanceof FileError) return new RegistryError('registry.bad_file', `bad registry file ${error.message}`, { cause: error });
  return error;
}

export async function openRegistryExtract(file: string): Promise<RegistryExtract> {
  const fileName = path.basename(file);
  const source = await openTabularFile(file).catch((error: unknown) => {
    throw asRegistryError(error);
  });
  const iterator = source.rows[Symbol.asyncIterator]();

  // The header is the first of the top rows that names every required column; if none does, the error
  // names what the best of them lacks.
  let header: SourceRow | undefined;
  let mapping: RegistryHeaderMapping | undefined;
  let best: RegistryHeaderMapping | undefined;
  try {
    for (let i = 0; i < HEADER_SEARCH_ROWS; i++) {
      const next = await iterator.next();
      if (next.done) break;
      const candidate = mapRegistryHeaders(next.value.cells);
      if (candidate.missingRequired.length === 0) {
        header = next.value;
        mapping = candidate;
        break;
      }
      if (best === undefined || candidate.missingRequired.length < best.missingRequired.length) best = candidate;
    }
  } catch (error) {
    await iterator.return?.();
    throw asRegistryError(error);
  }
  if (header === undefined || mapping === undefined) {
    await iterator.return?.();
    const missing = (best?.missingRequired ?? []).map(describeField);
    throw new RegistryError(
      'registry.bad_file',
      missing.length === 0
        ? `bad registry file ${fileName}: it has no rows`
        : `bad registry file ${fileName}: missing required column ${missing.join(', ')} (no header row among the first ${HEADER_SEARCH_ROWS} names it)`,
    );
  }

  const headers: Partial<Record<RegistryField, string>> = {};
  for (const field of REGISTRY_FIELDS) {
    const index = mapping.columns[field];
    if (index !== undefined) headers[field] = header.cells[index]!;
  }
  return {
    fileName,
    format: source.format,
    headerRow: header.rowNumber,
    headers,
    rows: dataRows(iterator, mapping.columns),
    close: async () => {
      await iterator.return?.();
    },
  };
}

async function* dataRows(iterator: AsyncIterator<SourceRow>, columns: RegistryColumnMap): AsyncGenerator<ExtractRow> {
  const mapped = REGISTRY_FIELDS.flatMap((field) => (columns[field] === undefined ? [] : [[field, columns[field]] as const]));
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const { rowNumber, cells } = next.value;
      const raw: RegistryRawRow = {};
      let blank = true;
      for (const [field, index] of mapped) {
        const cell = cells[index] ?? '';
        raw[field] = cell;
        if (blank && !isBlank(cell)) blank = false;
      }
      if (!blank) yield { rowNumber, raw };
    }
  } catch (error) {
    throw asRegistryError(error);
  } finally {
    await iterator.return?.();
  }
}
