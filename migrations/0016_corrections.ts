/**
 * Corrections that replace (issue 16, item 4): a station re-sends a row under the same record_id with a value
 * fixed, and the new row supersedes the earlier one instead of becoming a second record of the same dose.
 *
 * `record_correction` is the history: one row per superseded record (an earlier row is superseded once; a
 * later fix supersedes the row that replaced it), with the row that replaced it, the fields that changed as
 * the station typed them (before and after), who sent the fix and when. A record named as `old_*` here takes
 * no part in linking, reports or push; its raw row and cleaned record are kept, as every row is.
 *
 * `batch.uploaded_by` says who sent a file: the API key (`key:<name>`) of an upload, `cli:<user>` of an
 * import from the command line. Older batches have none.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table batch add column uploaded_by text;

    create table record_correction (
      old_batch integer not null,
      old_row integer not null,
      new_batch integer not null,
      new_row integer not null,
      record_id text not null,
      -- [{"field": "vaccination_date", "before": "01/09/2021", "after": "02/09/2021"}, …] in the contract's order
      changes jsonb not null,
      corrected_by text,
      corrected_at timestamptz not null default now(),
      primary key (old_batch, old_row)
    );
    create index record_correction_new on record_correction (new_batch, new_row);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table record_correction;
    alter table batch drop column uploaded_by;
  `.execute(db);
}
