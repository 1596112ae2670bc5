/**
 * Cheaper bulk loads, measured on a million-row import, where the database's share of the time matters
 * as much as the cleaning's.
 *
 * 1. raw_row and record lose their foreign key to batch: PostgreSQL checks it with a trigger per row,
 *    which was more than half of COPY's cost. Their rows are only ever written by the import, under the
 *    batch it has just created, and batches are never deleted.
 * 2. A raw row's cells are stored as the text of a JSON array instead of a text[]: JSON.stringify is
 *    native and PostgreSQL stores text without parsing it, where the array literal cost time on both
 *    sides. Readers cast it (`cells::json ->> 3`), which only the row-level reports do.
 * 3. Findings become codes on the record they belong to, and each code's field, severity and message are
 *    stored once.
 *
 * A message is fixed per code, so storing it with every finding repeated ~100 bytes per row: on a
 * million-row import the finding table was bigger than the raw rows and its index cost as much to
 * maintain as the records themselves. The codes array keeps the same information in the row it
 * describes; reports unnest it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table raw_row drop constraint raw_row_batch_id_fkey;
    alter table record drop constraint record_batch_id_fkey;
    alter table raw_row alter column cells type text using array_to_json(cells)::text;

    create table finding_kind (
      code text primary key,
      field text not null,
      severity text not null check (severity in ('fix', 'warning', 'invalid')),
      message text not null
    );
    insert into finding_kind (code, field, severity, message)
      select distinct on (code) code, field, severity, message from finding order by code;

    alter table record add column findings text[] not null default '{}';
    update record r set findings = f.codes
      from (select batch_id, row_number, array_agg(code order by code) as codes from finding group by 1, 2) f
      where f.batch_id = r.batch_id and f.row_number = r.row_number;
    drop table finding;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table finding (
      batch_id integer not null references batch (id),
      row_number integer not null,
      field text not null,
      severity text not null check (severity in ('fix', 'warning', 'invalid')),
      code text not null,
      message text not null
    );
    insert into finding (batch_id, row_number, field, severity, code, message)
      select r.batch_id, r.row_number, k.field, k.severity, k.code, k.message
      from record r cross join unnest(r.findings) as c(code) join finding_kind k on k.code = c.code;
    create index finding_batch_row on finding (batch_id, row_number);
    alter table record drop column findings;
    drop table finding_kind;
    alter table raw_row alter column cells type text[] using array(select json_array_elements_text(cells::json));
    alter table raw_row add foreign key (batch_id) references batch (id);
    alter table record add foreign key (batch_id) references batch (id);
  `.execute(db);
}
