/**
 * What the reports of issue 13 need that was not stored: the screening result and the severity of an
 * adverse event (records contract, optional columns), and the target populations (số đối tượng / chỉ tiêu)
 * an operator imports per commune, year and group (`vaxsync targets import`).
 *
 * The two record columns are nullable like every other optional field, so files without them load as
 * before and older rows simply have none.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- 'eligible' | 'postponed' | 'contraindicated' when recognised, else the free text as typed (tidied)
    alter table record add column screening_result text;
    alter table record add column adverse_event_severity text check (adverse_event_severity in ('common', 'serious'));

    -- One figure per commune (code of the map of its year: the 2004 list up to 2024, the 2025 list after),
    -- year and population group. A new import of the same key replaces the figure.
    create table target_population (
      commune_code text not null,
      year integer not null,
      population_group text not null check (population_group in ('under1', 'age18m')),
      count integer not null check (count >= 0),
      source text not null,
      imported_at timestamptz not null default now(),
      primary key (commune_code, year, population_group)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table target_population;
    alter table record drop column adverse_event_severity;
    alter table record drop column screening_result;
  `.execute(db);
}
