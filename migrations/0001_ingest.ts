/**
 * Ingest and cleaning: batches of uploaded files, their raw rows exactly as received, the cleaned
 * records, and what cleaning found.
 *
 * Visibility is gated by `batch.status`: rows of a batch that is still `loading` or has `failed` are
 * never read by later stages, so a crashed or failed import is never half-visible.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table batch (
      id integer generated always as identity primary key,
      file_name text not null,
      file_sha256 text not null,
      format text not null check (format in ('csv', 'xlsx')),
      source text,
      station_code text,
      status text not null default 'loading' check (status in ('loading', 'loaded', 'failed')),
      -- which row holds the headers (title rows may stand above it), the headers exactly as received,
      -- and which column feeds each contract field (0-based)
      header_row integer not null,
      headers text[] not null,
      column_map jsonb not null,
      row_count integer not null default 0,
      quarantined_count integer not null default 0,
      error text,
      started_at timestamptz not null default now(),
      finished_at timestamptz
    );

    -- Every row of the file (title and header rows too), never modified. row_number is the row as a
    -- spreadsheet shows it, so messages point where the clerk looks.
    create table raw_row (
      batch_id integer not null references batch (id),
      row_number integer not null,
      cells text[] not null,
      primary key (batch_id, row_number)
    );

    create table record (
      batch_id integer not null references batch (id),
      row_number integer not null,
      record_id text,
      quarantine_reason text,
      full_name text,
      name_key text,
      family_name text,
      middle_name text,
      given_name text,
      -- partial ISO dates: 'yyyy', 'yyyy-mm' or 'yyyy-mm-dd', at the precision given
      birth_date text,
      birth_year integer,
      sex text check (sex in ('male', 'female')),
      citizen_id text,
      citizen_id_kind text check (citizen_id_kind in ('cccd', 'cmnd', 'invalid')),
      phone text,
      address text,
      commune_code text,
      commune_scheme text check (commune_scheme in ('2004', '2025')),
      commune_current text,
      vaccine_code text,
      dose_number integer,
      vaccination_date text,
      lot_number text,
      facility_code text,
      adverse_event text,
      source text,
      primary key (batch_id, row_number)
    );

    -- Every fix and problem cleaning found, per row and field; the raw value is read from raw_row.
    create table finding (
      batch_id integer not null references batch (id),
      row_number integer not null,
      field text not null,
      severity text not null check (severity in ('fix', 'warning', 'invalid')),
      code text not null,
      message text not null
    );
    create index finding_batch_row on finding (batch_id, row_number);

    -- Per batch and field: how many values came out clean, fixed, flagged, invalid or missing.
    create table field_stat (
      batch_id integer not null references batch (id),
      field text not null,
      clean integer not null,
      fixed integer not null,
      flagged integer not null,
      invalid integer not null,
      missing integer not null,
      primary key (batch_id, field)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table field_stat, finding, record, raw_row, batch`.execute(db);
}
