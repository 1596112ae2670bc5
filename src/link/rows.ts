/**
 * The cleaned records as the link stage reads them, and their views for the matcher and the dose grouping.
 */
import { sql } from 'kysely';
import { CodedColumn, type CodeArray } from '../base/coded-column.js';
import { CopyBinaryRows, type BinaryColumn, type BinaryValue } from '../base/copy-binary-rows.js';
import { collectGarbage } from '../base/collect-garbage.js';
import { arrayOf, ColumnSpill, kindOf, type ColumnKind, type SpillColumn, type SpillOptions } from '../base/column-spill.js';
import { RecordTableBuilder, type DoseRow, type MatchRecord, type RecordTable } from '../../matchers/index.js';
import { identifierKindOf } from '../clean/citizen-id.js';
import { isPreNamingKey } from '../clean/name.js';
import type { Database, RawTransaction } from '../db/database.js';

/** A cleaned record's key: its batch and its row in the file. */
export interface RecordRef {
  readonly batch: number;
  readonly row: number;
}

/** One cleaned record as the link stage reads it. */
export interface LinkRow {
  readonly batch_id: number;
  readonly row_number: number;
  readonly quarantined: boolean;
  readonly name_key: string | null;
  readonly full_name: string | null;
  readonly birth_date: string | null;
  readonly sex: 'male' | 'female' | null;
  readonly citizen_id: string | null;
  readonly citizen_id_kind: 'cccd' | 'cmnd' | 'invalid' | null;
  readonly phone: string | null;
  readonly commune_current: string | null;
  readonly address: string | null;
  readonly vaccine_code: string | null;
  readonly vaccination_date: string | null;
  readonly dose_number: number | null;
  readonly lot_number: string | null;
  readonly guardian_key: string | null;
  readonly guardian_phone: string | null;
}

const LINK_COLUMNS = [
  'r.batch_id', 'r.row_number', 'r.name_key', 'r.full_name', 'r.birth_date', 'r.sex', 'r.citizen_id',
  'r.citizen_id_kind', 'r.phone', 'r.commune_current', 'r.address', 'r.vaccine_code', 'r.vaccination_date',
  'r.dose_number', 'r.lot_number', 'r.guardian_key', 'r.guardian_phone',
] as const;

/** Each loaded row's own columns: what writing the people and doses reads, and matching does not. */
interface RowColumns {
  readonly batch: Int32Array;
  readonly row: Int32Array;
  readonly quarantined: Uint8Array;
  /** Current person and dose ids; NaN where the row is not linked yet. (Ids stay far below 2^53.) */
  readonly personId: Float64Array;
  readonly doseId: Float64Array;
  /** NaN where the row gives no dose number. */
  readonly doseNumber: Float64Array;
  /** Matcher id of each row; -1 for a quarantined one. */
  readonly matcherIdOf: Int32Array;
  readonly vaccine: CodedColumn;
  readonly vaccinationDate: CodedColumn;
  readonly lot: CodedColumn;
  /** Where the row's dose was given: its pre-July-2025 commune (rows cleaned under the 2004 list) and its site. */
  readonly communeOld: CodedColumn;
  readonly facility: CodedColumn;
}

const PLAIN_COLUMNS = ['batch', 'row', 'quarantined', 'personId', 'doseId', 'doseNumber', 'matcherIdOf'] as const;
const CODED_COLUMNS = ['vaccine', 'vaccinationDate', 'lot', 'communeOld', 'facility'] as const;

/** Where and how the rows' columns are parked: the spill's options, and the rows a chunk of them holds (default 2^16: the spill's write buffer holds one, 3 MB, until it is closed). */
export interface ParkOptions extends SpillOptions {
  readonly chunk?: number;
}

/**
 * Every record of every loaded batch, in file order, column by column, with the person and dose the last
 * run gave it. A million rows as objects cost ~650 MB on top of the matcher's own records; as columns they
 * cost ~60 MB, and the matcher's records (which carry every golden-record field) serve the rest.
 *
 * The rows' own columns (about 47 bytes a row, 490 MB at ten million) are parked in a temporary file while the
 * records are matched (`parkedWhile`), which reads only the matcher's records: the link's peak is in
 * matching, and they would wait there unread.
 */
