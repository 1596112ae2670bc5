/**
 * Where each dose was given, kept on the dose (issue 13: every report on a 1M-row database in ≤ 5 s): the
 * current commune, the pre-July-2025 commune (rows cleaned under the 2004 list) and the vaccination site of
 * the rows that reported it, the least of each when they disagree. The link writes them with the dose; the
 * daily report counts doses per place from here instead of regrouping every dose's rows on each call.
 * Existing doses are filled from their rows, the least by code point (collation "C") as the link's `least`
 * compares: under the database's own collation (en_US, vi_VN) `TYT-02` can sort before `TYT01`, and a
 * backfilled dose would name another site than the link writes for the same rows.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table dose add column commune_current text, add column commune_old text, add column facility_code text;
    update dose d set commune_current = p.commune_current, commune_old = p.commune_old, facility_code = p.facility_code
    from (
      select dr.dose_id, min(r.commune_current collate "C") as commune_current,
             min(r.commune_code collate "C") filter (where r.commune_scheme = '2004') as commune_old,
             min(r.facility_code collate "C") as facility_code
      from dose_record dr join record r on r.batch_id = dr.batch_id and r.row_number = dr.row_number
      group by dr.dose_id) p
    where p.dose_id = d.id;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table dose drop column commune_current, drop column commune_old, drop column facility_code`.execute(db);
}
