/**
 * A registry extract file (CSV/XLSX, ../../../shared/contract/registry.md) as a registry: loaded once into
 * `registry_entry`, cleaned, then queried there by ID or by identity.
 *
 * Loading streams the file and writes it by COPY in blocks into a new partition, in one transaction that
 * swaps it in for the previous partition of the same source (the file's name; entry-partition.ts): a reload
 * replaces the extract whole, and a failed load leaves the previous one in place. Memory stays flat
 * whatever the size of the extract; repeated IDs are resolved in SQL after the COPY for the same reason (a
 * set of a million IDs in memory is the kind of thing the streaming is there to avoid).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { sql } from 'kysely';
import { ChunkedCopy, copyLine } from '../../src/base/copy.js';
import type { Database, RawTransaction } from '../../src/db/database.js';
import type { RegistryEntryTable } from '../../src/db/schema.js';
import { describeField } from './columns.js';
import { createEntryPartition, indexPartition, swapInPartition } from './entry-partition.js';
import { openRegistryExtract, type RegistryExtract } from './extract.js';
import { parseRegistryRow, rankCandidates } from './identity.js';
import { RegistryError, type IdentityQuery, type RegistryConnector, type RegistryField, type RegistryIdentity } from './types.js';

/** Rows per COPY block: about a megabyte of text, enough that a statement's overhead is noise. */
const BLOCK_ROWS = 10_000;
/**
 * Rows between two turns of the event loop. The rows come through promises that are already resolved, so
 * without these turns the socket would never be serviced while a block is read and cleaned: the COPY of the
 * previous block would wait for the parser instead of running beside it.
 */
const YIELD_ROWS = 500;
/** Rejected rows described one by one in the summary; the rest are only counted. */
const REPORTED_PROBLEMS = 10;
/** IDs, or identity pairs, per query: an array parameter of this size is planned and sent cheaply. */
const QUERY_CHUNK = 10_000;

const ENTRY_COLUMNS = ['source', 'row_number', 'citizen_id', 'full_name', 'name_key', 'birth_date', 'sex', 'commune_code', 'status', 'death_date'] as const;

export interface RegistryRowProblem {
  readonly file: string;
  readonly row: number;
  /** The header as written in the file. */
  readonly column: string;
  readonly problem: string;
}

export interface RegistryLoadSummary {
  /** The file's name: the `source` that fileRegistry() takes. */
  readonly file: string;
  /** Provenance of answers from this extract, `file:NAME#SHA256PREFIX`. */
  readonly source: string;
  readonly format: 'csv' | 'xlsx';
  /** Data rows read (blank rows excluded). */
  readonly rows: number;
  /** Citizens now in the registry from this file. */
  readonly loaded: number;
  /** Rows without a usable citizen ID, not loaded. */
  readonly rejected: number;
  /** Rows dropped because an earlier row had the same ID (the first row of each ID is kept). */
  readonly duplicates: number;
  /** The first rejected rows: where they are and why, never their content. */
  readonly problems: readonly RegistryRowProblem[];
  readonly seconds: number;
}

export interface LoadRegistryOptions {
  /** Called after every block with the number of data rows read so far. */
  readonly onProgress?: (rows: number) => void;
}

function provenance(fileName: string, sha256: string): string {
  return `file:${fileName}#${sha256.slice(0, 12)}`;
}