export class LoadedRecords {
  #rows: RowColumns | null;

  constructor(
    readonly count: number,
    rows: RowColumns,
    /** The matcher's records of the matchable rows, `id` its index among them (recordAt reads any row's). */
    readonly matchable: RecordTable,
    /** Row index of each matchable record, by its id. */
    readonly rowOf: Int32Array,
    /** The quarantined rows' records, plain with id -1, by row: never matched, but their golden records are written. */
    readonly quarantinedRecord: ReadonlyMap<number, MatchRecord>,
  ) {
    this.#rows = rows;
  }

  get batch() {
    return this.rows().batch;
  }
  get row() {
    return this.rows().row;
  }
  get quarantined() {
    return this.rows().quarantined;
  }
  get personId() {
    return this.rows().personId;
  }
  get doseId() {
    return this.rows().doseId;
  }
  get doseNumber() {
    return this.rows().doseNumber;
  }
  get matcherIdOf() {
    return this.rows().matcherIdOf;
  }
  get vaccine() {
    return this.rows().vaccine;
  }
  get vaccinationDate() {
    return this.rows().vaccinationDate;
  }
  get lot() {
    return this.rows().lot;
  }
  get communeOld() {
    return this.rows().communeOld;
  }
  get facility() {
    return this.rows().facility;
  }

  /**
   * Runs `work` with the rows' own columns out of memory, in a temporary file (ColumnSpill; `memoryBudget`
   * keeps them in memory up to it, for tests), read back after, whether `work` returns or throws. `work` may read only
   * `matchable`, `rowOf` and `quarantinedRecord`; a column read meanwhile throws.
   */
  parkedWhile<T>(work: () => T, options: ParkOptions = {}): T {
    const parked = park(this.rows(), this.count, options);
    this.#rows = null;
    // The columns just parked, and what loading let go (its maps of each field's distinct values), go
    // before matching allocates blocking's arrays, not during it.
    collectGarbage();
    try {
      return work();
    } finally {
      // What `work` let go (matching's pairs and links) goes before the columns come back, not after.
      collectGarbage();
      this.#rows = parked.restore();
    }
  }

