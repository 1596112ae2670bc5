/**
 * Population-registry extracts loaded from files (connectors/registry/file.ts): one row per citizen and
 * extract, cleaned with the project's rules, and one row per loaded extract with what its load found.
 *
 * `registry_entry` is partitioned by `source` (the file's name), one partition per extract. A load COPYs
 * into a fresh table without indexes, builds the indexes once, and swaps it in for the previous partition
 * of the same source, all in one transaction (connectors/registry/entry-partition.ts). Measured on a
 * million-row extract, keeping two indexes up to date row by row cost four times the COPY itself, and a
 * reload that deleted the old rows first left them behind as dead tuples in the indexes.
 *
 * The ID, name-key and birth-date columns use the "C" collation: they are compared for equality only, and
 * byte order makes their indexes cheaper to build than a linguistic collation.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry_entry (
      source text not null,
      -- the row in the extract, as a spreadsheet shows it: where a registry answer came from
      row_number integer not null,
      citizen_id text collate "C" not null,
      full_name text,
      name_key text collate "C",
      birth_date text collate "C",
      sex text check (sex in ('male', 'female')),
      commune_code text,
      status text not null check (status in ('alive', 'deceased')),
      death_date text,
      loaded_at timestamptz not null default now()
    ) partition by list (source);
    -- one row per ID and extract; the loader keeps the first row of an ID repeated in the file
    create unique index registry_entry_citizen_id on registry_entry (citizen_id, source);
    create index registry_entry_identity on registry_entry (name_key, birth_date);

    create table registry_load (
      source text primary key,
      -- the partition of registry_entry holding this extract; a reload creates the next one
      partition_table text not null,
      generation integer not null,
      file_sha256 text not null,
      format text not null check (format in ('csv', 'xlsx')),
      -- data rows read, rows kept, rows without a usable ID, rows dropped as repeats of an ID
      rows integer not null,
      loaded integer not null,
      rejected integer not null,
      duplicates integer not null,
      loaded_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table registry_load, registry_entry`.execute(db);
}