async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Loads (or reloads) one extract; the previous rows of the same file name are replaced in the same transaction. */
export async function loadRegistryFile(database: Database, file: string, options: LoadRegistryOptions = {}): Promise<RegistryLoadSummary> {
  const started = performance.now();
  const extract = await openRegistryExtract(file);
  const fileName = extract.fileName;
  // Hashed while the rows are loaded: the file is read twice, but side by side.
  const hashing = hashFile(file);
  hashing.catch(() => {});
  try {
    const load = await database.withTransaction(async (tx) => {
      const partition = await createEntryPartition(tx, fileName);
      const copied = await copyRows(tx, partition.table, extract, options);
      const duplicates = await indexPartition(tx, partition);
      await swapInPartition(tx, fileName, partition);
      const sha256 = await hashing;
      const counts = { rows: copied.rows, loaded: copied.rows - copied.rejected - duplicates, rejected: copied.rejected, duplicates };
      await tx.query(
        `insert into registry_load (source, partition_table, generation, file_sha256, format, rows, loaded, rejected, duplicates)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (source) do update set partition_table = excluded.partition_table, generation = excluded.generation,
           file_sha256 = excluded.file_sha256, format = excluded.format, rows = excluded.rows, loaded = excluded.loaded,
           rejected = excluded.rejected, duplicates = excluded.duplicates, loaded_at = now()`,
        [fileName, partition.table, partition.generation, sha256, extract.format, counts.rows, counts.loaded, counts.rejected, counts.duplicates],
      );
      return { ...counts, sha256, problems: copied.problems };
    });
    return {
      file: fileName,
      source: provenance(fileName, load.sha256),
      format: extract.format,
      rows: load.rows,
      loaded: load.loaded,
      rejected: load.rejected,
      duplicates: load.duplicates,
      problems: load.problems,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await extract.close();
  }
}

interface CopiedRows {
  readonly rows: number;
  readonly rejected: number;
  readonly problems: readonly RegistryRowProblem[];
}

/** Cleans every row of the extract and COPYs the usable ones into `table`, block by block. */
async function copyRows(tx: RawTransaction, table: string, extract: RegistryExtract, options: LoadRegistryOptions): Promise<CopiedRows> {
  const fileName = extract.fileName;
  const columnOf = (field: RegistryField) => extract.headers[field] ?? describeField(field);
  // Blocks go out while the next is read and cleaned: the database and the parser work side by side.
  const blocks = new ChunkedCopy((text, sent) => tx.copy(table, ENTRY_COLUMNS, text, sent), { maxLines: BLOCK_ROWS, overlap: true });
  let rows = 0;
  let copied = 0;
  let rejected = 0;
  const problems: RegistryRowProblem[] = [];
  try {
    for await (const { rowNumber, raw } of extract.rows) {
      rows++;
      const parsed = parseRegistryRow(raw);
      if (!parsed.ok) {
        const { field, problem } = parsed.rejection;
        const column = columnOf(field);
        // A status the loader cannot read is a mapping problem, not one bad row: loading the rest as
        // "alive" would hide deaths, and dropping them would turn them into "not found".
        if (field === 'status') throw new RegistryError('registry.bad_file', `bad registry file ${fileName}, row ${rowNumber}, column "${column}": ${problem}`);
        rejected++;
        if (problems.length < REPORTED_PROBLEMS) problems.push({ file: fileName, row: rowNumber, column, problem });
        continue;
      }
      const p = parsed.identity;
      const full = blocks.add(copyLine([fileName, rowNumber, p.citizenId, p.fullName, p.nameKey, p.birthDate, p.sex, p.communeCode, p.status, p.deathDate]));
      if (++copied % YIELD_ROWS === 0) await setImmediate();
      if (full) {
        await blocks.flush();
        options.onProgress?.(rows);
      }
    }
    await blocks.end();
  } catch (error) {
    await blocks.settled();
    throw error;
  }
  return { rows, rejected, problems };
}

/** A citizen as the queries below read it: the table's row without its bookkeeping. */
type EntryRow = Omit<RegistryEntryTable, 'source' | 'row_number' | 'loaded_at'>;

function toIdentity(row: EntryRow): RegistryIdentity {
  return {
    citizenId: row.citizen_id,
    fullName: row.full_name,
    nameKey: row.name_key,
    birthDate: row.birth_date,
    sex: row.sex,
    communeCode: row.commune_code,
    status: row.status,
    deathDate: row.death_date,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The registry of one loaded extract. `source` is the file's name (or its path). The connector borrows
 * `database`: close() does not close it.
 */
export async function fileRegistry(database: Database, source: string): Promise<RegistryConnector> {
  const fileName = path.basename(source);
  const load = await database.db.selectFrom('registry_load').select(['file_sha256']).where('source', '=', fileName).executeTakeFirst();
  if (load === undefined) throw new RegistryError('registry.not_loaded', `no registry extract named ${fileName} has been loaded; load the file first`);
  const db = database.db;

  return {
    source: provenance(fileName, load.file_sha256),

    async lookupByIds(ids) {
      const found = new Map<string, RegistryIdentity>();
      for (const chunk of chunks([...new Set(ids)], QUERY_CHUNK)) {
        // A join on the unnested IDs, not `citizen_id = any(…)`: the planner estimates an `= any` of 10,000
        // values one value at a time, which cost more than the lookup itself.
        const { rows } = await sql<EntryRow>`
          select e.citizen_id, e.full_name, e.name_key, e.birth_date, e.sex, e.commune_code, e.status, e.death_date
          from registry_entry e join unnest(${chunk}::text[]) as q(citizen_id) on e.citizen_id = q.citizen_id
          where e.source = ${fileName}`.execute(db);
        for (const row of rows) found.set(row.citizen_id, toIdentity(row));
      }
      return found;
    },

    /**
     * Name key and birth date must match exactly; the commune only ranks (IdentityQuery). Both columns of
     * the pair are in one index, so each chunk is one join on it.
     */
    async findByIdentity(queries: readonly IdentityQuery[]) {
      const pairKey = (nameKey: string, birthDate: string) => `${nameKey}\u0000${birthDate}`;
      const pairs = new Map<string, { nameKey: string; birthDate: string }>();
      for (const q of queries) pairs.set(pairKey(q.nameKey, q.birthDate), { nameKey: q.nameKey, birthDate: q.birthDate });

      const byPair = new Map<string, RegistryIdentity[]>();
      for (const chunk of chunks([...pairs.values()], QUERY_CHUNK)) {
        const { rows } = await sql<EntryRow>`
          select e.citizen_id, e.full_name, e.name_key, e.birth_date, e.sex, e.commune_code, e.status, e.death_date
          from registry_entry e
          join unnest(${chunk.map((p) => p.nameKey)}::text[], ${chunk.map((p) => p.birthDate)}::text[]) as q(name_key, birth_date)
            on e.name_key = q.name_key and e.birth_date = q.birth_date
          where e.source = ${fileName}`.execute(db);
        for (const row of rows) {
          const key = pairKey(row.name_key!, row.birth_date!);
          const list = byPair.get(key);
          if (list) list.push(toIdentity(row));
          else byPair.set(key, [toIdentity(row)]);
        }
      }

      const result = new Map<string, RegistryIdentity[]>();
      for (const q of queries) {
        const candidates = byPair.get(pairKey(q.nameKey, q.birthDate));
        if (candidates) result.set(q.key, rankCandidates([...candidates], q.communeCode));
      }
      return result;
    },

    async close() {},
  };
}