  private rows(): RowColumns {
    if (this.#rows === null) throw new Error('LoadedRecords: the rows\' columns are parked while the records are matched');
    return this.#rows;
  }
}

/** Writes `rows` to a spill and returns what reads them back; nothing returned holds the columns themselves. */
function park(rows: RowColumns, count: number, options: ParkOptions): { restore: () => RowColumns } {
  const coded = CODED_COLUMNS.map((name) => rows[name].parted());
  const columns: SpillColumn[] = [...PLAIN_COLUMNS.map((name) => rows[name]), ...coded.map((c) => c.codes)];
  const kinds = columns.map(kindOf);
  // Always to the file unless told otherwise: a copy held in memory would only double the columns meanwhile.
  const spill = new ColumnSpill(kinds, { memoryBudget: 0, ...options });
  try {
    const chunk = options.chunk ?? 1 << 16;
    for (let start = 0; start < count; start += chunk) {
      const end = Math.min(count, start + chunk);
      spill.append(columns.map((column) => column.subarray(start, end)), end - start);
    }
  } catch (error) {
    spill.close();
    throw error;
  }
  return { restore: reader(spill, kinds, coded.map((c) => c.join), count) };
}

/**
 * What reads parked columns back into arrays of their own. A function apart from park: a closure made there
 * would keep park's scope, and with it the columns, alive.
 */
function reader(spill: ColumnSpill<readonly ColumnKind[]>, kinds: readonly ColumnKind[], joins: readonly ((codes: CodeArray) => CodedColumn)[], count: number): () => RowColumns {
  return () => {
    try {
      const read = kinds.map((kind) => arrayOf(kind, count));
      let at = 0;
      spill.forEachChunk((chunk, n) => {
        chunk.forEach((column, c) => read[c]!.set(column.subarray(0, n), at));
        at += n;
      });
      const rows: Record<string, unknown> = {};
      PLAIN_COLUMNS.forEach((name, c) => (rows[name] = read[c]));
      CODED_COLUMNS.forEach((name, c) => (rows[name] = joins[c]!(read[PLAIN_COLUMNS.length + c] as CodeArray)));
      return rows as unknown as RowColumns;
    } finally {
      spill.close();
    }
  };
}

/** The matcher's record of loaded row `r`. */
export function recordAt(records: LoadedRecords, r: number): MatchRecord {
  const id = records.matcherIdOf[r]!;
  return id >= 0 ? records.matchable.at(id)! : records.quarantinedRecord.get(r)!;
}

/** The ids of the loaded batches: the records a link reads are theirs. */
export async function loadedBatches(query: RawTransaction['query']): Promise<number[]> {
  return (await query<{ id: number }>(`select id from batch where status = 'loaded'`)).map((b) => b.id);
}

/**
 * A record is current unless a later row of its station replaced it (a correction, src/ingest/corrections.ts):
 * a superseded record is kept as history and takes no part in linking.
 */
export const CURRENT = 'not exists (select 1 from record_correction c where c.old_batch = r.batch_id and c.old_row = r.row_number)';

/** Which records to load: all those of the loaded batches, or only those listed in a table of refs. */
export interface LoadScope {
  /** A table (batch_id, row_number) of the records to load, each listed once. */
  readonly table?: string;
  /** Superseded records too (default: only current ones). */
  readonly superseded?: boolean;
  /** The table gives each record's person too (`person_id`, null for none), found already: not looked up again. */
  readonly persons?: boolean;
}

/** The binary form COPY gives each of a LinkRow's columns (every one named: the select casts to it). */
const LINK_TYPES: Readonly<Record<(typeof LINK_COLUMNS)[number], BinaryColumn>> = {
  'r.batch_id': 'int4', 'r.row_number': 'int4', 'r.name_key': 'text', 'r.full_name': 'text', 'r.birth_date': 'text',
  'r.sex': 'text', 'r.citizen_id': 'text', 'r.citizen_id_kind': 'text', 'r.phone': 'text', 'r.commune_current': 'text',
  'r.address': 'text', 'r.vaccine_code': 'text', 'r.vaccination_date': 'text', 'r.dose_number': 'int4',
  'r.lot_number': 'text', 'r.guardian_key': 'text', 'r.guardian_phone': 'text',
};

/**
 * What a load reads of each record, in order, each cast to the binary form CopyBinaryRows reads it in, by
 * position: a LinkRow's columns and whether it is quarantined (LINK_FIELDS of them), then where its dose
 * was given, and (LOAD_TYPES) the person and dose the last run gave it.
 */
const LOAD_FIELDS: readonly (readonly [string, BinaryColumn])[] = [
  ...LINK_COLUMNS.map((column) => [`${column}::${LINK_TYPES[column]}`, LINK_TYPES[column]] as const),
  ['r.quarantine_reason is not null', 'bool'],
  ["case when r.commune_scheme = '2004' then r.commune_code end", 'text'],
  ['r.facility_code', 'text'],
];
const LINK_FIELDS = LINK_COLUMNS.length + 1;
/** Where linkRowOf finds each column. */
const AT = Object.fromEntries(LINK_COLUMNS.map((column, i) => [column.slice(2), i])) as Record<string, number>;
const QUARANTINED = LINK_COLUMNS.length;
const COMMUNE_OLD = QUARANTINED + 1;
const FACILITY = QUARANTINED + 2;
const PERSON_ID = QUARANTINED + 3;
const DOSE_ID = QUARANTINED + 4;
/** A select list of `fields`, each named by its place (the names are not read: COPY gives values by position). */
const selectList = (fields: readonly (readonly [string, BinaryColumn])[]) => fields.map(([column], i) => `${column} as f${i}`).join(', ');
const LOAD_COLUMNS = selectList(LOAD_FIELDS);
const LOAD_TYPES: readonly BinaryColumn[] = [...LOAD_FIELDS.map(([, type]) => type), 'int8', 'int8'];
/** What eachLinkedRecords reads: a LinkRow's fields alone. */
const LINKED_COLUMNS = selectList(LOAD_FIELDS.slice(0, LINK_FIELDS));
const LINKED_TYPES = LOAD_TYPES.slice(0, LINK_FIELDS);

/** Which records of `batches` (a literal: batchesLiteral) a load reads. */
const scopeWhere = (scope: LoadScope, batches: string) => `r.batch_id = any(${batches})${scope.superseded === true ? '' : ` and ${CURRENT}`}`;

/** The batches as a literal for a query that takes no parameters (COPY): integers only. */
function batchesLiteral(batches: readonly number[]): string {
  for (const b of batches) if (!Number.isSafeInteger(b)) throw new Error(`not a batch id: ${String(b)}`);
  return `'{${batches.join(',')}}'::int[]`;
}

/**
 * Every record: read in key order with their person and dose. Some of them (a scope's table): one index
 * look-up each, in the table's order, whatever the planner estimates — as joins it chose to read the whole
 * record, person_record and dose_record tables in key order and merge (10 s of a nightly run at ten million
 * rows, growing with the history, for a tenth of it). The LIMIT keeps the lateral subquery from being
 * flattened into a join, and a scalar subquery is always a look-up.
 */
const loadSql = (scope: LoadScope, batches: string) => {
  const where = scopeWhere(scope, batches);
  return scope.table === undefined
    ? `
  select ${LOAD_COLUMNS}, pr.person_id::int8, dr.dose_id::int8
  from record r
  left join person_record pr on pr.batch_id = r.batch_id and pr.row_number = r.row_number
  left join dose_record dr on dr.batch_id = r.batch_id and dr.row_number = r.row_number
  where ${where}
  order by r.batch_id, r.row_number`
    : `
  select r.*,
         ${scope.persons === true ? 's.person_id' : '(select pr.person_id from person_record pr where pr.batch_id = s.batch_id and pr.row_number = s.row_number)'}::int8,
         (select dr.dose_id from dose_record dr where dr.batch_id = s.batch_id and dr.row_number = s.row_number)::int8
  from (select batch_id, row_number${scope.persons === true ? ', person_id' : ''} from ${scope.table} order by batch_id, row_number) s
  cross join lateral (
    select ${LOAD_COLUMNS} from record r
    where r.batch_id = s.batch_id and r.row_number = s.row_number and ${where}
    limit 1
  ) r
  order by s.batch_id, s.row_number`;
};

/** A loaded row's values by position (LOAD_FIELDS) as the row the matcher's record is made from. */
function linkRowOf(v: readonly BinaryValue[]): LinkRow {
  return {
    batch_id: v[AT.batch_id!] as number,
    row_number: v[AT.row_number!] as number,
    quarantined: v[QUARANTINED] as boolean,
    name_key: v[AT.name_key!] as string | null,
    full_name: v[AT.full_name!] as string | null,
    birth_date: v[AT.birth_date!] as string | null,
    sex: v[AT.sex!] as LinkRow['sex'],
    citizen_id: v[AT.citizen_id!] as string | null,
    citizen_id_kind: v[AT.citizen_id_kind!] as LinkRow['citizen_id_kind'],
    phone: v[AT.phone!] as string | null,
    commune_current: v[AT.commune_current!] as string | null,
    address: v[AT.address!] as string | null,
    vaccine_code: v[AT.vaccine_code!] as string | null,
    vaccination_date: v[AT.vaccination_date!] as string | null,
    dose_number: v[AT.dose_number!] as number | null,
    lot_number: v[AT.lot_number!] as string | null,
    guardian_key: v[AT.guardian_key!] as string | null,
    guardian_phone: v[AT.guardian_phone!] as string | null,
  };
}

/**
 * Loads the records (all, or those of `scope`) through one COPY in its binary format, built as its rows
 * arrive while the server reads on (the caller's transaction holds it). Values that repeat across rows
 * (vaccines, dates, lots, communes, addresses) are held once each: the dose's in CodedColumns, the
 * matcher's interned.
 */
export async function loadRecords(tx: RawTransaction, scope: LoadScope = {}): Promise<LoadedRecords> {
  // The batches are fixed first: one that finishes loading meanwhile waits for the next run, and a
  // loaded batch never gains rows, so the count and the rows agree.
  const batches = batchesLiteral(await loadedBatches(tx.query));
  // The arrays' length: the records' count, or for a scope the refs it lists (a bound: some may not be
  // current records), which costs no second look-up of each; the arrays are cut to the rows read.
  const [{ n }] = (await tx.query<{ n: string }>(
    scope.table === undefined ? `select count(*) as n from record r where ${scopeWhere(scope, batches)}` : `select count(*) as n from ${scope.table}`,
  )) as [{ n: string }];
  let count = Number(n);
  const batch = new Int32Array(count);
  const row = new Int32Array(count);
  const quarantined = new Uint8Array(count);
  const personId = new Float64Array(count).fill(NaN);
  const doseId = new Float64Array(count).fill(NaN);
  const doseNumber = new Float64Array(count).fill(NaN);
  const vaccine = new CodedColumn(count);
  const vaccinationDate = new CodedColumn(count);
  const lot = new CodedColumn(count);
  const communeOld = new CodedColumn(count);
  const facility = new CodedColumn(count);
  const matcherIdOf = new Int32Array(count).fill(-1);
  const quarantinedRecord = new Map<number, MatchRecord>();
  const rowOf = new Int32Array(count);
  let matched = 0;
  const matchable = new RecordTableBuilder(count);

  let i = 0;
  const reader = new CopyBinaryRows(LOAD_TYPES, (v) => {
    if (i === count) throw new Error(`more records than the ${count} counted`);
    const r = linkRowOf(v);
    batch[i] = r.batch_id;
    row[i] = r.row_number;
    if (v[PERSON_ID] !== null) personId[i] = v[PERSON_ID] as number;
    if (v[DOSE_ID] !== null) doseId[i] = v[DOSE_ID] as number;
    if (r.dose_number !== null) doseNumber[i] = r.dose_number;
    vaccine.set(i, r.vaccine_code);
    vaccinationDate.set(i, r.vaccination_date);
    lot.set(i, r.lot_number);
    communeOld.set(i, v[COMMUNE_OLD] as string | null);
    facility.set(i, v[FACILITY] as string | null);
    if (r.quarantined) {
      quarantined[i] = 1;
      quarantinedRecord.set(i, toMatchRecord(r, -1));
    } else {
      matcherIdOf[i] = matched;
      matchable.add(toMatchRecord(r, matched));
      rowOf[matched++] = i;
    }
    i++;
  });
  await tx.copyOut(loadSql(scope, batches), (chunk) => reader.push(chunk));
  reader.end();
  count = i;
  const rows: RowColumns = {
    batch: batch.subarray(0, i),
    row: row.subarray(0, i),
    quarantined: quarantined.subarray(0, i),
    personId: personId.subarray(0, i),
    doseId: doseId.subarray(0, i),
    doseNumber: doseNumber.subarray(0, i),
    matcherIdOf: matcherIdOf.subarray(0, i),
    vaccine: vaccine.sealed(i),
    vaccinationDate: vaccinationDate.sealed(i),
    lot: lot.sealed(i),
    communeOld: communeOld.sealed(i),
    facility: facility.sealed(i),
  };
  return new LoadedRecords(count, rows, matchable.finish(), rowOf.subarray(0, matched), quarantinedRecord);
}

/** How eachLinkedRecords reads: row numbers a page (one COPY each), and rows a record table. */
export interface LoadPaging {
  readonly page: number;
  readonly slice: number;
}

/** Spans of 50,000 row numbers a page: bounded memory while reading, few statements. */
const LINKED_PAGING: LoadPaging = { page: 50_000, slice: 2_000 };

/**
 * The records link_key is written from, `paging.slice` at a time, each slice a RecordTable of its own (ids
 * 0..n-1 in it) with the rows' batch and row: without holding every record at once (at ten million rows they
 * take 2 GB loaded together). Small tables, so that building one is short beside the database storing the
 * keys of the last (src/link/scope.ts, rewriteLinkedKeys).
 *
 * Without `running`: the matchable records the last run linked (those with a person, superseded ones too: a
 * correction since has not unlinked them yet). With it: every current matchable record of those batches,
 * which the run under way (one that loaded them all) links; person_record, which that run has emptied and
 * holds locked, is not read.
 *
 * Read a page at a time in key order, each page one COPY of a span of `paging.page` row numbers of one
 * batch (`each` writes on the same connection, which one COPY streaming throughout would hold): the next
 * page is asked for before this one is handed on, so that the server reads it while this one's tables are
 * built. Spans of row numbers, not the next `page` rows after the last one read: for that LIMIT the planner
 * chose (statistics that did not know the batch) to read every row after the key and sort them, a page at a
 * time, which at ten million rows and pages of 5,000 took 12 s a page.
 */
export async function eachLinkedRecords(
  tx: RawTransaction,
  each: (records: RecordTable, batch: Int32Array, row: Int32Array) => Promise<void>,
  paging: LoadPaging = LINKED_PAGING,
  running?: readonly number[],
): Promise<void> {
  const batches = batchesLiteral(running ?? (await loadedBatches(tx.query)));
  const batch = new Int32Array(paging.slice);
  const row = new Int32Array(paging.slice);
  const linked = running === undefined ? 'exists (select 1 from person_record p where p.batch_id = r.batch_id and p.row_number = r.row_number)' : CURRENT;
  // Each batch's first and last row number (two look-ups in record's key each), then its spans in order.
  const extents = await tx.query<{ batch_id: number; first: number | null; last: number | null }>(
    `select b.id as batch_id,
            (select min(r.row_number) from record r where r.batch_id = b.id) as first,
            (select max(r.row_number) from record r where r.batch_id = b.id) as last
     from unnest(${batches}) as b(id) order by b.id`,
  );
  const spans: { batch: number; from: number }[] = [];
  for (const { batch_id, first, last } of extents) {
    if (first === null || last === null) continue;
    for (let from = first; from <= last; from += paging.page) spans.push({ batch: batch_id, from });
  }
  const page = async (span: { batch: number; from: number }): Promise<LinkRow[]> => {
    const rows: LinkRow[] = [];
    const reader = new CopyBinaryRows(LINKED_TYPES, (v) => rows.push(linkRowOf(v)));
    await tx.copyOut(
      `select ${LINKED_COLUMNS} from record r
       where r.batch_id = ${span.batch} and r.row_number >= ${span.from} and r.row_number < ${span.from + paging.page}
         and r.quarantine_reason is null and ${linked}
       order by r.row_number`,
      (chunk) => reader.push(chunk),
    );
    reader.end();
    return rows;
  };
  let next = spans.length > 0 ? page(spans[0]!) : null;
  for (let k = 0; next !== null; k++) {
    const rows = await next;
    next = k + 1 < spans.length ? page(spans[k + 1]!) : null;
    next?.catch(() => {}); // awaited in the next turn; not unhandled meanwhile
    for (let start = 0; start < rows.length; start += paging.slice) {
      const slice = rows.slice(start, start + paging.slice);
      const table = new RecordTableBuilder(slice.length);
      for (const [i, r] of slice.entries()) {
        batch[i] = r.batch_id;
        row[i] = r.row_number;
        table.add(toMatchRecord(r, i));
      }
      await each(table.finish(), batch.subarray(0, slice.length), row.subarray(0, slice.length));
    }
  }
}

/** The cleaned records at `refs` (of loaded batches). */
export async function loadRows(database: Database, refs: readonly RecordRef[]): Promise<LinkRow[]> {
  if (refs.length === 0) return [];
  return database.db
    .selectFrom('record as r')
    .innerJoin('batch as b', 'b.id', 'r.batch_id')
    .where('b.status', '=', 'loaded')
    .where((eb) => eb.or(refs.map((ref) => eb.and([eb('r.batch_id', '=', ref.batch), eb('r.row_number', '=', ref.row)]))))
    .select([...LINK_COLUMNS, sql<boolean>`r.quarantine_reason is not null`.as('quarantined')])
    .orderBy('r.batch_id')
    .orderBy('r.row_number')
    .execute();
}


/**
 * The ID the matcher sees. One that is neither a CCCD nor a CMND (stored as kind `invalid`) is an
 * identifier of another kind, matched on as written (`other`), unless it identifies no one (digits lost to
 * scientific notation, a phone number, too short): then the matcher does not see it.
 */
function matchedId(row: LinkRow): Pick<MatchRecord, 'citizenId' | 'citizenIdKind'> {
  if (row.citizen_id === null || row.citizen_id_kind === null) return { citizenId: null, citizenIdKind: null };
  if (row.citizen_id_kind !== 'invalid') return { citizenId: row.citizen_id, citizenIdKind: row.citizen_id_kind };
  return identifierKindOf(row.citizen_id) === 'unusable' ? { citizenId: null, citizenIdKind: null } : { citizenId: row.citizen_id, citizenIdKind: 'other' };
}

export function toMatchRecord(row: LinkRow, id: number): MatchRecord {
  // A newborn's pre-naming placeholder (`Con bà Nguyễn Thị Lan`) is no name of the child's own: it is not
  // compared as a name and never becomes the golden name; the guardian's name it holds is in guardian_key.
  // A child's row with no usable name but its guardian's is one too (src/clean/record.ts keeps it for that).
  const preNaming = row.name_key !== null ? isPreNamingKey(row.name_key) : row.guardian_key !== null;
  return {
    id,
    nameKey: preNaming ? null : row.name_key,
    nameFull: preNaming ? null : row.full_name,
    birthDate: row.birth_date ?? (preNaming ? birthMonthOfBirthDose(row) : null),
    sex: row.sex,
    ...matchedId(row),
    // A child's row often gives only the mother's phone, in its own column: the same household signal.
    phone: row.phone ?? row.guardian_phone ?? null,
    commune: row.commune_current,
    address: row.address,
    guardianKey: row.guardian_key ?? null,
    preNaming,
  };
}

/**
 * A newborn's pre-naming row with no birth date but the hepatitis B birth dose, which is given within 24
 * hours of birth (TT 38/2017, DOMAIN.md §5.3): the child was born in that dose's month. Only the month is
 * taken (a dose just after midnight of the 1st would move the day), and only on a row with no name of its
 * own: on an adult's row `Viêm gan B` says nothing of a birth.
 */
function birthMonthOfBirthDose(row: LinkRow): string | null {
  return row.vaccine_code === 'HEPB-BIRTH' && row.vaccination_date !== null && row.vaccination_date.length === 10 ? row.vaccination_date.slice(0, 7) : null;
}

/** The dose fields of loaded row `r`, as the dose grouping reads them (`index`: its place among the person's rows). */
export function doseRowOf(records: LoadedRecords, r: number, index: number): DoseRow {
  const doseNumber = records.doseNumber[r]!;
  return { row: index, vaccine: records.vaccine.at(r), date: records.vaccinationDate.at(r), doseNumber: Number.isNaN(doseNumber) ? null : doseNumber, lot: records.lot.at(r) };
}

/** The first of `refs` that names no record of a loaded batch, or null when every one does. */
export async function firstMissingRecord(database: Database, refs: readonly RecordRef[]): Promise<RecordRef | null> {
  for (const ref of refs) {
    const found = await database.db
      .selectFrom('record as r')
      .innerJoin('batch as b', 'b.id', 'r.batch_id')
      .where('b.status', '=', 'loaded')
      .where('r.batch_id', '=', ref.batch)
      .where('r.row_number', '=', ref.row)
      .select('r.row_number')
      .executeTakeFirst();
    if (!found) return ref;
  }
  return null;
}
