/**
 * Cleans the data rows of one file, block by block, into COPY text for the `record` table, and keeps
 * what the whole file needs: per-field counts, the finding kinds met, duplicate record ids, quarantined
 * rows and how many names look legacy-encoded.
 *
 * It holds no I/O, so the same code runs inline for a small upload and in a worker thread for a large
 * file (see clean-worker.ts), where it gets a core of its own.
 */
import { cleanRecord, type CleanValues, type FieldFinding } from '../clean/record.js';
import { finding, type FieldStatus } from '../clean/finding.js';
import { findingMessage } from '../clean/findings-catalogue.js';
import { copyLine, textArrayLiteral } from '../base/copy.js';
import { HashedStringSet } from '../base/string-hash.js';
import { FIELDS, type FieldName } from '../base/fields.js';
import type { ColumnMap } from './fields.js';

export interface RowCleanerOptions {
  readonly batchId: number;
  readonly columns: ColumnMap;
  /** Today's date (`yyyy-mm-dd`) for the "in the future" checks. */
  readonly today: string;
}

/** A data row as read: its spreadsheet row number and its cells. */
export type DataRow = readonly [rowNumber: number, cells: readonly string[]];

export type FieldStats = Record<FieldName, Record<FieldStatus, number>>;

export interface CleaningSummary {
  readonly stats: FieldStats;
  /** Every finding code met, with its field, severity and message. */
  readonly kinds: readonly FieldFinding[];
  readonly quarantined: number;
  /** Rows with a non-blank name, and how many of those names are in a legacy font (TCVN3/VNI). */
  readonly namesSeen: number;
  readonly legacyNames: number;
  readonly firstLegacy: { readonly row: number; readonly kind: 'tcvn3' | 'vni' } | null;
}

/** The cleaned columns in the order they are copied into `record`, after batch_id and row_number. */
export const RECORD_COLUMNS: readonly (keyof CleanValues)[] = [
  'record_id', 'quarantine_reason', 'full_name', 'name_key', 'family_name', 'middle_name', 'given_name',
  'birth_date', 'birth_year', 'sex', 'citizen_id', 'citizen_id_kind', 'phone', 'address', 'commune_code',
  'commune_scheme', 'commune_current', 'vaccine_code', 'dose_number', 'vaccination_date', 'lot_number',
  'facility_code', 'adverse_event', 'source', 'screening_result', 'adverse_event_severity', 'guardian_name',
  'guardian_key', 'guardian_phone',
];
export const RECORD_COPY_COLUMNS: readonly string[] = ['batch_id', 'row_number', ...RECORD_COLUMNS, 'findings'];

const STATUSES: readonly FieldStatus[] = ['clean', 'fixed', 'flagged', 'invalid', 'missing'];

const DUPLICATE_RECORD_ID: FieldFinding = {
  field: 'record_id',
  ...finding('record_id.duplicate'),
};

/** Every field without a cell: the shape each row's raw record is copied from (a spread copies its fields at once). */
const NO_CELLS = Object.fromEntries(FIELDS.map((field) => [field, undefined])) as Readonly<Record<FieldName, string | undefined>>;

export class RowCleaner {
  readonly #options: RowCleanerOptions;
  /** The contract fields the file has, and the column of each. */
  readonly #fields: readonly FieldName[];
  readonly #columns: readonly number[];
  /** Row counts per field and status, at `FIELDS index * STATUSES.length + status index`. */
  readonly #counts = new Float64Array(FIELDS.length * STATUSES.length);
  readonly #kinds = new Map<string, FieldFinding>();
  /** Hashes, not strings: a province's file holds tens of millions of record ids (string-hash.ts). */
  readonly #seenRecordIds = new HashedStringSet();
  #quarantined = 0;
  #namesSeen = 0;
  #legacyNames = 0;
  #firstLegacy: CleaningSummary['firstLegacy'] = null;

  constructor(options: RowCleanerOptions) {
    this.#options = options;
    this.#fields = FIELDS.filter((f) => options.columns[f] !== undefined);
    this.#columns = this.#fields.map((f) => options.columns[f]!);
  }

  /** Cleans a block of data rows and returns their `record` rows in COPY text format. */
  cleanBlock(rows: readonly DataRow[]): string {
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = this.#cleanRow(rows[i]![0], rows[i]![1]);
    return lines.join('');
  }

  summary(): CleaningSummary {
    const stats = {} as FieldStats;
    FIELDS.forEach((field, f) => {
      stats[field] = Object.fromEntries(STATUSES.map((status, s) => [status, this.#counts[f * STATUSES.length + s]!])) as Record<FieldStatus, number>;
    });
    return {
      stats,
      kinds: [...this.#kinds.values()],
      quarantined: this.#quarantined,
      namesSeen: this.#namesSeen,
      legacyNames: this.#legacyNames,
      firstLegacy: this.#firstLegacy,
    };
  }

  #cleanRow(rowNumber: number, cells: readonly string[]): string {
    const input = { ...NO_CELLS };
    for (let i = 0; i < this.#fields.length; i++) input[this.#fields[i]!] = cells[this.#columns[i]!] ?? '';
    const result = cleanRecord(input, { today: this.#options.today });
    const values = result.values;

    const codes: string[] = [];
    for (const f of result.findings) {
      codes.push(f.code);
      // A code is stored once (finding_kind) and shown for every row that has it, of this batch and of
      // earlier ones: its message is the code's general sentence, never the variant of whichever row came
      // first, which a later import would then overwrite for everyone (issue 15).
      if (!this.#kinds.has(f.code)) this.#kinds.set(f.code, { field: f.field, code: f.code, severity: f.severity, message: findingMessage(f.code, 'en') });
    }
    let recordIdStatus = result.status.record_id;
    if (values.record_id) {
      if (!this.#seenRecordIds.add(values.record_id)) {
        codes.push(DUPLICATE_RECORD_ID.code);
        this.#kinds.set(DUPLICATE_RECORD_ID.code, DUPLICATE_RECORD_ID);
        if (recordIdStatus !== 'invalid') recordIdStatus = 'flagged';
      }
    }
    if (input.full_name?.trim()) {
      this.#namesSeen++;
      if (result.legacyEncoding) {
        this.#legacyNames++;
        this.#firstLegacy ??= { row: rowNumber, kind: result.legacyEncoding };
      }
    }
    if (result.quarantineReason) this.#quarantined++;
    const status = result.status;
    for (let f = 0; f < FIELDS.length; f++) {
      const field = FIELDS[f]!;
      this.#counts[f * STATUSES.length + STATUSES.indexOf(field === 'record_id' ? recordIdStatus : status[field])]!++;
    }

    const line = new Array<string | number | null>(RECORD_COLUMNS.length + 3);
    line[0] = this.#options.batchId;
    line[1] = rowNumber;
    for (let c = 0; c < RECORD_COLUMNS.length; c++) line[c + 2] = values[RECORD_COLUMNS[c]!];
    line[RECORD_COLUMNS.length + 2] = codes.length === 0 ? '{}' : textArrayLiteral(codes);
    return copyLine(line);
  }
}
